import { timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError } from 'aedes';

/**
 * Every decision the broker takes about a client, in one place, as plain overridable functions
 * (aedes hooks). Today: services authenticate with SERVICE_PASSWORD when one is set, anyone
 * else connects anonymously and may publish and subscribe.
 */
export interface HookOptions {
  serviceUsername: string;
  servicePassword?: string;
}

export type BrokerHooks = Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;

export function createHooks(options: HookOptions): BrokerHooks {
  return {
    authenticate(_client, username, password, done) {
      if (username !== options.serviceUsername || !options.servicePassword) return done(null, true);
      if (password && sameSecret(password, options.servicePassword)) return done(null, true);
      const error = new Error('bad service password') as AuthenticateError;
      error.returnCode = 4;
      done(error, false);
    },
    authorizePublish(_client, _packet, callback) {
      callback(null);
    },
    authorizeSubscribe(_client, subscription, callback) {
      callback(null, subscription);
    },
  };
}

function sameSecret(given: Buffer, expected: string): boolean {
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}
