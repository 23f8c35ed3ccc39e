import { describe, expect, it } from 'vitest';
import { parseLogTime } from '../../src/cli/logs.js';
import { logLabel } from '../../src/usecases/logs.js';

describe('logs --since and --until, read as the docker CLI reads them', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('takes Unix seconds as they are', () => {
    expect(parseLogTime('--since', '1700000000', now)).toBe(1700000000);
    expect(parseLogTime('--since', '1700000000.5', now)).toBe(1700000000.5);
  });

  it('takes a Go duration as that long before now', () => {
    expect(parseLogTime('--since', '42m', now)).toBe(now / 1000 - 42 * 60);
    expect(parseLogTime('--since', '1h30m', now)).toBe(now / 1000 - 5400);
    expect(parseLogTime('--until', '1.5s', now)).toBe(now / 1000 - 1.5);
  });

  it('takes an RFC 3339 time, and a date alone as local midnight', () => {
    expect(parseLogTime('--since', '2013-01-02T13:23:37Z', now)).toBe(Date.parse('2013-01-02T13:23:37Z') / 1000);
    expect(parseLogTime('--since', '2013-01-02', now)).toBe(new Date(2013, 0, 2).getTime() / 1000);
  });

  it('refuses anything else, naming the option', () => {
    expect(() => parseLogTime('--until', 'yesterday', now)).toThrow('--until takes a time, not "yesterday"');
    expect(() => parseLogTime('--since', '5 minutes', now)).toThrow(/--since takes a time/);
  });
});

describe('logLabel: what compose prefixes log lines with', () => {
  it('is the container name without the project, or a container_name as it is', () => {
    expect(logLabel('demo', { name: 'demo-web-1', service: 'web', number: 1 })).toBe('web-1');
    expect(logLabel('demo', { name: 'demo-web-12', service: 'web', number: 12 })).toBe('web-12');
    expect(logLabel('demo', { name: 'my-proxy', service: 'proxy', number: 1 })).toBe('my-proxy');
  });
});
