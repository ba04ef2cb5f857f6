/** Counts the items of an async iterable, consuming it. */
export async function count(items: AsyncIterable<unknown>): Promise<number> {
  const iterator = items[Symbol.asyncIterator]();
  let n = 0;
  while (!(await iterator.next()).done) n++;
  return n;
}
