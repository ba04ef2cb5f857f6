/**
 * Writes GPT-2's tokenizer.json (from gpt-tokenizer's r50k_base ranks; README "Tokenizers"):
 *   npx tsx --conditions=source services/model-trainer/scripts/build-gpt2-tokenizer.ts OUT.json
 */
import { writeFile } from 'node:fs/promises';
import { buildGpt2Tokenizer } from '../src/services/tokenizers/gpt2.js';

const out = process.argv[2] ?? 'gpt2-tokenizer.json';
await writeFile(out, `${JSON.stringify((await buildGpt2Tokenizer()).toJSON())}\n`);
console.log(`wrote ${out}`);
