import { createHash, randomBytes } from 'node:crypto';

/**
 * A short salted hash of a client id, for `errors`: a presenter can tell one phone's refusals from
 * another's, while the room, which reads `errors` too, learns no id it could take over or get
 * banned. The salt is new with every broker, so tags cannot be looked up across shows.
 */
export function clientTagger(salt: Buffer = randomBytes(16)): (clientId: string) => string {
  return (clientId) => `c-${createHash('sha256').update(salt).update(clientId).digest('base64url').slice(0, 8)}`;
}
