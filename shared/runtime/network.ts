import { networkInterfaces } from 'node:os';

/** Bind addresses that mean every interface. */
export const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The addresses other machines can use to reach a server bound to `bindHost`: every LAN IPv4
 * address for a wildcard bind, else the bound host itself.
 */
export function reachableHosts(bindHost: string): string[] {
  if (!WILDCARDS.has(bindHost)) return [bindHost];
  const hosts: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) hosts.push(a.address);
    }
  }
  return hosts.length > 0 ? hosts : ['127.0.0.1'];
}

export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);
