// What the pages read from the services' answers, kept free of the DOM so vitest tests it under Node.

export interface CurvePoint {
  step: number;
  train_loss: number | null;
  val_loss: number | null;
}

export const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The loss curve of /metrics: a list of points, bare or under `points`, `metrics`, `steps` or `curve`. */
export function curvePoints(body: unknown): CurvePoint[] {
  const record = body as Record<string, unknown> | null;
  const list = Array.isArray(body) ? body : [record?.points, record?.metrics, record?.steps, record?.curve].find(Array.isArray);
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const point = (item ?? {}) as Record<string, unknown>;
    const step = num(point.step);
    return step === null ? [] : [{ step, train_loss: num(point.train_loss ?? point.loss), val_loss: num(point.val_loss) }];
  });
}

export interface SseFrame {
  event: string;
  data: string;
}

/** Splits the complete server-sent event frames off a buffer; `rest` is the unfinished tail. */
export function sseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const frames = blocks
    .filter((block) => /^data:/m.test(block))
    .map((block) => ({
      event: /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message',
      data: [...block.matchAll(/^data: ?(.*)$/gm)].map((match) => match[1] ?? '').join('\n'),
    }));
  return { frames, rest };
}

/** The text a generation frame carries: model-trainer's `{token: id, delta}`, else `token` or `text`, else the raw data. */
export function frameText(data: string): string {
  try {
    const parsed = JSON.parse(data) as { token?: unknown; text?: unknown; delta?: unknown } | null;
    const text = [parsed?.delta, parsed?.token, parsed?.text].find((value) => typeof value === 'string');
    return typeof text === 'string' ? text : '';
  } catch {
    return data;
  }
}

/** `message` of an error frame, if it has one. */
export function frameError(data: string): string | undefined {
  try {
    const parsed = JSON.parse(data) as { message?: unknown } | null;
    return typeof parsed?.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
