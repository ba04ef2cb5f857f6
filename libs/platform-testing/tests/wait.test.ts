import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.js';

describe('waitFor', () => {
  it('resolves once an async predicate holds, treating throws as not yet', async () => {
    let calls = 0;
    await waitFor(() => {
      calls++;
      if (calls < 3) throw new Error('not listening');
      return Promise.resolve(calls >= 4);
    });
    expect(calls).toBe(4);
  });

  it('names what it waited for and the last error when time runs out', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('ECONNREFUSED');
        },
        60,
        'the server',
      ),
    ).rejects.toThrow(/timed out after 60 ms waiting for the server \(last error: ECONNREFUSED\)/);
  });
});
