/**
 * Splits an XML byte stream around the content of one payload element (`<binary>` in mzML,
 * `<peaks>` in mzXML). The SAX parser then sees the element empty, and the base64 inside, nearly
 * all of a file's bytes, goes to the handler as raw bytes instead of being scanned character by
 * character: this is what makes the readers faster than pymzml.
 */
export class PayloadSplitter {
  private readonly open: Buffer;
  private readonly close: Buffer;
  private carry: Buffer = Buffer.alloc(0);
  private carryOffset = 0;
  private inPayload = false;
  private parts: Buffer[] = [];

  constructor(
    tag: string,
    private readonly onXml: (bytes: Buffer, fileOffset: number) => void,
    private readonly onPayload: (bytes: Buffer) => void,
  ) {
    this.open = Buffer.from(`<${tag}`, 'latin1');
    this.close = Buffer.from(`</${tag}>`, 'latin1');
  }

  /** Feeds the next bytes; `fileOffset` is where they start in the file. */
  write(chunk: Buffer, fileOffset: number): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const base = this.carry.length ? this.carryOffset : fileOffset;
    this.carry = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length) {
      if (this.inPayload) {
        const end = buf.indexOf(this.close, pos);
        if (end < 0) {
          // Keep enough bytes to find a closing tag split across chunks.
          const keep = Math.max(pos, buf.length - (this.close.length - 1));
          if (keep > pos) this.parts.push(buf.subarray(pos, keep));
          this.hold(buf, keep, base);
          return;
        }
        this.parts.push(buf.subarray(pos, end));
        this.onPayload(this.parts.length === 1 ? (this.parts[0] ?? Buffer.alloc(0)) : Buffer.concat(this.parts));
        this.parts = [];
        this.inPayload = false;
        pos = end;
        continue;
      }
      const start = this.findOpen(buf, pos);
      if (start === undefined) {
        // No payload start here; hold back a possible partial "<tag" at the end.
        const keep = Math.max(pos, buf.length - this.open.length);
        if (keep > pos) this.onXml(buf.subarray(pos, keep), base + pos);
        this.hold(buf, keep, base);
        return;
      }
      if (start.tagEnd < 0) {
        if (start.at > pos) this.onXml(buf.subarray(pos, start.at), base + pos);
        this.hold(buf, start.at, base);
        return;
      }
      this.onXml(buf.subarray(pos, start.tagEnd + 1), base + pos);
      pos = start.tagEnd + 1;
      this.inPayload = buf[start.tagEnd - 1] !== 0x2f; // not <tag/>
    }
  }

  /** Whatever is held back at the end of the input is plain XML (or a cut file). */
  end(): void {
    if (this.inPayload && this.parts.length) this.onXml(Buffer.concat(this.parts), this.carryOffset);
    if (this.carry.length) this.onXml(this.carry, this.carryOffset);
    this.carry = Buffer.alloc(0);
  }

  private hold(buf: Buffer, from: number, base: number): void {
    this.carry = Buffer.from(buf.subarray(from));
    this.carryOffset = base + from;
  }

  /** The next `<tag` followed by space or `>` (so `<binaryDataArray` does not match `<binary`). */
  private findOpen(buf: Buffer, from: number): { at: number; tagEnd: number } | undefined {
    let at = buf.indexOf(this.open, from);
    while (at >= 0) {
      const next = buf[at + this.open.length];
      if (next === undefined) return { at, tagEnd: -1 };
      if (next === 0x3e || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09 || next === 0x2f) {
        return { at, tagEnd: buf.indexOf(0x3e, at) };
      }
      at = buf.indexOf(this.open, at + 1);
    }
    return undefined;
  }
}
