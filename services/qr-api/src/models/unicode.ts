import type { z } from 'zod';

/** In `u` mode a surrogate pair is one code point, so this matches only a lone (unpaired) surrogate. */
const LONE_SURROGATE = /\p{Surrogate}/u;

const MESSAGE =
  'must be valid Unicode: it holds a lone surrogate (U+D800..U+DFFF), which UTF-8 cannot encode';

/**
 * Adds an issue at the path of every string in `value` holding a lone surrogate (JSON allows
 * "\uD800"; a QR code carries UTF-8, which cannot), so every field of every payload is covered,
 * including fields added later.
 */
export function rejectLoneSurrogates(
  value: unknown,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) ctx.addIssue({ code: 'custom', path, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      rejectLoneSurrogates(item, ctx, [...path, index]);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) rejectLoneSurrogates(item, ctx, [...path, key]);
  }
}
