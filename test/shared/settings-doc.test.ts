import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  envExampleLines,
  helpText,
  markdownTable,
  ownRows,
  replaceBetween,
  settingRows,
  wrap,
} from '../../shared/runtime/settings-doc.js';

const schema = z.object({
  PORT_NUMBER: z.coerce.number().int().default(1883).describe('a port'),
  INNER: z.coerce.number().describe('described before its default').default(7),
  LIST: z
    .string()
    .transform((text) => text.split(',').map(Number))
    .pipe(z.array(z.number()))
    .default([74, 71])
    .describe('a list'),
  MAYBE: z.string().optional().describe('unset: nothing').meta({ example: 'x.json' }),
  BARE: z.enum(['a', 'b']).default('b'),
});

describe('settingRows', () => {
  it('reads each field: its default as environment text, its description and example, in order', () => {
    expect(settingRows(schema)).toEqual([
      { name: 'PORT_NUMBER', default: '1883', description: 'a port', example: undefined },
      { name: 'INNER', default: '7', description: 'described before its default', example: undefined },
      { name: 'LIST', default: '74,71', description: 'a list', example: undefined },
      { name: 'MAYBE', default: undefined, description: 'unset: nothing', example: 'x.json' },
      { name: 'BARE', default: 'b', description: '', example: undefined },
    ]);
  });

  it('leaves out the fields of another schema', () => {
    const base = z.object({ PORT_NUMBER: z.string() });
    expect(ownRows(schema, base).map((r) => r.name)).toEqual(['INNER', 'LIST', 'MAYBE', 'BARE']);
  });
});

describe('rendering', () => {
  const rows = settingRows(schema);

  it('wraps words at the width, a longer word on a line of its own', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('a verylongword b', 4)).toEqual(['a', 'verylongword', 'b']);
    expect(wrap('  ', 10)).toEqual([]);
  });

  it('--help: NAME (default) beside the description; an optional one without a default', () => {
    const text = helpText(rows);
    expect(text).toMatch(/^ {2}PORT_NUMBER \(1883\) +a port$/m);
    expect(text).toMatch(/^ {2}LIST \(74,71\) +a list$/m);
    expect(text).toMatch(/^ {2}MAYBE +unset: nothing$/m);
  });

  it('--help: a long description continues under itself, a long name puts it on the next line', () => {
    const long = {
      name: 'A_VERY_LONG_SETTING_NAME_INDEED',
      default: '100000',
      description: 'word '.repeat(40),
      example: undefined,
    };
    const lines = helpText([long], 60).split('\n');
    expect(lines[0]).toBe('  A_VERY_LONG_SETTING_NAME_INDEED (100000)');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {34}word( word)*$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('Markdown: one row per setting, "unset" for no default, pipes and tags escaped, names as code', () => {
    const table = markdownTable([
      ...rows,
      { name: 'P', default: 'a|b', description: 'x | y <prefix>/N after OTHER_SETTING', example: undefined },
    ]);
    expect(table.split('\n')).toEqual([
      '| setting | default | what it does |',
      '|---|---|---|',
      '| `PORT_NUMBER` | `1883` | a port |',
      '| `INNER` | `7` | described before its default |',
      '| `LIST` | `74,71` | a list |',
      '| `MAYBE` | unset | unset: nothing |',
      '| `BARE` | `b` |  |',
      '| `P` | `a\\|b` | x \\| y &lt;prefix&gt;/N after `OTHER_SETTING` |',
    ]);
  });

  it('.env.example: the description as comments, then the setting commented out with its default or example', () => {
    expect(envExampleLines(rows.slice(2, 4))).toEqual([
      '# a list',
      '# LIST=74,71',
      '# unset: nothing',
      '# MAYBE=x.json',
    ]);
  });

  it('replaces only what lies between the markers, and says when they are missing', () => {
    expect(replaceBetween('top\n<!-- b -->\nold\n<!-- e -->\nend', '<!-- b -->', '<!-- e -->', 'new')).toBe(
      'top\n<!-- b -->\nnew\n<!-- e -->\nend',
    );
    expect(replaceBetween('<!-- b -->\n<!-- e -->', '<!-- b -->', '<!-- e -->', 'x')).toBe('<!-- b -->\nx\n<!-- e -->');
    expect(replaceBetween('no markers', '<!-- b -->', '<!-- e -->', 'x')).toBeUndefined();
    expect(replaceBetween('<!-- e --> <!-- b -->', '<!-- b -->', '<!-- e -->', 'x')).toBeUndefined();
  });
});
