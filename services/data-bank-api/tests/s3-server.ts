// A real S3-compatible server in the test process: s3rver 3.7 (its files in a temp dir), plus the two
// multipart calls it lacks, ListMultipartUploads and AbortMultipartUpload, answered from s3rver's own
// upload directories in the documented XML shapes, so the backend's abort and sweep paths run for real.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Settings } from '../src/storage/s3-client.js';

export interface S3TestServer {
  settings: S3Settings;
  /** Where s3rver keeps the bucket's files. */
  directory: string;
  /** Multipart uploads started and neither completed nor aborted. */
  openUploads(): Promise<string[]>;
  close(): Promise<void>;
}

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  status: number;
  body: unknown;
}

const uploadsDir = (server: S3rver, bucket: string) => server.store.getResourcePath(bucket, undefined, 'uploads');

async function listUploads(server: S3rver, bucket: string) {
  const dir = uploadsDir(server, bucket);
  // No upload was ever started: no directory.
  const ids = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(
    ids.map(async (id) => ({
      UploadId: id,
      Key: await readFile(join(dir, id, 'key'), 'utf8'),
      Initiated: (await stat(join(dir, id))).mtime.toISOString(),
    })),
  );
}

function multipartExtras(server: S3rver) {
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    const [bucket = '', ...key] = ctx.path.split('/').filter(Boolean);
    if (ctx.method === 'GET' && key.length === 0 && 'uploads' in ctx.query) {
      const prefix = ctx.query.prefix ?? '';
      const uploads = (await listUploads(server, bucket)).filter((upload) => upload.Key.startsWith(prefix));
      ctx.body = {
        ListMultipartUploadsResult: { Bucket: bucket, Prefix: prefix, IsTruncated: false, Upload: uploads },
      };
      return;
    }
    const uploadId = ctx.query.uploadId;
    if (ctx.method === 'DELETE' && uploadId !== undefined) {
      const dir = join(uploadsDir(server, bucket), uploadId);
      // Missing means no such upload (answered 404 below).
      if (!(await stat(dir).catch(() => undefined))) {
        ctx.status = 404;
        ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist.' } };
        return;
      }
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  };
}

export async function startS3Server(bucket = 'data-bank'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  // Before the router (the last middleware), after the XML encoder that turns plain bodies into XML.
  server.middleware.splice(server.middleware.length - 1, 0, multipartExtras(server));
  const address: AddressInfo = await server.run();
  return {
    settings: {
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket,
      region: 'us-east-1',
      forcePathStyle: true,
      // s3rver's fixed account.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    },
    directory,
    openUploads: async () => (await listUploads(server, bucket)).map((upload) => upload.UploadId),
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
