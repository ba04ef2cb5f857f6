import { generateKeyPairSync, sign } from 'node:crypto';

/** An application key pair as the Developer Portal would hold it; signs requests as Discord does. */
export function interactionKeys(): { publicKeyHex: string; sign: (timestamp: string, body: string) => string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKeyHex: spki.subarray(spki.length - 32).toString('hex'),
    sign: (timestamp, body) => sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
  };
}
