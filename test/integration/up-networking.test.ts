import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import type Docker from 'dockerode';
import { engineForTests } from '../helpers/engine.js';
import { eventually, execIn, httpBody, shIn, type ExecResult } from '../helpers/exec.js';
import { fixtureProject } from '../helpers/project.js';

const engine = await engineForTests();

/** The host's rules that isolate Docker's bridge networks (`iptables -S DOCKER-ISOLATION-STAGE-1`). */
function isolationRules(): string {
  try {
    return execFileSync('iptables', ['-S', 'DOCKER-ISOLATION-STAGE-1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`cannot read the host's iptables rules (needs iptables and root, as dockerd does): ${(error as Error).message}`);
  }
}

/** The host bridge of a network and its subnet. */
async function bridgeOf(network: string): Promise<{ bridge: string; subnet: string }> {
  const details = await engine!.docker.getNetwork(network).inspect();
  return {
    bridge: details.Options?.['com.docker.network.bridge.name'] ?? `br-${details.Id.slice(0, 12)}`,
    subnet: details.IPAM?.Config?.[0]?.Subnet ?? '(no subnet)',
  };
}

/** The host port the host-mode service binds on 127.0.0.1 (see the fixture). */
const HOST_MODE_PORT = 18765;

describe.skipIf(!engine)('up: networking, seen from inside the containers', () => {
  const project = fixtureProject(engine, 'networking', 'tscompose-it-networking');
  const info = new Map<string, Docker.ContainerInspectInfo>();
  const name = (service: string) => (service === 'app' ? 'tscompose-it-networking-app' : project.container(service));

  /** The container's address on one of the project's networks. */
  const addressOn = (service: string, networkKey: string): string => {
    const address = info.get(service)?.NetworkSettings.Networks[project.network(networkKey)]?.IPAddress;
    if (!address) throw new Error(`${service} has no address on ${project.network(networkKey)}`);
    return address;
  };

  /** `nslookup NAME 127.0.0.11` in the container: the embedded DNS of its networks. */
  const lookup = (service: string, host: string): Promise<ExecResult> => execIn(engine!, name(service), ['nslookup', host, '127.0.0.11']);

  /** The page of http://HOST/ fetched from inside the container (retried while the server starts). */
  const pageFrom = (service: string, host: string, port = 80): Promise<string> =>
    eventually(async () => {
      const result = await shIn(engine!, name(service), `timeout 3 wget -qO- http://${host}:${port}/`);
      if (result.exitCode !== 0) throw new Error(`wget http://${host}:${port}/ in ${service}: exit ${result.exitCode}: ${result.stderr.trim()}`);
      return result.stdout.trim();
    });

  beforeAll(async () => {
    await project.up();
    const services = ['web', 'api', 'worker', 'db', 'linker', 'gateway', 'front-only', 'back-only', 'sealed', 'loner', 'on-host', 'app', 'sidecar', 'sidecar-by-name', 'named', 'named-bridge'];
    for (const service of services) info.set(service, await engine!.docker.getContainer(name(service)).inspect());
  });

  it('starts every service', () => {
    for (const [service, details] of info) expect(details.State.Running, `${service} is running`).toBe(true);
  });

  describe("the project's default network", () => {
    const peers: Record<string, string> = { web: 'www', api: 'backend', worker: 'jobs' };

    for (const [from] of Object.entries(peers)) {
      for (const [to, alias] of Object.entries(peers)) {
        if (to === from) continue;
        it(`${from} resolves ${to} by service name and by alias "${alias}", and fetches its page through both`, async () => {
          const expected = addressOn(to, 'default');
          for (const host of [to, alias]) {
            const result = await lookup(from, host);
            expect(result.exitCode, `nslookup ${host} in ${from}: ${result.stdout}${result.stderr}`).toBe(0);
            expect(result.stdout).toContain(`Address: ${expected}`);
            expect(await pageFrom(from, host)).toBe(to);
          }
        });
      }
    }

    it('also resolves a container by its container name', async () => {
      const result = await lookup('web', project.container('api'));
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(`Address: ${addressOn('api', 'default')}`);
    });
  });

  describe('links', () => {
    it('links: [db:database] makes "database" a name of db', async () => {
      const result = await lookup('linker', 'database');
      const linker = info.get('linker')!;
      const endpoint = linker.NetworkSettings.Networks[project.network('default')];
      const seen = `HostConfig.Links=${JSON.stringify(linker.HostConfig.Links)}, endpoint Links=${JSON.stringify(endpoint?.Links)}`;
      expect(result.exitCode, `nslookup database in linker (${seen}): ${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`Address: ${addressOn('db', 'default')}`);
      expect(await pageFrom('linker', 'database')).toBe('db');
    });
  });

  describe('user networks', () => {
    it('a service on two networks is attached to both, with its aliases on each', () => {
      const networks = info.get('gateway')!.NetworkSettings.Networks;
      expect(Object.keys(networks).sort()).toEqual([project.network('back'), project.network('front')]);
      expect(networks[project.network('front')]!.Aliases).toEqual(expect.arrayContaining(['gateway', 'gw-front']));
      expect(networks[project.network('back')]!.Aliases).toEqual(expect.arrayContaining(['gateway', 'gw-back']));
    });

    it('is reached from each of its networks, at its address on that network', async () => {
      for (const [from, key, alias] of [
        ['front-only', 'front', 'gw-front'],
        ['back-only', 'back', 'gw-back'],
      ] as const) {
        for (const host of ['gateway', alias]) {
          const result = await lookup(from, host);
          expect(result.exitCode, `nslookup ${host} in ${from}: ${result.stdout}${result.stderr}`).toBe(0);
          expect(result.stdout).toContain(`Address: ${addressOn('gateway', key)}`);
          expect(await pageFrom(from, host)).toBe('gateway');
        }
      }
    });

    it('reaches services on both of its networks', async () => {
      expect(await pageFrom('gateway', 'front-only')).toBe('front-only');
      expect(await pageFrom('gateway', 'back-only')).toBe('back-only');
    });

    it('a service on one network cannot resolve a service (or an alias) that is only on the other', async () => {
      const pairs = [
        ['front-only', 'back-only', addressOn('back-only', 'back')],
        ['back-only', 'front-only', addressOn('front-only', 'front')],
        ['front-only', 'gw-back', addressOn('gateway', 'back')],
        ['back-only', 'gw-front', addressOn('gateway', 'front')],
      ] as const;
      // In parallel: each failing lookup waits for the (loopback) upstream to time out.
      const results = await Promise.all(pairs.map(([from, host]) => lookup(from, host)));
      pairs.forEach(([from, host, address], index) => {
        const result = results[index]!;
        expect(result.exitCode, `nslookup ${host} in ${from} should fail: ${result.stdout}${result.stderr}`).not.toBe(0);
        expect(result.stdout).not.toContain(address);
      });
    });
  });

  describe('internal: true', () => {
    it('creates the network as internal', async () => {
      const network = await engine!.docker.getNetwork(project.network('vault')).inspect();
      expect(network.Internal).toBe(true);
    });

    it('gives the network no route out of the host', async () => {
      const sealed = await execIn(engine!, name('sealed'), ['ip', 'route']);
      expect(sealed.exitCode).toBe(0);
      expect(sealed.stdout).toMatch(/dev eth0/);
      // Engines that give internal networks no gateway: no default route at all.
      if (!/^default/m.test(sealed.stdout)) return;
      // Engine 20.10 still gives the container a default route to the bridge, and instead drops
      // on the host whatever comes in from that bridge for an address outside the subnet (and
      // does not masquerade it). Seen from the host's firewall, without sending anything out.
      const rules = isolationRules();
      const vault = await bridgeOf(project.network('vault'));
      expect(rules).toContain(`-A DOCKER-ISOLATION-STAGE-1 ! -d ${vault.subnet} -i ${vault.bridge} -j DROP`);
      // An ordinary network has no such rule, so the check above means something.
      const front = await bridgeOf(project.network('front'));
      expect(rules).not.toContain(`! -d ${front.subnet} -i ${front.bridge} -j DROP`);
      const open = await execIn(engine!, name('front-only'), ['ip', 'route']);
      expect(open.stdout).toMatch(/^default via /m);
    });
  });

  describe('network_mode', () => {
    it('none: only the loopback interface', async () => {
      const result = await execIn(engine!, name('loner'), ['ip', '-o', 'link']);
      expect(result.exitCode).toBe(0);
      const interfaces = result.stdout.trim().split('\n').map((line) => line.split(':')[1]!.trim());
      expect(interfaces).toEqual(['lo']);
    });

    it("host: the container's httpd on 127.0.0.1 answers the test process", async () => {
      expect(info.get('on-host')!.HostConfig.NetworkMode).toBe('host');
      expect((await httpBody(`http://127.0.0.1:${HOST_MODE_PORT}/`)).trim()).toBe('on-host');
    });

    it("service:app: the sidecar shares app's stack, so 127.0.0.1:80 is app's httpd", async () => {
      expect(info.get('sidecar')!.HostConfig.NetworkMode).toMatch(/^container:/);
      expect(await pageFrom('sidecar', '127.0.0.1')).toBe('app');
    });

    it("container:<app's container name>: the same", async () => {
      expect(info.get('sidecar-by-name')!.HostConfig.NetworkMode).toMatch(/^container:/);
      expect(await pageFrom('sidecar-by-name', '127.0.0.1')).toBe('app');
    });

    it("the joined containers see app's own interfaces and address", async () => {
      const own = await execIn(engine!, name('app'), ['ip', '-o', '-4', 'addr', 'show', 'eth0']);
      for (const sidecar of ['sidecar', 'sidecar-by-name']) {
        const theirs = await execIn(engine!, name(sidecar), ['ip', '-o', '-4', 'addr', 'show', 'eth0']);
        expect(theirs.stdout).toContain(addressOn('app', 'default'));
        expect(theirs.stdout).toBe(own.stdout);
      }
    });
  });

  describe('hostname, domainname, dns, dns_search, dns_opt, extra_hosts', () => {
    for (const [service, host] of [
      ['named', 'box'],
      ['named-bridge', 'bbox'],
    ] as const) {
      it(`${service}: hostname and domainname`, async () => {
        expect((await execIn(engine!, name(service), ['hostname'])).stdout.trim()).toBe(host);
        expect((await execIn(engine!, name(service), ['hostname', '-f'])).stdout.trim()).toBe(`${host}.example.internal`);
      });

      it(`${service}: extra_hosts, in both the host:ip and the host=ip form, are in /etc/hosts`, async () => {
        const hosts = (await execIn(engine!, name(service), ['cat', '/etc/hosts'])).stdout;
        expect(hosts).toMatch(/^10\.255\.255\.2\s+alpha\.internal$/m);
        expect(hosts).toMatch(/^10\.255\.255\.3\s+beta\.internal$/m);
        expect(hosts).toMatch(new RegExp(`\\s${host}\\.example\\.internal\\s+${host}$`, 'm'));
      });

      it(`${service}: dns_search and dns_opt are in /etc/resolv.conf`, async () => {
        const resolv = (await execIn(engine!, name(service), ['cat', '/etc/resolv.conf'])).stdout;
        expect(resolv).toMatch(/^search search\.internal$/m);
        expect(resolv).toMatch(/^options .*\bndots:2\b/m);
        expect(resolv).toMatch(/^options .*\battempts:1\b/m);
      });

      it(`${service}: the engine was given dns`, () => {
        expect(info.get(service)!.HostConfig.Dns).toEqual(['10.255.255.1']);
      });
    }

    it('named-bridge (no embedded DNS): dns is the nameserver in /etc/resolv.conf', async () => {
      const resolv = (await execIn(engine!, name('named-bridge'), ['cat', '/etc/resolv.conf'])).stdout;
      expect(resolv.match(/^nameserver .*$/gm)).toEqual(['nameserver 10.255.255.1']);
    });

    it('named (user network): the embedded DNS is the nameserver, dns becomes its upstream', async () => {
      const resolv = (await execIn(engine!, name('named'), ['cat', '/etc/resolv.conf'])).stdout;
      expect(resolv.match(/^nameserver .*$/gm)).toEqual(['nameserver 127.0.0.11']);
    });
  });
});
