import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/procfile.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { describeAccessMatrix, type BrokerUnderTest } from './access-matrix.js';

const SERVICE_PASSWORD = 'matrix-service-secret';
const shipped = (name: string) => readFileSync(join(repoRoot, 'config/mosquitto', name), 'utf8');

/**
 * The shipped configuration with the test's own listener: its listener lines (and their
 * per-listener limits) go, the file paths point at this test's copies.
 */
export function shippedMosquittoConfig(dir: string): string {
  return shipped('mosquitto.conf')
    .split('\n')
    .filter((line) => !/^(listener|protocol|max_connections|allow_anonymous|persistence)\b/.test(line))
    .map((line) =>
      line
        .replace(/^password_file .*/, `password_file ${join(dir, 'passwords')}`)
        .replace(/^acl_file .*/, `acl_file ${join(dir, 'acl')}`),
    )
    .join('\n');
}

async function mosquitto(): Promise<BrokerUnderTest> {
  const broker = await startMosquitto(shippedMosquittoConfig, {
    // The shipped ACL, plus the test-only outsider who may read and write anything.
    files: { acl: `${shipped('acl')}\nuser outsider\ntopic readwrite #\n` },
    passwords: { service: SERVICE_PASSWORD, outsider: 'outsider-secret' },
  });
  return {
    url: broker.url,
    service: { username: 'service', password: SERVICE_PASSWORD },
    outsider: { username: 'outsider', password: 'outsider-secret' },
    stop: () => broker.stop(),
  };
}

describeAccessMatrix("Debian's Mosquitto with the shipped configuration", mosquitto, { checksRetainAndPayload: false });
