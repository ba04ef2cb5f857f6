import { createPublicKey, verify, type KeyObject } from 'node:crypto';

// An Ed25519 public key as DER SubjectPublicKeyInfo: this fixed prefix, then the 32 raw key bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The application's public key (64 hex characters, as the Developer Portal shows it). */
export function interactionPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('DISCORD_PUBLIC_KEY must be 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/**
 * Discord signs `timestamp + body` with Ed25519 and sends the signature (hex) and timestamp in
 * `X-Signature-Ed25519` and `X-Signature-Timestamp`. False for a missing, malformed or wrong signature.
 */
export function verifyInteractionSignature(
  key: KeyObject,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
): boolean {
  if (signatureHex === undefined || timestamp === undefined) return false;
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
}
