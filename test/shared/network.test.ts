import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { reachableHosts, urlHost } from '../../shared/runtime/network.js';

describe('the addresses printed for phones to connect to', () => {
  it('for a wildcard bind: every non-internal IPv4 address of this machine, else 127.0.0.1', () => {
    const lan = Object.values(networkInterfaces())
      .flatMap((addresses) => addresses ?? [])
      .filter((a) => a.family === 'IPv4' && !a.internal)
      .map((a) => a.address);
    // internal (loopback) addresses are for this machine only: never offered while a LAN one exists
    const expected = lan.length > 0 ? lan : ['127.0.0.1'];
    for (const wildcard of ['0.0.0.0', '::', '']) expect(reachableHosts(wildcard)).toEqual(expected);
  });

  it('for a bound host: that host only', () => {
    expect(reachableHosts('192.168.1.20')).toEqual(['192.168.1.20']);
  });

  it('writes IPv6 hosts in brackets for URLs', () => {
    expect(urlHost('fe80::1')).toBe('[fe80::1]');
    expect(urlHost('10.0.0.2')).toBe('10.0.0.2');
  });
});
