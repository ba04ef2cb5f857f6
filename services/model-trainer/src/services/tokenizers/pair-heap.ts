/** A max-heap of (count, pair) with ties broken by the smaller pair key, so training is deterministic. */
export class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  private above(i: number, j: number): boolean {
    const ci = this.counts[i] ?? 0;
    const cj = this.counts[j] ?? 0;
    return ci > cj || (ci === cj && (this.keys[i] ?? 0) < (this.keys[j] ?? 0));
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j] ?? 0, this.counts[i] ?? 0];
    [this.keys[i], this.keys[j]] = [this.keys[j] ?? 0, this.keys[i] ?? 0];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } | undefined {
    if (this.keys.length === 0) return undefined;
    const top = { count: this.counts[0] ?? 0, key: this.keys[0] ?? 0 };
    const lastCount = this.counts.pop() ?? 0;
    const lastKey = this.keys.pop() ?? 0;
    if (this.keys.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < this.keys.length && this.above(left, best)) best = left;
        if (right < this.keys.length && this.above(right, best)) best = right;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}
