import type { z } from 'zod';

/**
 * One environment setting as its zod schema describes it: the single source of a setting's
 * default and description, rendered here as `--help` text, a Markdown table and `.env.example`
 * lines (scripts/write-settings-docs.mjs writes the last two; a test keeps them in step).
 */
export interface SettingRow {
  name: string;
  /** The default as it would be written in the environment; undefined for an optional setting. */
  default: string | undefined;
  description: string;
  /** For an optional setting: a value to show in `.env.example` (`.meta({ example })`). */
  example: string | undefined;
}

/** Any zod object schema: the settings are its shape's keys. */
export interface SettingsSchema {
  readonly shape: Readonly<Record<string, z.ZodType>>;
}

/** The environment text of a parsed default: lists as `74,71,76`, the rest as they print. */
const envText = (value: unknown): string =>
  Array.isArray(value) ? value.map((v) => String(v)).join(',') : String(value);

/** The description on the field, or on what it wraps (`.describe()` before `.default()` lands inside). */
function metaOf(field: z.ZodType): Record<string, unknown> {
  let here: z.ZodType | undefined = field;
  while (here) {
    const meta = here.meta();
    if (meta?.description !== undefined) return meta;
    const inner: unknown = (here._zod.def as { innerType?: unknown }).innerType;
    here = inner as z.ZodType | undefined;
  }
  return {};
}

/** One row per field of `schema`, in its order. The default is what parsing nothing gives. */
export function settingRows(schema: SettingsSchema): SettingRow[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const parsed = field.safeParse(undefined);
    const meta = metaOf(field);
    return {
      name,
      default: parsed.success && parsed.data !== undefined ? envText(parsed.data) : undefined,
      description: typeof meta.description === 'string' ? meta.description : '',
      example: typeof meta.example === 'string' ? meta.example : undefined,
    };
  });
}

/** Rows of `schema` whose names are not in `without` (a service's own, without the common ones). */
export const ownRows = (schema: SettingsSchema, without: SettingsSchema): SettingRow[] =>
  settingRows(schema).filter((row) => !(row.name in without.shape));

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** `NAME (default)` beside its wrapped description; a long left side puts the description below. */
export function helpText(rows: readonly SettingRow[], width = 100): string {
  const column = 34;
  return rows
    .flatMap((row) => {
      const left = `  ${row.name}${row.default === undefined ? '' : ` (${row.default})`}`;
      const text = wrap(row.description, width - column);
      const pad = ' '.repeat(column);
      if (left.length + 2 > column) return [left, ...text.map((t) => pad + t)];
      return [left.padEnd(column) + (text[0] ?? ''), ...text.slice(1).map((t) => pad + t)];
    })
    .join('\n');
}

/** Plain text for a table cell: `<prefix>` would be read as an HTML tag, `|` as a column. */
const cell = (text: string) => text.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');

/** A description in a table: setting names (`DEVICE_SCAN_MS`) set as code, like the first column. */
const describedCell = (text: string) =>
  cell(text).replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, (name) => `\`${name}\``);

/** A Markdown table: setting, default (or "unset"), what it does. */
export function markdownTable(rows: readonly SettingRow[]): string {
  return [
    '| setting | default | what it does |',
    '|---|---|---|',
    ...rows.map(
      (row) =>
        `| \`${row.name}\` | ${row.default === undefined ? 'unset' : `\`${row.default.replace(/\|/g, '\\|')}\``} | ${describedCell(row.description)} |`,
    ),
  ].join('\n');
}

/** Commented `.env.example` lines: the description, then `# NAME=default` (or an example). */
export function envExampleLines(rows: readonly SettingRow[], width = 100): string[] {
  return rows.flatMap((row) => [
    ...wrap(row.description, width - 2).map((line) => `# ${line}`),
    `# ${row.name}=${row.default ?? row.example ?? ''}`,
  ]);
}

/** `text` with what lies between `begin` and `end` replaced by `block`; undefined without both markers. */
export function replaceBetween(text: string, begin: string, end: string, block: string): string | undefined {
  const from = text.indexOf(begin);
  const to = text.indexOf(end, from + begin.length);
  if (from < 0 || to < 0) return undefined;
  return `${text.slice(0, from + begin.length)}\n${block}\n${text.slice(to)}`;
}
