import { describe, expect, it } from 'vitest';
import { compose, down, env, load, plan, ps, up, wait } from '../../src/index.js';
import { fixture } from '../helpers/fixtures.js';

// What a plain-JavaScript caller can get wrong, which TypeScript would have refused: each is a
// TypeError naming the call, before anything is read or any engine is asked.
describe('the library refuses wrong arguments with a TypeError that says what it takes', () => {
  const loaded = load({ workingDir: fixture('engine', 'lifecycle') });

  it('plan(load(...)) instead of plan(load(...).project)', () => {
    expect(() => plan(loaded as never)).toThrow(new TypeError('plan(project, observed?, options?): the project is a loaded compose project, not an object with keys project, warnings: pass load(...).project, not what load(...) returns'));
    expect(plan(loaded.project).operations.length).toBeGreaterThan(0);
  });

  it('a directory where the options go', async () => {
    expect(() => load('examples/demo' as never)).toThrow(/load\(options\): options is an object, not the string "examples\/demo" \(a directory is given as \{ workingDir: "examples\/demo" \}\)/);
    for (const call of [up, down, ps, env]) await expect(call('examples/demo' as never)).rejects.toThrow(TypeError);
  });

  it('a project, a signal or services of the wrong kind', async () => {
    await expect(up({ project: loaded as never })).rejects.toThrow(/pass load\(\.\.\.\)\.project/);
    await expect(down({ signal: 5 as never })).rejects.toThrow('down: signal is an AbortSignal (from an AbortController), not number 5');
    await expect(ps({ services: 'web' as never })).rejects.toThrow('ps({ services }): services is an array of service names, not the string "web"');
  });

  it('wait strategies and the stack builder', () => {
    expect(() => wait.http('/health', { port: '3000' as never })).toThrow(/port number from 1 to 65535/);
    expect(() => wait.log(/x/, { timeout: -1 })).toThrow(/number of seconds above 0/);
    expect(() => compose({}).withWait(3 as never, wait.healthy())).toThrow(/the service is a name from the compose file, not number 3/);
  });
});
