/** A platform event as the console's /api/events stream sends it. */
export interface PlatformEvent {
  type: string;
  domain: string;
  job_id: string;
  user_id: string;
  ts: string;
  progress?: number;
  message?: string;
  error_kind?: string;
  result_id?: string;
  result?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

export interface EventQuery {
  domains?: string[];
  user?: string;
  job?: string;
  backlog?: number;
  /** Only the last metrics event of each job in the backlog (the feeds); the curves want them all. */
  latestMetrics?: boolean;
}

export const DOMAINS = ['data_bank', 'qr', 'digits', 'trainer', 'turkic', 'transcript', 'music_wrapped'];

/**
 * Follows /api/events; EventSource reconnects by itself and the server then sends the recent events
 * again, so each id is delivered once. Returns the function that stops following.
 */
export function followEvents(
  query: EventQuery,
  onEvent: (event: PlatformEvent, id: string) => void,
  onState?: (open: boolean) => void,
): () => void {
  const params = new URLSearchParams();
  if (query.domains && query.domains.length > 0) params.set('domain', query.domains.join(','));
  if (query.user) params.set('user', query.user);
  if (query.job) params.set('job', query.job);
  if (query.backlog !== undefined) params.set('backlog', String(query.backlog));
  if (query.latestMetrics) params.set('metrics', 'latest');
  const source = new EventSource(`/api/events?${params.toString()}`);
  const seen = new Set<string>();
  const handle = (message: MessageEvent<string>) => {
    if (seen.has(message.lastEventId)) return;
    seen.add(message.lastEventId);
    onEvent(JSON.parse(message.data) as PlatformEvent, message.lastEventId);
  };
  source.addEventListener('job', handle);
  source.addEventListener('metrics', handle);
  source.onopen = () => onState?.(true);
  source.onerror = () => onState?.(false);
  return () => {
    source.close();
  };
}

export const phaseOf = (type: string): string => type.split('.')[2] ?? type;
export const isMetrics = (type: string): boolean => type.includes('.metrics.');
