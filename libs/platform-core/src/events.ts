import { z } from 'zod';

/** Discord snowflakes exceed 2^53, so user ids travel as decimal strings. */
export const UserId = z.string().regex(/^\d{1,20}$/, 'user_id must be a decimal string');

const Domain = z.string().regex(/^[a-z][a-z0-9_]*$/, 'domain must be lowercase letters, digits and _');
const JsonObject = z.record(z.string(), z.unknown());

const envelope = {
  domain: Domain,
  job_id: z.string().min(1),
  user_id: UserId,
  ts: z.iso.datetime(),
};

const JOB_EVENT = /^([a-z][a-z0-9_]*)\.job\.(started|progress|completed|failed)\.v1$/;
const METRICS_EVENT = /^([a-z][a-z0-9_]*)\.metrics\.([a-z][a-z0-9_]*)\.v1$/;

export const JobStartedEvent = z.object({ ...envelope, type: z.string().regex(JOB_EVENT), queue: z.string().min(1) });
export const JobProgressEvent = z.object({
  ...envelope,
  type: z.string().regex(JOB_EVENT),
  progress: z.number().min(0).max(100),
  message: z.string().optional(),
  payload: JsonObject.optional(),
});
export const JobCompletedEvent = z.object({
  ...envelope,
  type: z.string().regex(JOB_EVENT),
  result_id: z.string().optional(),
  result_bytes: z.number().int().nonnegative().optional(),
  result: JsonObject.optional(),
});
export const ErrorKind = z.enum(['user', 'system']);
export const JobFailedEvent = z.object({
  ...envelope,
  type: z.string().regex(JOB_EVENT),
  error_kind: ErrorKind,
  message: z.string(),
});
/** `{domain}.metrics.{name}.v1`: the envelope plus the metric values in `metrics`. */
export const MetricsEvent = z.object({ ...envelope, type: z.string().regex(METRICS_EVENT), metrics: JsonObject });

export type JobStartedEvent = z.infer<typeof JobStartedEvent>;
export type JobProgressEvent = z.infer<typeof JobProgressEvent>;
export type JobCompletedEvent = z.infer<typeof JobCompletedEvent>;
export type JobFailedEvent = z.infer<typeof JobFailedEvent>;
export type MetricsEvent = z.infer<typeof MetricsEvent>;
export type ErrorKind = z.infer<typeof ErrorKind>;
export type JobPhase = 'started' | 'progress' | 'completed' | 'failed';
export type PlatformEvent = JobStartedEvent | JobProgressEvent | JobCompletedEvent | JobFailedEvent | MetricsEvent;

const JOB_SCHEMAS = {
  started: JobStartedEvent,
  progress: JobProgressEvent,
  completed: JobCompletedEvent,
  failed: JobFailedEvent,
} as const;

/** An event that is not valid JSON, has an unknown type, or breaks its schema. */
export class EventDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventDecodeError';
  }
}

export const jobEventType = (domain: string, phase: JobPhase): string => `${domain}.job.${phase}.v1`;
export const metricsEventType = (domain: string, name: string): string => `${domain}.metrics.${name}.v1`;

/** The type's phase or metric kind and its domain, or undefined for a type the platform does not know. */
function classify(type: string): { schema: z.ZodType<PlatformEvent>; domain: string } | undefined {
  const job = JOB_EVENT.exec(type);
  if (job?.[1] !== undefined && job[2] !== undefined) return { schema: JOB_SCHEMAS[job[2] as JobPhase], domain: job[1] };
  const metrics = METRICS_EVENT.exec(type);
  if (metrics?.[1] !== undefined) return { schema: MetricsEvent, domain: metrics[1] };
  return undefined;
}

export function validateEvent(value: unknown): PlatformEvent {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') throw new EventDecodeError('event has no string "type" field');
  const kind = classify(type);
  if (!kind) {
    throw new EventDecodeError(
      `unknown event type "${type}": expected {domain}.job.{started|progress|completed|failed}.v1 or {domain}.metrics.{name}.v1`,
    );
  }
  const parsed = kind.schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new EventDecodeError(`invalid ${type} event: ${problems.join('; ')}`);
  }
  if (parsed.data.domain !== kind.domain) {
    throw new EventDecodeError(`event domain "${parsed.data.domain}" does not match its type "${type}"`);
  }
  return parsed.data;
}

/** Validates and serialises an event to its compact JSON wire form. */
export function encodeEvent(event: PlatformEvent): string {
  return JSON.stringify(validateEvent(event));
}

/** Parses and validates an event from the wire; throws EventDecodeError with a readable reason. */
export function decodeEvent(raw: string | Buffer): PlatformEvent {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch {
    throw new EventDecodeError(`event is not valid JSON: ${raw.toString().slice(0, 120)}`);
  }
  return validateEvent(value);
}

export const isJobEvent = (event: PlatformEvent, phase: JobPhase): boolean => event.type.endsWith(`.job.${phase}.v1`);

const now = () => new Date().toISOString();
interface Envelope {
  domain: string;
  job_id: string;
  user_id: string;
}

export const jobStarted = (e: Envelope & { queue: string }): JobStartedEvent => ({
  type: jobEventType(e.domain, 'started'),
  ts: now(),
  ...e,
});
export const jobProgress = (e: Envelope & { progress: number; message?: string; payload?: Record<string, unknown> }): JobProgressEvent => ({
  type: jobEventType(e.domain, 'progress'),
  ts: now(),
  ...e,
});
export const jobCompleted = (
  e: Envelope & { result_id?: string; result_bytes?: number; result?: Record<string, unknown> },
): JobCompletedEvent => ({ type: jobEventType(e.domain, 'completed'), ts: now(), ...e });
export const jobFailed = (e: Envelope & { error_kind: ErrorKind; message: string }): JobFailedEvent => ({
  type: jobEventType(e.domain, 'failed'),
  ts: now(),
  ...e,
});
export const metricsEvent = (e: Envelope & { name: string; metrics: Record<string, unknown> }): MetricsEvent => {
  const { name, ...rest } = e;
  return { type: metricsEventType(e.domain, name), ts: now(), ...rest };
};
