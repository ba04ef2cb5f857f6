import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type IRunOptions } from 'docx';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { cellText, type Report, type ReportTable } from './types.js';

/** Excel: a "report" sheet with the title and texts, then one sheet per section table. */
export async function writeExcelReport(path: string, report: Report): Promise<void> {
  const book = new ExcelJS.Workbook();
  const cover = book.addWorksheet('report');
  cover.addRow([report.title]).font = { bold: true, size: 14 };
  if (report.subtitle) cover.addRow([report.subtitle]);
  for (const section of report.sections) {
    cover.addRow([]);
    cover.addRow([section.heading]).font = { bold: true };
    for (const p of section.paragraphs ?? []) cover.addRow([p]);
  }
  cover.getColumn(1).width = 80;
  const used = new Set(['report']);
  for (const { heading, table } of report.sections) {
    if (!table) continue;
    const sheet = book.addWorksheet(sheetName(heading, used));
    sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
    table.columns.forEach((c, i) => {
      const widest = Math.max(c.length, ...table.rows.map((r) => cellText(r[i] ?? null).length));
      sheet.getColumn(i + 1).width = Math.min(60, widest + 2);
    });
  }
  await book.xlsx.writeFile(path);
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique. */
function sheetName(heading: string, used: Set<string>): string {
  const base =
    heading
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'table';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 28)} ${String(n)}`;
  used.add(name.toLowerCase());
  return name;
}

function docxTable(table: ReportTable): Table {
  const row = (cells: string[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: cells.map((c) => {
        // Typed as run options: TextRun also takes a plain string, whose legacy String#bold lint flags.
        const run: IRunOptions = { text: c, bold: header };
        return new TableCell({ children: [new Paragraph({ children: [new TextRun(run)] })] });
      }),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(table.columns, true), ...table.rows.map((r) => row(r.map(cellText), false))],
  });
}

/** Word: title, headings, paragraphs and bordered tables with a repeated header row. */
export async function writeWordReport(path: string, report: Report): Promise<void> {
  const children: Array<Paragraph | Table> = [new Paragraph({ text: report.title, heading: HeadingLevel.TITLE })];
  if (report.subtitle) children.push(new Paragraph({ text: report.subtitle }));
  for (const section of report.sections) {
    children.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_1 }));
    for (const p of section.paragraphs ?? []) children.push(new Paragraph({ text: p }));
    if (section.table) children.push(docxTable(section.table));
  }
  const doc = new Document({ title: report.title, sections: [{ children }] });
  await writeFile(path, await Packer.toBuffer(doc));
}

/** PDF (A4, Helvetica): title, headings, paragraphs, tables with evenly split columns and page breaks. */
export async function writePdfReport(path: string, report: Report): Promise<void> {
  const pdf = new PDFDocument({ size: 'A4', margin: 50, info: { Title: report.title } });
  const out = createWriteStream(path);
  pdf.pipe(out);
  pdf.font('Helvetica-Bold').fontSize(18).text(report.title);
  if (report.subtitle) pdf.font('Helvetica').fontSize(11).text(report.subtitle);
  for (const section of report.sections) {
    pdf.moveDown().font('Helvetica-Bold').fontSize(13).text(section.heading);
    pdf.font('Helvetica').fontSize(10);
    for (const p of section.paragraphs ?? []) pdf.text(p).moveDown(0.3);
    if (section.table) pdfTable(pdf, section.table);
  }
  pdf.end();
  await finished(out);
}

function pdfTable(pdf: PDFKit.PDFDocument, table: ReportTable): void {
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const columnWidth = width / Math.max(1, table.columns.length);
  const drawRow = (cells: string[], bold: boolean) => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    const height = Math.max(...cells.map((c) => pdf.heightOfString(c, { width: columnWidth - 4 }))) + 4;
    if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
    const top = pdf.y;
    cells.forEach((c, i) => pdf.text(c, left + i * columnWidth + 2, top + 2, { width: columnWidth - 4 }));
    pdf
      .moveTo(left, top + height)
      .lineTo(left + width, top + height)
      .lineWidth(0.5)
      .stroke();
    pdf.x = left;
    pdf.y = top + height;
  };
  drawRow(table.columns, true);
  for (const row of table.rows) drawRow(row.map(cellText), false);
  pdf.moveDown();
  pdf.x = left;
}
