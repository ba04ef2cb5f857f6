import { describe, expect, it } from 'vitest';
import {
  EventDecodeError,
  decodeEvent,
  encodeEvent,
  jobCompleted,
  jobFailed,
  jobProgress,
  jobStarted,
  metricsEvent,
} from '../src/events.js';

const base = { domain: 'data_bank', job_id: 'j1', user_id: '123456789012345678901' };

describe('events', () => {
  it('round-trips every job event and metrics events', () => {
    const events = [
      jobStarted({ ...base, user_id: '1234567890123456789', queue: 'data_bank' }),
      jobProgress({ ...base, user_id: '42', progress: 50, message: 'half', payload: { seen: 10 } }),
      jobCompleted({ ...base, user_id: '42', result_id: 'a'.repeat(64), result_bytes: 10 }),
      jobFailed({ ...base, user_id: '42', error_kind: 'user', message: 'no such file' }),
      metricsEvent({ ...base, user_id: '42', name: 'training', metrics: { loss: 1.5 } }),
    ];
    for (const event of events) expect(decodeEvent(encodeEvent(event))).toEqual(event);
    expect(events[0]?.type).toBe('data_bank.job.started.v1');
    expect(events[4]?.type).toBe('data_bank.metrics.training.v1');
  });

  it('keeps user ids beyond 2^53 exact', () => {
    const wire = encodeEvent(jobStarted({ ...base, user_id: '1234567890123456789', queue: 'q' }));
    expect(wire).toContain('"user_id":"1234567890123456789"');
  });

  it('rejects unknown types, numeric user ids, string payloads and bad JSON with clear messages', () => {
    const started = jobStarted({ ...base, user_id: '1', queue: 'q' });
    expect(() => decodeEvent(JSON.stringify({ ...started, type: 'data_bank.job.exploded.v1' }))).toThrow(
      /unknown event type "data_bank.job.exploded.v1"/,
    );
    expect(() => decodeEvent(JSON.stringify({ ...started, user_id: 1 }))).toThrow(/user_id/);
    const progress = jobProgress({ ...base, user_id: '1', progress: 5 });
    expect(() => decodeEvent(JSON.stringify({ ...progress, payload: '{"a":1}' }))).toThrow(/payload/);
    expect(() => decodeEvent(JSON.stringify({ ...progress, progress: 101 }))).toThrow(/progress/);
    expect(() => decodeEvent('{nope')).toThrow(EventDecodeError);
    expect(() => decodeEvent(JSON.stringify({ ...started, domain: 'qr' }))).toThrow(/does not match/);
    expect(() => decodeEvent('{}')).toThrow(/no string "type"/);
  });
});
