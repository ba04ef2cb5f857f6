// s3rver ships no types; this is the part of its API the tests use (s3rver 3.7, a Koa application).
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    configureBuckets?: { name: string }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    readonly store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
    /** Koa's middleware list; the router is the last entry. */
    readonly middleware: unknown[];
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
