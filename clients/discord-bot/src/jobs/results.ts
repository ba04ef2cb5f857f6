import type { JobRecord, JobView } from '@platform/discord';
import { z } from 'zod';
import type { OutgoingFile } from '../discord/api.js';
import { extensionFor } from '../commands/common.js';
import type { Services } from '../services/clients.js';

const FileInfo = z.object({ size: z.number(), content_type: z.string() });

/**
 * What a finished job attaches: the wrapped card, the transcript as SRT, or the job's data-bank result
 * file when it fits in a Discord message (else the embed names the file id for `/files get`). A training
 * run attaches nothing: its result is the packed model (megabytes of .tar.xz), which /generate uses.
 */
export function resultFiles(services: Services, maxBytes: number) {
  return async (record: JobRecord, view: JobView): Promise<OutgoingFile[]> => {
    const userHeaders = { 'x-user-id': record.user_id ?? '0' };
    if (record.domain === 'music_wrapped' && services.music) {
      const card = await services.music.bytes(`/v1/wrapped/${encodeURIComponent(record.job_id)}/card.png`, { headers: userHeaders });
      return [{ name: 'wrapped.png', data: card.data, contentType: 'image/png' }];
    }
    if (record.domain === 'transcript' && services.transcript) {
      const srt = await services.transcript.bytes(`/v1/transcriptions/${encodeURIComponent(record.job_id)}/result`, {
        query: { format: 'srt' },
      });
      return [{ name: 'transcript.srt', data: srt.data, contentType: 'application/x-subrip' }];
    }
    if (view.result_id !== undefined && record.domain !== 'trainer' && services.dataBank) {
      const id = encodeURIComponent(view.result_id);
      const info = await services.dataBank.json(`/v1/files/${id}/info`, FileInfo);
      if (info.size > maxBytes) return [];
      const file = await services.dataBank.bytes(`/v1/files/${id}`);
      return [{ name: `result.${extensionFor(info.content_type)}`, data: file.data, contentType: info.content_type }];
    }
    return [];
  };
}
