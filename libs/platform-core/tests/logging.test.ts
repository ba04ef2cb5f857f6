import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWithContext } from '../src/context.js';
import { createLogger } from '../src/logging.js';

describe('createLogger', () => {
  it('writes JSON lines with service, instance and the context ids', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ service: 'qr-api', instance: 'host:1', destination });
    logger.info('outside');
    runWithContext({ request_id: 'req-1' }, () => {
      runWithContext({ job_id: 'job-9' }, () => {
        logger.info({ extra: 1 }, 'inside');
      });
    });
    const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(outside).toMatchObject({ service: 'qr-api', instance: 'host:1', level: 'info', msg: 'outside' });
    expect(outside).not.toHaveProperty('request_id');
    expect(inside).toMatchObject({ request_id: 'req-1', job_id: 'job-9', extra: 1, msg: 'inside' });
    expect(typeof inside?.time).toBe('string');
  });
});
