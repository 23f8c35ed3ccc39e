import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/loader/duration.js';
import { load } from '../../src/loader/index.js';
import { tempProject } from '../helpers/fixtures.js';

describe('durations, as compose-go reads and writes them', () => {
  it.each([
    ['10s', 10e9], ['1m30s', 90e9], ['1.5h', 5400e9], ['500ms', 5e8], ['2us', 2000], ['3µs', 3000], ['7ns', 7],
    ['1d', 86400e9], ['1w', 604800e9], ['0', 0], ['-1s', -1e9], ['+1s', 1e9], ['.5s', 5e8], ['1h2m3s4ms', 3723004e6],
  ])('%s is %d ns', (text, ns) => expect(parseDuration(text)).toBe(ns));

  it.each(['10sec', '5 seconds', '10', '', 's', '1.s.', '1x', '--1s'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());

  it.each([
    [0, '0s'], [10e9, '10s'], [60e9, '1m0s'], [90e9, '1m30s'], [3600e9, '1h0m0s'], [86400e9, '24h0m0s'],
    [5e8, '500ms'], [1.5e9, '1.5s'], [2000, '2µs'], [7, '7ns'], [1500, '1.5µs'], [-90e9, '-1m30s'], [3723004e6, '1h2m3.004s'],
  ])('%d ns prints as %s', (ns, text) => expect(formatDuration(ns)).toBe(text));

  it('the loader writes every duration of a service as Go prints it', () => {
    const dir = tempProject({
      'compose.yaml': [
        'services:',
        '  web:',
        '    image: x',
        '    stop_grace_period: 90s',
        '    healthcheck: {interval: 1d, timeout: 500ms, start_period: "0", start_interval: 1h}',
        '    deploy:',
        '      restart_policy: {delay: 5s, window: 2m}',
        '      update_config: {delay: 10s, monitor: 1m30s}',
      ].join('\n'),
    });
    const web = load({ workingDir: dir, environment: {} }).project.services.web!;
    expect(web.stop_grace_period).toBe('1m30s');
    expect(web.healthcheck).toEqual({ interval: '24h0m0s', timeout: '500ms', start_period: '0s', start_interval: '1h0m0s' });
    expect(web.deploy).toMatchObject({ restart_policy: { delay: '5s', window: '2m0s' }, update_config: { delay: '10s', monitor: '1m30s' } });
  });
});
