import { describe, expect, it } from 'vitest';
import { load } from '../../src/loader/index.js';
import { fileTexts } from '../../src/loader/file-objects.js';
import { planRun } from '../../src/planner/index.js';
import { tempProject } from '../helpers/fixtures.js';
import { checkedPlan, observedAfter } from '../helpers/plan.js';

const SECRET = 's3cr3t-value-never-printed';

/** A project with the given services and top-level secrets and configs, its directory holding `token.txt` and `app.conf`. */
function project(services: string, environment: Record<string, string> = { API_TOKEN: SECRET }) {
  const compose = `name: files\nservices:\n${services}secrets:\n  token: {file: ./token.txt}\n  api: {environment: API_TOKEN}\n  drv: {file: ./token.txt, driver: vault}\nconfigs:\n  app: {file: ./app.conf}\n  inline: {content: "debug=${'$'}{LEVEL:-on}"}\n`;
  const dir = tempProject({ 'compose.yaml': compose, 'token.txt': 'from-file', 'app.conf': 'x=1' }, 'files');
  return load({ workingDir: dir, environment }).project;
}

const ALL = '  app:\n    image: x\n    secrets: [token, {source: api, target: api_key, uid: "1000", gid: "1000", mode: 0400}]\n    configs: [{source: app, target: /etc/app.conf}, inline]\n';

describe('secrets and configs reach the container', () => {
  it('a file secret or config is bind-mounted read-only, at /run/secrets/<name> or its target', () => {
    const planned = checkedPlan(project(ALL));
    const dir = planned.containers[0]!.request.HostConfig.Mounts!;
    expect(dir).toEqual([
      { Type: 'bind', Source: expect.stringMatching(/\/token\.txt$/), Target: '/run/secrets/token', ReadOnly: true },
      { Type: 'bind', Source: expect.stringMatching(/\/app\.conf$/), Target: '/etc/app.conf', ReadOnly: true },
    ]);
  });

  it('an environment secret and a content config are written after create, before start, with their owner and mode', () => {
    const planned = checkedPlan(project(ALL));
    const copies = planned.operations.filter((operation) => operation.kind === 'CopyToContainer');
    expect(copies).toEqual([
      expect.objectContaining({ id: 'copy-to-container:files-app-1:/run/secrets/api_key', dependsOn: ['create-container:files-app-1'], cause: 'secret api, written before start', file: { from: 'secret', name: 'api', target: '/run/secrets/api_key', mode: 0o400, uid: 1000, gid: 1000 } }),
      expect.objectContaining({ id: 'copy-to-container:files-app-1:/inline', file: { from: 'config', name: 'inline', target: '/inline', mode: 0o444 } }),
    ]);
    const start = planned.operations.find((operation) => operation.kind === 'StartContainer')!;
    expect(start.dependsOn).toEqual(expect.arrayContaining(copies.map((copy) => copy.id)));
  });

  it('the plan names a secret, never holds its text; the runner takes it from the project', () => {
    const loaded = project(ALL);
    expect(JSON.stringify(checkedPlan(loaded))).not.toContain(SECRET);
    const texts = fileTexts(loaded);
    expect(texts({ from: 'secret', name: 'api' })).toBe(SECRET);
    expect(texts({ from: 'config', name: 'inline' })).toBe('debug=on');
  });

  it('a second up changes nothing; a changed secret value recreates the container, named and not shown', () => {
    const first = checkedPlan(project(ALL));
    expect(checkedPlan(project(ALL), observedAfter(first)).operations).toEqual([]);
    const changed = checkedPlan(project(ALL, { API_TOKEN: 'another-value' }), observedAfter(first));
    expect(changed.containers[0]).toMatchObject({ action: 'recreate', cause: 'secrets[1].content: changed (secret, not shown)' });
    expect(JSON.stringify(changed)).not.toMatch(/another-value|s3cr3t/);
  });

  it('run writes them into the one-off too', () => {
    const loaded = project(ALL);
    const planned = planRun(loaded, undefined, { oneOff: loaded.services.app!, name: 'files-app-run-1' });
    expect(planned.operations.map((operation) => operation.id).slice(-4)).toEqual([
      'create-container:files-app-run-1',
      'copy-to-container:files-app-run-1:/run/secrets/api_key',
      'copy-to-container:files-app-run-1:/inline',
      'start-container:files-app-run-1',
    ]);
  });

  it('what cannot reach the container is a conflict, not a file silently missing', () => {
    const conflicts = (services: string, environment?: Record<string, string>) => checkedPlan(project(services, environment)).conflicts.map((conflict) => conflict.message);
    expect(conflicts('  app: {image: x, secrets: [api]}\n', {})).toEqual(['services.app.secrets[0] cannot be honoured: secret "api" takes its text from the variable API_TOKEN, which is not set']);
    expect(conflicts('  app: {image: x, read_only: true, configs: [inline]}\n')).toEqual(['services.app.configs[0] cannot be honoured: config "inline" is written into the container, whose filesystem is read-only (read_only: true); give it as file:']);
    expect(conflicts('  app: {image: x, secrets: [drv]}\n')).toEqual(['services.app.secrets[0] cannot be honoured: secret "drv" has driver, which only a swarm honours']);
  });

  it('an owner or mode on a file secret is ignored with a warning, as compose does', () => {
    expect(checkedPlan(project('  app: {image: x, secrets: [{source: token, mode: 0400}]}\n')).warnings).toEqual(['services.app.secrets[0]: uid, gid and mode are ignored for a secret given as file: (it is mounted as the file is)']);
  });

  it('a volume at the same place wins over a secret, as compose fills mounts', () => {
    const planned = checkedPlan(project('  app: {image: x, volumes: ["./token.txt:/run/secrets/token"], secrets: [token]}\n'));
    expect(planned.containers[0]!.request.HostConfig.Mounts).toBeUndefined();
  });
});
