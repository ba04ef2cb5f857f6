import type { ServiceName } from '@platform/core';
import type { Config } from '../config.js';

/** Who may use a console route: anyone, any logged-in session, or an admin session. */
export type Access = 'public' | 'viewer' | 'admin';

export interface ServiceEntry {
  name: ServiceName;
  /** The path segment of its console routes: /api/{prefix}/v1/... */
  prefix: string;
  /** Its BullMQ queue and event domain (DESIGN.md section 5); absent for a service without jobs. */
  domain?: string;
}

/** Every service the console shows, in the order of the overview. */
export const CATALOG: readonly ServiceEntry[] = [
  { name: 'data-bank-api', prefix: 'data-bank', domain: 'data_bank' },
  { name: 'qr-api', prefix: 'qr', domain: 'qr' },
  { name: 'handwriting-ai', prefix: 'handwriting', domain: 'digits' },
  { name: 'model-trainer', prefix: 'trainer', domain: 'trainer' },
  { name: 'turkic-api', prefix: 'turkic', domain: 'turkic' },
  { name: 'transcript-api', prefix: 'transcript', domain: 'transcript' },
  { name: 'music-wrapped-api', prefix: 'music', domain: 'music_wrapped' },
];

export const DOMAINS: readonly string[] = CATALOG.flatMap((entry) => (entry.domain ? [entry.domain] : []));

/** Which of a service's keys a route sends: most services have one; handwriting-ai separates reading. */
export type KeyKind = 'api' | 'read';

/** The X-API-Key the console sends for a service's routes (from the services' own key lists). */
export function serviceKey(config: Config, name: ServiceName, kind: KeyKind): string | undefined {
  return name === 'handwriting-ai' && kind === 'read' ? config.handwritingReadKey : config.serviceKeys[name];
}
