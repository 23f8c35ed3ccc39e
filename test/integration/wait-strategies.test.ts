import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, env, ServiceFailedError, up, wait, waitForContainer, WaitTimeoutError, type WaitTarget } from '../../src/usecases/index.js';
import { engineForTests, TEST_IMAGE } from '../helpers/engine.js';
import { tempProject } from '../helpers/fixtures.js';
import { forceRemoveProject } from '../helpers/project.js';

const engine = await engineForTests();

const PROJECT = 'i15-waits';
const COMPOSE = `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo booting; echo ready; echo ready; mkdir -p /www && echo ok > /www/health && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1::8080"]
    stop_grace_period: 0s
  checked:
    image: ${TEST_IMAGE}
    command: ["sleep", "600"]
    healthcheck: { test: ["CMD", "true"], interval: 1s }
    stop_grace_period: 0s
  quitter:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "echo bye; sleep 1; exit 3"]
`;

describe.skipIf(!engine)('wait strategies', () => {
  const workingDir = tempProject({ 'compose.yaml': COMPOSE });
  const options = { workingDir, projectName: PROJECT, environment: {}, connection: engine! };
  const targets = new Map<string, WaitTarget>();
  const target = (service: string) => targets.get(service)!;

  beforeAll(async () => {
    await forceRemoveProject(engine!, PROJECT);
    await up(options);
    const { endpoints } = await env(options);
    for (const service of ['web', 'checked', 'quitter']) {
      const container = `${PROJECT}-${service}-1`;
      targets.set(service, { connection: engine!, service, container, endpoints: endpoints.filter((endpoint) => endpoint.container === container) });
    }
  });
  afterAll(async () => {
    await down({ ...options, timeout: 0 }).catch(() => undefined);
    await forceRemoveProject(engine!, PROJECT);
  });

  it('waits for the n-th log line that matches', async () => {
    await waitForContainer(target('web'), wait.log(/^ready$/, { times: 2 }));
  });

  it('waits for an HTTP status on a published port', async () => {
    await waitForContainer(target('web'), wait.http('/health', { port: 8080 }));
    await waitForContainer(target('web'), wait.http('/nothing-here', { port: 8080, status: 404 }));
  });

  it('waits for a TCP port, inside the container and from the host', async () => {
    await waitForContainer(target('web'), wait.port(8080));
  });

  it('waits for a command to pass, and for the healthcheck', async () => {
    await waitForContainer(target('web'), wait.command(['test', '-f', '/www/health']));
    await waitForContainer(target('checked'), wait.healthy());
  });

  it('combines strategies: all of them, or the first that succeeds', async () => {
    await waitForContainer(target('web'), wait.all(wait.log('booting'), wait.http('/health', { port: 8080 })));
    await waitForContainer(target('web'), wait.any(wait.command(['false'], { timeout: 1 }), wait.port(8080, { from: 'inside' })));
  });

  it('reports a timeout with what the strategy last saw, the state and the logs', async () => {
    const failure = await waitForContainer(target('web'), wait.http('/nothing-here', { port: 8080, timeout: 1 })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    const [report] = (failure as WaitTimeoutError).containers;
    // What it last saw is there once one probe has ended, which a loaded engine may not allow within 1 s.
    expect(report!.reason).toMatch(/^did not get ready after 1 s: waited to answer HTTP 200 to GET \/nothing-here \(port 8080\)( \(last: http:\/\/127\.0\.0\.1:\d+\/nothing-here answered 404\))?$/);
    expect(report!.status).toBe('running');
    expect(report!.logs).toContain('booting');
  });

  it('shows in the report what a strategy last saw', async () => {
    const custom = {
      description: 'to say hello',
      timeout: 1,
      async waitUntilReady(_target: WaitTarget, { signal, note }: { signal: AbortSignal; note(text: string): void }) {
        note('said nothing yet');
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      },
    };
    const failure = await waitForContainer(target('web'), custom).catch((error: unknown) => error);
    expect((failure as WaitTimeoutError).containers[0]!.reason).toBe('did not get ready after 1 s: waited to say hello (last: said nothing yet)');
  });

  it('reports a port nothing listens on inside the container', async () => {
    const failure = await waitForContainer(target('checked'), wait.port(9999, { from: 'inside', timeout: 1 })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WaitTimeoutError);
    expect((failure as WaitTimeoutError).containers[0]!.reason).toMatch(/^did not get ready after 1 s: waited to listen on port 9999\/tcp \(from inside the container\)( \(last: nothing listens on 9999\/tcp inside the container\))?$/);
  });

  it('fails at once when the container stops, with its exit code', async () => {
    const failure = await waitForContainer(target('quitter'), wait.log('never printed'), { timeout: 120 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceFailedError);
    expect((failure as ServiceFailedError).containers[0]!.exitCode).toBe(3);
  });

  it('stops when its signal aborts, with the signal\'s reason', async () => {
    const controller = new AbortController();
    const waiting = waitForContainer(target('web'), wait.log('never printed'), { signal: controller.signal });
    controller.abort(new Error('given up'));
    await expect(waiting).rejects.toThrow('given up');
  });

  it('refuses arguments a plain-JS caller could get wrong, with a TypeError', () => {
    expect(() => wait.http('health', { port: 8080 })).toThrow(TypeError);
    expect(() => wait.port(70000)).toThrow(/port number from 1 to 65535/);
    expect(() => wait.log('x', { times: 0 })).toThrow(TypeError);
    expect(() => wait.all()).toThrow(TypeError);
    expect(() => wait.command('pg_isready' as unknown as string[])).toThrow(/non-empty array of strings/);
  });
});
