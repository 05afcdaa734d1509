import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/procfile.js';
import type { Report } from './report.js';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'openwest-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The benchmark's structure only: figures from this shared machine are never asserted. Starts
// shows of its own: scenario 7 measures the Procfile's start itself.
describe('npm run bench (tiny settings)', () => {
  it('runs every scenario and writes a JSON and a Markdown report with the machine and conditions', async () => {
    await run(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'test/bench/main.ts'), '--tiny', '--out', out], {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 280_000,
    });
    const report = JSON.parse(readFileSync(join(out, 'tiny.json'), 'utf8')) as Report;

    expect(report.mode).toBe('tiny');
    expect(report.machine.cpuModel).not.toBe('');
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.machine.loadAverageAtStart).toHaveLength(3);
    expect(typeof report.machine.cpuShareAtStart).toBe('number');
    expect(report.conditions.loadAverageAtEnd).toHaveLength(3);
    expect(report.conditions.settings.mode).toBe('tiny');

    expect(report.scenarios.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const s of report.scenarios) {
      expect({ id: s.id, status: s.status, reason: s.reason }).toEqual({
        id: s.id,
        status: 'measured',
        reason: undefined,
      });
      expect(s.rows.length).toBeGreaterThan(0);
    }
    const e2e = report.scenarios[0]!;
    expect(e2e.rows.map((r) => r.case)).toEqual([
      'aedes (embedded broker), 20 msg/s',
      'aedes (embedded broker), 200 msg/s',
      'Mosquitto, 20 msg/s',
      'Mosquitto, 200 msg/s',
    ]);
    for (const row of e2e.rows) {
      for (const figure of ['p50', 'p90', 'p99', 'p99.9', 'max', 'delivered %'])
        expect(typeof row.figures[figure]).toBe('number');
    }
    expect(report.scenarios[1]!.rows.some((r) => typeof r.figures['p50 ratio'] === 'number')).toBe(true);
    expect(typeof report.scenarios[3]!.rows[0]!.figures['knob p99']).toBe('number');
    expect(typeof report.scenarios[4]!.rows[0]!.figures['broker RSS MiB']).toBe('number');
    expect(typeof report.scenarios[6]!.rows[0]!.figures['first note played, ms']).toBe('number');

    const browser = report.scenarios[7]!;
    const pageFigure = browser.rows[0]!.figures;
    for (const figure of ['p50', 'p90', 'p99', 'max']) expect(typeof pageFigure[figure]).toBe('number');
    expect(pageFigure).toMatchObject({ sent: 12, voiced: 12, 'look-ahead ms': 10 });
    expect(typeof pageFigure['audio device ms']).toBe('number');
    expect(pageFigure['peak dB']).toBeGreaterThan(-60);
    expect(browser.targets.map((t) => [t.limit, typeof t.measured])).toEqual([
      ['≤ 20 ms', 'number'],
      ['≤ 20 ms', 'number'],
    ]);

    const targets = report.scenarios.flatMap((s) => s.targets.map((t) => t.limit));
    expect(targets).toEqual(
      expect.arrayContaining(['≤ 1 ms', '≤ 3 ms', '≤ 10 ms', '≥ 15,000 msg/s', '≤ 1 GiB', '≤ 3 s', '≤ 20 ms']),
    );

    const markdown = readFileSync(join(out, 'tiny.md'), 'utf8');
    expect(markdown).toContain(report.machine.cpuModel);
    expect(markdown).toContain('## Targets');
    for (const s of report.scenarios) expect(markdown).toContain(`## ${s.id}. ${s.title}`);
  }, 300_000);
});
