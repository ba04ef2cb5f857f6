import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import mammoth from 'mammoth';
import { InstrumentFileError } from '../errors.js';

const STANDARD_FONTS = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** The text of each page of a PDF (pdfjs-dist; items joined in reading order, lines by their y). */
export async function readPdfText(path: string): Promise<string[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const data = new Uint8Array(await readFile(path));
  let doc;
  try {
    doc = await getDocument({
      data,
      isEvalSupported: false,
      standardFontDataUrl: STANDARD_FONTS,
      verbosity: 0, // errors only: pdfjs warns on stderr about every font quirk
    }).promise;
  } catch (cause) {
    throw new InstrumentFileError(path, undefined, `a PDF document (${(cause as Error).message})`, { cause });
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text.trim());
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** The paragraphs of a .docx (mammoth's raw text, one paragraph per line). */
export async function readDocxText(path: string): Promise<string[]> {
  try {
    const { value } = await mammoth.extractRawText({ path });
    return value
      .split(/\n+/)
      .map((p) => p.trim())
      .filter((p) => p !== '');
  } catch (cause) {
    throw new InstrumentFileError(path, undefined, `a .docx document (${(cause as Error).message})`, { cause });
  }
}
