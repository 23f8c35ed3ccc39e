import { describe, expect, it } from 'vitest';
import { LABEL } from '../../src/planner/index.js';
import { changesCause, configChanges, recordedChanges, recordedConfig } from '../../src/planner/config-diff.js';
import { renderPlan } from '../../src/cli/plan-view.js';
import { checkedPlan, loadFixtureProject, observedAfter } from '../helpers/plan.js';

const demo = () => loadFixtureProject('../../examples/demo');

describe('what changed, path by path', () => {
  it('names each changed field with its old and new value', () => {
    const before = { environment: { LOG_LEVEL: 'info', KEEP: '1' }, ports: [{ target: 80, published: '8080', protocol: 'tcp' }], labels: { 'com.example.tier': 'web' } };
    const after = { environment: { LOG_LEVEL: 'debug', KEEP: '1', NEW: 'x' }, ports: [{ target: 80, published: '8081', protocol: 'tcp' }, { target: 443, protocol: 'tcp' }], labels: {} };
    expect(changesCause(configChanges(before, after))).toBe('environment.LOG_LEVEL: "info" → "debug"; environment.NEW: (none) → "x"; labels["com.example.tier"]: "web" → (none); and 2 more');
    expect(configChanges(before, after).slice(3)).toEqual([
      { path: 'ports[0].published', from: '8080', to: '8081' },
      { path: 'ports[1]', to: { target: 443, protocol: 'tcp' } },
    ]);
  });

  it('names a changed secret and never shows or records its value', () => {
    const before = recordedConfig({ environment: { DB_PASSWORD: 'hunter2-old', API_KEY: 'same', LOG_LEVEL: 'info' } });
    const after = recordedConfig({ environment: { DB_PASSWORD: 'hunter2-new', API_KEY: 'same', LOG_LEVEL: 'info' } });
    expect(before).not.toContain('hunter2');
    const changes = recordedChanges(before, after);
    expect(changes).toEqual([{ path: 'environment.DB_PASSWORD', secret: true }]);
    expect(changesCause(changes)).toBe('environment.DB_PASSWORD: changed (secret, not shown)');
  });

  it('says "config hash changed" when the old configuration was not recorded', () => {
    expect(recordedChanges(undefined, recordedConfig({ image: 'a' }))).toEqual([]);
    expect(changesCause([])).toBe('config hash changed');
  });

  it('a recreate of the demo says which environment value and which port changed, in the plan and its changes', () => {
    const first = checkedPlan(demo());
    const changed = loadFixtureProject('../../examples/demo', { environment: { LOG_LEVEL: 'debug', WEB_HOST_PORT: '8081' } });
    const result = checkedPlan(changed, observedAfter(first));
    const recreated = result.containers.filter((c) => c.action === 'recreate');
    expect(recreated.map((c) => [c.name, c.cause])).toEqual([
      ['demo-api-1', 'environment.LOG_LEVEL: "info" → "debug"'],
      ['demo-web-1', 'ports[0].published: "8080" → "8081"'],
    ]);
    expect(recreated[0]!.changes).toEqual([{ path: 'environment.LOG_LEVEL', from: 'info', to: 'debug' }]);
    const table = renderPlan(result).replace(/\x1b\[[0-9;]*m/g, '');
    expect(table).toContain(['Recreated because', 'RESOURCE    CHANGE', 'demo-api-1  environment.LOG_LEVEL: "info" → "debug"', 'demo-web-1  ports[0].published: "8080" → "8081"'].join('\n'));
  });

  it('a recreated network says which of its settings changed', () => {
    const first = checkedPlan(demo());
    const changed = demo();
    changed.networks.back!.labels = { tier: 'data' };
    changed.networks.back!.internal = false;
    const back = checkedPlan(changed, observedAfter(first)).networks.find((n) => n.key === 'back')!;
    expect(back).toMatchObject({ action: 'recreate', cause: 'internal: true → false; labels.tier: (none) → "data"' });
    expect(back.request!.Labels[LABEL.config]).toContain('"tier":"data"');
  });
});
