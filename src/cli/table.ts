import { colors } from './colors.js';

const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Left-aligned columns (color codes do not count toward widths), the last column free. */
export function formatTable(header: string[], rows: string[][], gap = '  '): string {
  const widths = header.map((title, column) => Math.max(visible(title).length, ...rows.map((row) => visible(row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visible(cell).length)))
      .join(gap)
      .trimEnd();
  return [colors().bold(line(header)), ...rows.map(line)].join('\n');
}
