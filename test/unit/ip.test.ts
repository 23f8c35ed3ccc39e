import { isIP as nodeIsIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isIP } from '../../src/loader/ip.js';

describe('isIP', () => {
  it("answers as node:net's isIP does", () => {
    const inputs = ['127.0.0.1', '0.0.0.0', '255.255.255.255', '256.0.0.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', ' 1.2.3.4', '', 'localhost', '::', '::1', 'fe80::1%eth0', '::ffff:1.2.3.4', '2001:db8::/64', '1:2:3:4:5:6:7:8', '1::2::3', 'a.b.c.d', '10.0.0.1/24', '[::1]', '1.2.3.4\n'];
    for (const input of inputs) expect([input, isIP(input)]).toEqual([input, nodeIsIP(input)]);
  });
});
