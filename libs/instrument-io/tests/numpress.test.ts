import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeLinear, decodePic, decodeSlof } from '../src/binary/numpress.js';
import { expectClose, fixture } from './helpers.js';

interface Vector {
  method: 'linear' | 'pic' | 'slof';
  input: number[];
  encoded: string;
  decoded: number[];
}

const vectors = JSON.parse(await readFile(fixture('numpress', 'vectors.json'), 'utf8')) as Record<string, Vector>;
const decoders = { linear: decodeLinear, pic: decodePic, slof: decodeSlof };

describe('MS-Numpress against the reference C++ implementation', () => {
  for (const [name, v] of Object.entries(vectors)) {
    it(`${name}: decodes what MSNumpress.cpp encoded, to the values it decodes`, () => {
      const out = decoders[v.method](Buffer.from(v.encoded, 'base64'));
      expectClose(out, v.decoded, 1e-12);
      // and within the documented error of the original values
      if (v.method === 'linear') expectClose(out, v.input, 0, 1e-6);
      if (v.method === 'pic') expectClose(out, v.input, 0, 0.5);
      if (v.method === 'slof') expectClose(out, v.input, 5e-4, 1e-3);
    });
  }

  it('rejects truncated streams', () => {
    const linear = Buffer.from(vectors.linear_mz?.encoded ?? '', 'base64');
    expect(() => decodeLinear(linear.subarray(0, 10))).toThrow(/first value/);
    expect(() => decodeSlof(Buffer.from(vectors.slof_intensity?.encoded ?? '', 'base64').subarray(0, 11))).toThrow(/odd byte count/);
    const pic = Buffer.from(vectors.pic_counts?.encoded ?? '', 'base64');
    expect(() => decodePic(Buffer.concat([pic, Buffer.from([0x07])]))).toThrow(/corrupt/);
  });
});
