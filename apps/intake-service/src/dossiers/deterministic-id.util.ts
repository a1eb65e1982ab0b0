import { createHash, randomUUID } from 'node:crypto';

/** Namespace for intake's name-based event ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1c2b7e4d5a4e0f9b3c8a7d2e1f0c9b', 'hex');

/**
 * RFC 4122 version-5 UUID (SHA-1, name-based) of `name`: the same name always gives the same id, so a
 * re-imported line produces the same event ids and `ON CONFLICT DO NOTHING` makes the second run a no-op.
 */
export function uuidV5(name: string): string {
  const h = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const newId = (): string => randomUUID();
