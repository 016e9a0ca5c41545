import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cpuHeadline, cpuThroughput, isCpuSet, isGpuDecode } from './server-results.js';

// Reads the results committed in bench/results/, as the benchmark page does at build time.
const dir = fileURLToPath(new URL('../../../../bench/results/', import.meta.url));
const load = (name: string): unknown => JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));

describe('server results', () => {
  it('recognises every committed CPU set and reads its headline ratios as the Markdown report prints them', () => {
    const cpuFiles = readdirSync(dir).filter((f) => f.endsWith('.json') && isCpuSet(load(f)));
    expect(cpuFiles).toEqual(expect.arrayContaining(['full.json']));
    for (const file of cpuFiles) {
      const set = load(file);
      if (!isCpuSet(set)) throw new Error(file);
      const headline = cpuHeadline(set);
      const markdown = readFileSync(`${dir}${file.replace(/\.json$/, '.md')}`, 'utf8');
      // "| decode    | 1-core    | 0.92× | 1.13× | …": the same ratios, to two decimals.
      for (const row of headline.rows) {
        const line = markdown
          .split('\n')
          .find((l) => new RegExp(`^\\|\\s*${row.workload}\\s*\\|\\s*${row.mode}\\s*\\|`).test(l));
        expect(line, `${file}: ${row.workload} ${row.mode}`).toBeDefined();
        const printed = line!
          .split('|')
          .slice(3, -1)
          .map((c) => c.trim());
        expect(printed).toEqual(
          headline.peers.map((p) => {
            const ratio = row.ratios[p];
            return ratio === undefined ? '—' : `${ratio.toFixed(2)}×`;
          }),
        );
      }
    }
  });

  it('lays out one-core throughput per workload for the chart', () => {
    const set = load('full.json');
    if (!isCpuSet(set)) throw new Error('full.json is not a CPU set');
    const { workloads, series } = cpuThroughput(set, '1-core');
    expect(workloads).toEqual(['decode', 'encode', 'thumbnail']);
    const jpegkit = series.find((s) => s.label === 'jpegkit wasm')!;
    const decode = set.tables.find((t) => t.workload === 'decode' && t.mode === '1-core')!;
    expect(jpegkit.values[0]).toBe(decode.rows.find((r) => r.label === 'jpegkit wasm')!.mpps);
    // jSquash has no thumbnail pipeline: a gap, not a zero.
    expect(series.find((s) => s.label === '@jsquash/jpeg')!.values[2]).toBeNull();
  });

  it('recognises the GPU decode comparison and nothing else as one', () => {
    const gpu = load('gpu-h200-decode.json');
    expect(isGpuDecode(gpu)).toBe(true);
    if (!isGpuDecode(gpu)) return;
    for (const r of gpu.ratios) expect(r.ratio).toBeCloseTo(r.jpegkit / r.torchvision, 9);
    expect(isGpuDecode(load('full.json'))).toBe(false);
    expect(isCpuSet(gpu)).toBe(false);
  });
});
