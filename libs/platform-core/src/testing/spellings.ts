/** Other spellings of a concrete path, the ways a check on the raw URL and the router can disagree. */

const hex = (char: string) => [...Buffer.from(char, 'utf8')].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

/** `path` with the character at each position (slashes kept) replaced by `spell(char)`, one at a time. */
function eachCharacter(path: string, spell: (char: string) => string): string[] {
  return Array.from(path).flatMap((char, index, chars) =>
    char === '/' ? [] : [[...chars.slice(0, index), spell(char), ...chars.slice(index + 1)].join('')],
  );
}

/** `path` with the slash before each segment (after the first one) replaced by `spell`. */
function eachInnerSlash(path: string, spell: string): string[] {
  const segments = path.split('/').slice(1);
  return segments.slice(1).map((_, index) => `/${segments.slice(0, index + 1).join('/')}${spell}${segments.slice(index + 1).join('/')}`);
}

/** `path` with `insert` put before each segment. */
function beforeEachSegment(path: string, insert: string): string[] {
  const segments = path.split('/').slice(1);
  return segments.map((_, index) => `/${[...segments.slice(0, index), insert, ...segments.slice(index)].join('/')}`);
}

const swapCase = (text: string) =>
  Array.from(text)
    .map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase()))
    .join('');

/**
 * Spellings of `path` (e.g. `/v1/x`): each character percent-encoded (`/%761/x`) and double-encoded
 * (`/%25761/x`), everything encoded, mixed case, dot segments (`/./v1/x`, `/v1/./x`, `/a/../v1/x`, and
 * their encoded forms), duplicated slashes, a trailing slash, encoded slashes and backslashes, and
 * a trailing `?`, `#` or `;`. The canonical spelling itself is left out.
 */
export function pathSpellings(path: string): string[] {
  const percent = (char: string) =>
    hex(char)
      .map((byte) => `%${byte}`)
      .join('');
  const spellings = [
    ...eachCharacter(path, percent),
    ...eachCharacter(path, (char) =>
      hex(char)
        .map((byte) => `%25${byte}`)
        .join(''),
    ),
    ...eachCharacter(path, (char) => percent(char).toLowerCase()),
    path.replace(/[^/]/g, percent),
    path.toUpperCase(),
    swapCase(path),
    path.replace(/^\/(.)/, (_match, first: string) => `/${first.toUpperCase()}`),
    ...beforeEachSegment(path, '.'),
    ...beforeEachSegment(path, '%2e'),
    ...beforeEachSegment(path, 'a/..'),
    ...beforeEachSegment(path, 'a/%2e%2e'),
    ...beforeEachSegment(path, ''),
    `/${path}`,
    `${path}/`,
    `${path}/.`,
    ...eachInnerSlash(path, '%2F'),
    ...eachInnerSlash(path, '%2f'),
    ...eachInnerSlash(path, '\\'),
    `${path}?`,
    `${path}#`,
    `${path};`,
  ];
  return [...new Set(spellings)].filter((spelling) => spelling !== path);
}
