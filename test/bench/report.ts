import { cpus, loadavg, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { BenchSettings } from './settings.js';

export type Figure = number | string | boolean | null;

/** One line of a scenario's table: what was run, and what was measured. */
export interface Row {
  case: string;
  figures: Record<string, Figure>;
}

export interface TargetCheck {
  target: string;
  limit: string;
  measured: Figure;
  met: boolean | null;
}

export interface ScenarioResult {
  id: number;
  key: string;
  title: string;
  status: 'measured' | 'not measured' | 'failed';
  /** Why it was not measured or how it failed. */
  reason?: string;
  rows: Row[];
  targets: TargetCheck[];
  notes: string[];
  seconds: number;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  openFilesLimit: string;
  loadAverageAtStart: number[];
  /** Share of one core a busy loop in this process got over half a second at start (1 = a whole core). */
  cpuShareAtStart: number;
}

export interface Report {
  mode: BenchSettings['mode'];
  startedAt: string;
  seconds: number;
  machine: Machine;
  conditions: {
    loadAverageAtEnd: number[];
    cpuShareAtEnd: number;
    processes: string;
    transport: string;
    clock: string;
    settings: BenchSettings;
    notes: string[];
  };
  scenarios: ScenarioResult[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function describeMachine(): Machine {
  const limits = (() => {
    try {
      const line = readFileSync('/proc/self/limits', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('Max open files'));
      const [soft, hard] = line?.replace('Max open files', '').trim().split(/\s+/) ?? [];
      return `${soft} soft / ${hard} hard`;
    } catch {
      return 'unknown';
    }
  })();
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round2(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    openFilesLimit: limits,
    loadAverageAtStart: loadavg().map(round2),
    cpuShareAtStart: cpuShare(),
  };
}

/**
 * How much of one core this process gets right now: spin for `ms` of wall time and compare the
 * CPU time received. On a busy shared machine this is far below 1, and every figure suffers.
 */
export function cpuShare(ms = 500): number {
  const before = process.cpuUsage();
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += 1;
  const used = process.cpuUsage(before);
  return x < 0 ? 0 : round2((used.user + used.system) / 1000 / ms);
}

export const currentLoad = () => loadavg().map(round2);

const show = (v: Figure): string => (v === null ? '–' : typeof v === 'number' ? String(v) : String(v));

/** The figures of every row, as columns in first-seen order. */
function columns(rows: Row[]): string[] {
  const seen: string[] = [];
  for (const row of rows) for (const key of Object.keys(row.figures)) if (!seen.includes(key)) seen.push(key);
  return seen;
}

const mdTable = (head: string[], body: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

export function targetsTable(report: Report): string {
  const rows = report.scenarios.flatMap((s) =>
    s.targets.map((t) => [
      t.target,
      t.limit,
      show(t.measured),
      t.met === null ? 'not measured' : t.met ? 'met' : 'missed',
    ]),
  );
  return mdTable(['target', 'limit', 'measured', ''], rows);
}

export function toMarkdown(report: Report): string {
  const m = report.machine;
  const out: string[] = [
    `# Benchmark results (${report.mode})`,
    '',
    `Run ${report.startedAt}, ${report.seconds} s. Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}, open files ${m.openFilesLimit}.`,
    `Load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}, at end ${report.conditions.loadAverageAtEnd.join(' / ')}. Share of a core a busy loop got: ${m.cpuShareAtStart} at start, ${report.conditions.cpuShareAtEnd} at end (1 = a whole core).`,
    `Processes: ${report.conditions.processes}. ${report.conditions.transport}. Clock: ${report.conditions.clock}.`,
    ...report.conditions.notes.map((n) => `${n}`),
    '',
    'Latencies and deviations in milliseconds.',
    '',
    '## Targets',
    '',
    targetsTable(report),
  ];
  for (const s of report.scenarios) {
    out.push('', `## ${s.id}. ${s.title}`, '');
    if (s.status !== 'measured') out.push(`**${s.status}**: ${s.reason ?? ''}`, '');
    if (s.rows.length > 0) {
      const cols = columns(s.rows);
      out.push(
        mdTable(
          ['case', ...cols],
          s.rows.map((r) => [r.case, ...cols.map((c) => show(r.figures[c] ?? null))]),
        ),
        '',
      );
    }
    for (const note of s.notes) out.push(`- ${note}`);
  }
  return `${out.join('\n')}\n`;
}

/** The console table: one line per row of every scenario. */
export function toConsole(report: Report): string {
  const lines: string[] = [];
  for (const s of report.scenarios) {
    lines.push(`${s.id}. ${s.title}${s.status === 'measured' ? '' : `  [${s.status}: ${s.reason ?? ''}]`}`);
    for (const r of s.rows) {
      const figures = Object.entries(r.figures)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join('  ');
      lines.push(`   ${r.case.padEnd(34)} ${figures}`);
    }
  }
  lines.push('', 'targets:');
  for (const s of report.scenarios) {
    for (const t of s.targets) {
      lines.push(
        `   ${(t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS').padEnd(5)} ${t.target} ${t.limit}: ${show(t.measured)}`,
      );
    }
  }
  return lines.join('\n');
}

export const check = (
  target: string,
  limit: string,
  measured: number | null | undefined,
  met: (v: number) => boolean,
): TargetCheck => ({
  target,
  limit,
  measured: measured ?? null,
  met: measured === null || measured === undefined ? null : met(measured),
});
