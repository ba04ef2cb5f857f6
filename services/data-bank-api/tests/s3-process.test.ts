// The real data-bank process with DATA_BANK_BACKEND=s3 against a real S3-compatible server: the
// configuration picks the backend, and the HTTP contract holds on top of it.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataBankProcess, type DataBankProcess } from '../testing/index.js';
import { hashBody, sha256 } from './helpers.js';
import { startS3Server, type S3TestServer } from './s3-server.js';

describe('data-bank-api on S3', () => {
  let s3: S3TestServer;
  let bank: DataBankProcess;
  const request = (path: string, headers: Record<string, string> = {}) =>
    fetch(bank.url + path, { headers: { 'x-api-key': bank.apiKey, ...headers } });

  beforeAll(async () => {
    s3 = await startS3Server();
    const { endpoint = '', bucket, accessKeyId = '', secretAccessKey = '' } = s3.settings;
    bank = await startDataBankProcess({
      env: {
        DATA_BANK_BACKEND: 's3',
        S3_ENDPOINT: endpoint,
        S3_BUCKET: bucket,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: accessKeyId,
        S3_SECRET_ACCESS_KEY: secretAccessKey,
      },
    });
  });
  afterAll(async () => {
    await bank.stop();
    await s3.close();
  });

  it('stores uploads in the bucket, not on disk, and serves them with ranges and ETags', async () => {
    const big = randomBytes(12 * 1024 * 1024 + 7); // streamed: above the in-memory size, several parts
    const stored = await bank.client.upload({ kind: 'buffer', data: big }, { contentType: 'application/x-test' });
    expect(stored).toMatchObject({ file_id: sha256(big), size: big.length, created: true });
    expect(await readdir(bank.root)).toEqual([]); // DATA_BANK_ROOT is not used

    const whole = await request(`/v1/files/${stored.file_id}`);
    expect(whole.headers.get('content-type')).toBe('application/x-test');
    expect(await hashBody(whole)).toEqual({ sha256: stored.file_id, size: big.length });

    const ranged = await request(`/v1/files/${stored.file_id}`, { range: 'bytes=100-199' });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(big.subarray(100, 200))).toBe(true);

    const cached = await request(`/v1/files/${stored.file_id}`, { 'if-none-match': `"${stored.file_id}"` });
    expect(cached.status).toBe(304);
  });

  it('dedupes, lists, deletes, and is ready', async () => {
    const small = Buffer.from('small file on s3');
    const first = await bank.client.upload({ kind: 'buffer', data: small });
    const again = await bank.client.upload({ kind: 'buffer', data: small });
    expect([first.created, again.created]).toEqual([true, false]);
    const listed = await bank.client.list({ limit: 1000 });
    expect(listed.files.map((file) => file.file_id)).toContain(first.file_id);
    await bank.client.delete(first.file_id);
    expect(await bank.client.head(first.file_id)).toBeUndefined();
    const ready = await fetch(`${bank.url}/readyz`);
    expect(((await ready.json()) as { checks: Record<string, unknown> }).checks).toMatchObject({
      storage: 'ok',
      free_space: 'ok',
    });
  });
});
