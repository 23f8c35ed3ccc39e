import { describe, expect, it } from 'vitest';
import { parseLongPort, parseShortPort } from '../../src/loader/ports.js';

describe('port short syntax', () => {
  it('takes a bare container port, number or string', () => {
    expect(parseShortPort(80)).toEqual([{ target: 80, protocol: 'tcp', mode: 'ingress' }]);
    expect(parseShortPort('80/udp')).toEqual([{ target: 80, protocol: 'udp', mode: 'ingress' }]);
  });

  it('takes HOST:CONTAINER and HOST_IP:HOST:CONTAINER', () => {
    // Host port 0: the engine chooses, as with `docker run -p 0:80`.
    expect(parseShortPort('0:80')).toEqual([{ target: 80, published: '0', protocol: 'tcp', mode: 'ingress' }]);
    expect(parseShortPort('8080:80')).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }]);
    expect(parseShortPort('127.0.0.1:8080:80/sctp')).toEqual([{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'sctp', mode: 'ingress' }]);
  });

  it('takes an empty host port as a random one on that address', () => {
    expect(parseShortPort('127.0.0.1::80')).toEqual([{ target: 80, host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('takes IPv6 host addresses in brackets and bare', () => {
    expect(parseShortPort('[::1]:8443:443')).toEqual([{ target: 443, published: '8443', host_ip: '::1', protocol: 'tcp', mode: 'ingress' }]);
    expect(parseShortPort('::1:8443:443')[0]!.host_ip).toBe('::1');
  });

  it('expands ranges pairwise', () => {
    expect(parseShortPort('8000-8001:80-81/udp')).toEqual([
      { target: 80, published: '8000', protocol: 'udp', mode: 'ingress' },
      { target: 81, published: '8001', protocol: 'udp', mode: 'ingress' },
    ]);
    expect(parseShortPort('5000-5002').map((p) => p.target)).toEqual([5000, 5001, 5002]);
  });

  it('keeps a host range for one container port as a pool', () => {
    expect(parseShortPort('9100-9110:100')).toEqual([{ target: 100, published: '9100-9110', protocol: 'tcp', mode: 'ingress' }]);
  });

  it('rejects bad ports with what is wrong', () => {
    expect(() => parseShortPort('0-3:80')).toThrow('host port 0 is out of range');
    expect(() => parseShortPort('8080:65536')).toThrow('container port 65536 is out of range');
    expect(() => parseShortPort('8000-8002:80-81')).toThrow('differ in length');
    expect(() => parseShortPort('8080:80/icmp')).toThrow('invalid protocol "icmp"');
    expect(() => parseShortPort('999.1.1.1:8080:80')).toThrow('invalid host IP');
    expect(() => parseShortPort('web:80')).toThrow('invalid host port "web"');
    expect(() => parseShortPort('90-80')).toThrow('the end is below the start');
  });
});

describe('port long syntax', () => {
  it('keeps every field compose keeps', () => {
    expect(parseLongPort({ target: 80, published: 8080, host_ip: '127.0.0.1', protocol: 'udp', mode: 'host', name: 'web', app_protocol: 'http' })).toEqual({
      target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'udp', mode: 'host', name: 'web', app_protocol: 'http',
    });
  });

  it('checks ranges and addresses', () => {
    expect(parseLongPort({ target: 80, published: '8000-8010' }).published).toBe('8000-8010');
    expect(() => parseLongPort({ target: 0 })).toThrow('out of range');
    expect(() => parseLongPort({ target: 80, published: 99999 })).toThrow('out of range');
  });
});
