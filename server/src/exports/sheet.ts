// One table, written as an Excel workbook (.xlsx, through exceljs) or as CSV: the same Chinese
// headers and the same cell text either way, so a report opened in Excel or WPS reads alike.
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

export interface Column<R> {
  /** The header a person reads (Chinese). */
  header: string;
  value: (row: R) => Cell;
  /** Width in characters in the workbook; CSV has none. */
  width?: number;
}

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=UTF-8',
};

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
 * formula; a resident's description such as "=HYPERLINK(…)" must stay text (CSV injection).
 * Numbers are written as numbers and are never touched.
 */
export function safeText(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const cellText = (v: Cell): Cell => (typeof v === 'string' ? safeText(v) : v);

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF rows. */
function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(cellText(v));
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV with a byte-order mark: without it Excel reads UTF-8 Chinese as mojibake. */
export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(c.value(r))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function toXlsx<R>(sheetName: string, columns: readonly Column<R>[], rows: readonly R[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '网格一张图';
  book.created = new Date(0); // the same rows give the same file
  const sheet = book.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 14 }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(columns.map((c) => cellText(c.value(r))));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** "2026-12-06 14:03" on the wall clock of Enshi (Asia/Shanghai), whatever the server's zone. */
const SHANGHAI = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});
export function shanghaiTime(v: Date | string | null | undefined): string | null {
  if (v == null) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : SHANGHAI.format(d);
}

export const yesNo = (v: boolean | null | undefined): string => (v ? '是' : '否');

/**
 * Content-Disposition for a Chinese file name: an ASCII fallback for old clients and the
 * UTF-8 name (RFC 6266 / RFC 5987) that browsers use.
 */
export function attachment(name: string, ascii: string, format: ExportFormat): string {
  return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`;
}
