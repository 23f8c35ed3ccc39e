import { describe, expect, it } from 'vitest';
import { boundOf, callTimeoutMs } from '../../src/engine/call-bounds.js';

describe('the bound of each engine call', () => {
  const bound = (method: string, path: string, extra: { isStream?: boolean; file?: unknown; options?: Record<string, unknown> } = {}) => boundOf({ method, path, ...extra }, 60_000);

  it('gives an ordinary call the whole bound to answer', () => {
    expect(bound('POST', '/containers/create?')).toEqual({ ms: 60_000, idleUntilAnswer: false, afterAnswer: 'none' });
    expect(bound('DELETE', '/networks/x?')).toEqual({ ms: 60_000, idleUntilAnswer: false, afterAnswer: 'none' });
  });

  it('adds the grace period a stop or restart waits', () => {
    expect(bound('POST', '/containers/web/stop?', { options: { t: 30 } }).ms).toBe(90_000);
    expect(bound('POST', '/containers/web/restart?', { options: { t: 0 } }).ms).toBe(60_000);
  });

  it('leaves a wait on a container unbounded: waiting is what it is for', () => {
    expect(bound('POST', '/containers/web/wait?').ms).toBeUndefined();
  });

  it('keeps a pull bounded by silence after the answer, and lets following streams and build output run', () => {
    expect(bound('POST', '/images/create?', { isStream: true }).afterAnswer).toBe('idle');
    expect(bound('POST', '/images/127.0.0.1:5000/x/push?', { isStream: true }).afterAnswer).toBe('idle');
    expect(bound('GET', '/containers/web/logs?', { isStream: true }).afterAnswer).toBe('none');
    expect(bound('POST', '/build?', { isStream: true, file: {} })).toEqual({ ms: 60_000, idleUntilAnswer: true, afterAnswer: 'none' });
  });

  it('reads COMPOSE_HTTP_TIMEOUT in seconds, as docker-compose does', () => {
    expect(callTimeoutMs({})).toBe(60_000);
    expect(callTimeoutMs({ COMPOSE_HTTP_TIMEOUT: '2.5' })).toBe(2500);
    expect(() => callTimeoutMs({ COMPOSE_HTTP_TIMEOUT: 'soon' })).toThrow('COMPOSE_HTTP_TIMEOUT "soon" is not a number of seconds');
  });
});
