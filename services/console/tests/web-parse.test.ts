import { describe, expect, it } from 'vitest';
import { curvePoints, frameError, frameText, sseFrames } from '../web/src/parse.js';

describe('curvePoints', () => {
  it("reads model-trainer's {run_id, points} with step and eval points", () => {
    const body = {
      run_id: 'r',
      points: [
        { kind: 'step', step: 10, train_loss: 3.2, tokens_per_s: 100 },
        { kind: 'eval', step: 10, val_loss: 3.4, best_val_loss: 3.4 },
        { kind: 'step', step: 20, loss: 2.9 },
      ],
    };
    expect(curvePoints(body)).toEqual([
      { step: 10, train_loss: 3.2, val_loss: null },
      { step: 10, train_loss: null, val_loss: 3.4 },
      { step: 20, train_loss: 2.9, val_loss: null },
    ]);
  });

  it('accepts a bare list and skips points without a numeric step', () => {
    expect(curvePoints([{ step: 1, train_loss: 1 }, { step: 'x' }, null, { train_loss: 2 }])).toEqual([
      { step: 1, train_loss: 1, val_loss: null },
    ]);
    expect(curvePoints({ nothing: true })).toEqual([]);
    expect(curvePoints(null)).toEqual([]);
  });
});

describe('sseFrames', () => {
  it('splits complete frames, keeps the unfinished tail, joins multi-line data', () => {
    const { frames, rest } = sseFrames('event: token\ndata: {"delta":"a"}\n\ndata: one\ndata: two\n\n: comment\n\nevent: done\ndata: {');
    expect(frames).toEqual([
      { event: 'token', data: '{"delta":"a"}' },
      { event: 'message', data: 'one\ntwo' },
    ]);
    expect(rest).toBe('event: done\ndata: {');
    expect(sseFrames(`${rest}}\n\n`).frames).toEqual([{ event: 'done', data: '{}' }]);
  });

  it('reads CRLF line ends', () => {
    expect(sseFrames('event: token\r\ndata: x\r\n\r\n').frames).toEqual([{ event: 'token', data: 'x' }]);
  });
});

describe('frameText and frameError', () => {
  it("takes model-trainer's delta over its numeric token id", () => {
    expect(frameText('{"token":17,"delta":"th"}')).toBe('th');
    expect(frameText('{"token":"e"}')).toBe('e');
    expect(frameText('{"text":"x"}')).toBe('x');
    expect(frameText('{"token":17}')).toBe('');
    expect(frameText('plain text')).toBe('plain text');
  });

  it("finds an error frame's message", () => {
    expect(frameError('{"code":"INTERNAL_ERROR","message":"generation failed"}')).toBe('generation failed');
    expect(frameError('oops')).toBeUndefined();
  });
});
