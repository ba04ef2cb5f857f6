import {
  createDataBankClient,
  DataBankAuthError,
  DataBankInvalidError,
  DataBankNotFoundError,
  DataBankTooLargeError,
  type DataBankClient,
} from '@platform/core';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, randomFile, sha256, startServer, tempDir, type TestServer } from './helpers.js';

describe('@platform/core data-bank client against the real service', () => {
  let server: TestServer;
  let client: DataBankClient;
  let dir: string;
  beforeAll(async () => {
    server = await startServer({ maxFileBytes: 8 * 1024 * 1024 });
    client = createDataBankClient({ baseUrl: server.url, apiKey: KEYS.admin });
    dir = await tempDir('data-bank-client-');
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads from a path, a buffer and a stream, and reads the records back', async () => {
    const path = join(dir, 'source.bin');
    const fromPath = await client.upload({
      kind: 'path',
      path: await writeFile(path, randomBytes(70_000)).then(() => path),
    });
    expect(fromPath).toMatchObject({ size: 70_000, created: true });
    const fromBuffer = await client.upload({ kind: 'buffer', data: Buffer.from('buffer') }, { contentType: 'text/plain' });
    expect(fromBuffer).toMatchObject({
      file_id: sha256('buffer'),
      content_type: 'text/plain',
      created: true,
    });
    const fromStream = await client.upload({
      kind: 'stream',
      stream: Readable.from([Buffer.from('str'), Buffer.from('eam')]),
    });
    expect(fromStream.file_id).toBe(sha256('stream'));
    expect((await client.upload({ kind: 'buffer', data: Buffer.from('buffer') })).created).toBe(false);

    const record = await client.info(fromBuffer.file_id);
    expect({ ...record, created: true }).toEqual(fromBuffer);
    expect(await client.head(fromBuffer.file_id)).toMatchObject({
      file_id: record.file_id,
      size: 6,
      content_type: 'text/plain',
    });
    const listed = await client.list({ limit: 2 });
    expect(listed.files).toHaveLength(2);
    expect(listed.next_cursor).not.toBeNull();
    const rest = await client.list({ limit: 2, cursor: listed.next_cursor ?? '' });
    expect(rest.files).toHaveLength(1);

    const ranged = await client.stream(fromBuffer.file_id, { start: 1, end: 3 });
    expect(Buffer.from(await new Response(ranged).arrayBuffer()).toString()).toBe('uff');

    await client.delete(fromBuffer.file_id);
    expect(await client.head(fromBuffer.file_id)).toBeUndefined();
    await expect(client.delete(fromBuffer.file_id)).rejects.toBeInstanceOf(DataBankNotFoundError);
  });

  it('downloads and resumes from a partial file', async () => {
    const path = join(dir, 'big.bin');
    const id = await randomFile(path, 5 * 1024 * 1024 + 3);
    await client.upload({ kind: 'path', path }, { sha256: id });
    const target = join(dir, 'copy.bin');
    const original = await readFile(path);
    await writeFile(`${target}.part`, original.subarray(0, 3 * 1024 * 1024)); // an earlier, interrupted download
    expect(await client.download(id, target)).toMatchObject({ file_id: id, size: original.length });
    expect(sha256(await readFile(target))).toBe(id);
  });

  it('raises typed errors for the service answers', async () => {
    await expect(client.upload({ kind: 'buffer', data: new Uint8Array(9 * 1024 * 1024) })).rejects.toBeInstanceOf(DataBankTooLargeError);
    await expect(
      client.upload({ kind: 'stream', stream: Readable.from([Buffer.from('x')]) }, { sha256: sha256('y') }),
    ).rejects.toBeInstanceOf(DataBankInvalidError);
    const reader = createDataBankClient({ baseUrl: server.url, apiKey: KEYS.reader });
    await expect(reader.upload({ kind: 'buffer', data: Buffer.from('z') })).rejects.toMatchObject({
      status: 403,
    });
    await expect(reader.upload({ kind: 'buffer', data: Buffer.from('z') })).rejects.toBeInstanceOf(DataBankAuthError);
    await expect(reader.info(sha256('none'))).rejects.toBeInstanceOf(DataBankNotFoundError);
  });
});
