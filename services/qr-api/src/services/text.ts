import type { QrMatrix } from './matrix.js';

// Upper and lower half blocks: one character holds two module rows, so the code stays square in a terminal.
const BLOCKS = ' ▄▀█'; // index: top * 2 + bottom

/**
 * A UTF-8 rendering for terminals: dark modules are ink, or light modules with `invert` (for
 * light-on-dark terminals); the quiet zone is included.
 */
export function renderText(matrix: QrMatrix, margin: number, invert: boolean): string {
  const total = matrix.size + 2 * margin;
  const ink = (row: number, col: number): number => {
    if (row >= total) return 0;
    const r = row - margin;
    const c = col - margin;
    const dark = r >= 0 && c >= 0 && r < matrix.size && c < matrix.size && matrix.data[r * matrix.size + c] === 1;
    return dark !== invert ? 1 : 0;
  };
  const lines: string[] = [];
  for (let row = 0; row < total; row += 2) {
    let line = '';
    for (let col = 0; col < total; col++) line += BLOCKS.charAt(ink(row, col) * 2 + ink(row + 1, col));
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
