/** The noun that agrees with a count as shown (rounded): `noun(1, 'day')` is `day`, `noun(2, 'day')` is `days`. */
export const noun = (count: number, singular: string, plural = `${singular}s`): string => (Math.round(count) === 1 ? singular : plural);

/** A count with its noun in English: `counted(1, 'day')` is `1 day`, `counted(1234, 'play')` is `1,234 plays`. */
export const counted = (count: number, singular: string, plural?: string): string =>
  `${Math.round(count).toLocaleString('en-US')} ${noun(count, singular, plural)}`;
