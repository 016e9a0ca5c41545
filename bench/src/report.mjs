// Turns the measured rounds into rows (medians, percentiles, ratios) and writes them as JSON and Markdown.
import fs from 'node:fs';
import path from 'node:path';
import { CONTENDERS } from './contenders.mjs';

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

/**
 * One round of one contender is a list of copies (one, or N side-by-side processes); its throughput is the
 * copies' sum and its memory their total. Rows take the median over rounds; latencies are pooled; the ratio
 * is the median over rounds of jpegkit's throughput in that round divided by the contender's.
 */
export function summarise(cell) {
  const roundTotals = cell.rounds.map((copies) => ({
    mpps: copies.reduce((s, c) => s + c.mpps, 0),
    ips: copies.reduce((s, c) => s + c.ips, 0),
    peakRssMiB: copies.every((c) => c.peakRssMiB != null)
      ? copies.reduce((s, c) => s + c.peakRssMiB, 0)
      : null,
    deltaRssMiB: copies.every((c) => c.inputsRssMiB != null)
      ? copies.reduce((s, c) => s + c.peakRssMiB - c.inputsRssMiB, 0)
      : null,
  }));
  const latencies = cell.rounds.flatMap((copies) => copies.flatMap((c) => c.latencies));
  return {
    contender: cell.contender,
    label: CONTENDERS[cell.contender].label,
    setup: cell.setup,
    device: cell.device,
    copies: cell.rounds[0]?.length ?? 0,
    mpps: median(roundTotals.map((r) => r.mpps)),
    ips: median(roundTotals.map((r) => r.ips)),
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
    peakRssMiB: Math.max(...roundTotals.map((r) => r.peakRssMiB ?? -1)),
    deltaRssMiB: Math.max(...roundTotals.map((r) => r.deltaRssMiB ?? -1)),
    roundsMpps: roundTotals.map((r) => r.mpps),
    jobs: cell.rounds.reduce((s, copies) => s + copies.reduce((t, c) => t + c.jobs, 0), 0),
    loadavg1: median(cell.rounds.flatMap((copies) => copies.map((c) => c.loadavg[0]))),
  };
}

export function addRatios(rows) {
  const ours = rows.find((r) => r.contender === 'jpegkit');
  for (const row of rows) {
    if (!ours || row === ours) {
      row.jpegkitRatio = row === ours ? 1 : null;
      continue;
    }
    const paired = row.roundsMpps.map((m, i) => ours.roundsMpps[i] / m);
    row.jpegkitRatio = median(paired);
  }
  return rows;
}

const fmt = (v, digits = 1) => (v == null || v < 0 || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const fmtRatio = (v) => (v == null ? '—' : `${v.toFixed(2)}×`);

export const WORKLOAD_TITLES = {
  decode: 'Decode (JPEG → RGB)',
  encode: 'Encode (RGB → JPEG q90 4:2:0)',
  thumbnail: 'Thumbnail (decode → ¼ lanczos3 → sharpen σ 0.95 → JPEG q85)',
};

export function toMarkdown(report) {
  const m = report.meta;
  const lines = [];
  lines.push(`# jpegkit benchmark — ${m.name}`, '');
  lines.push(`- Date: ${m.date}`);
  lines.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB RAM, ${m.os}`);
  lines.push(`- Node: ${m.node}`);
  lines.push(
    `- Corpus: \`${m.set}\` — ${m.corpusAbout}; ${m.images.length} images, ${m.totalMP.toFixed(1)} MP in all` +
      ` (${[...new Set(m.images.map((i) => `${i.width}×${i.height}`))].join(', ')})`,
  );
  lines.push(
    `- Method: ${m.rounds} rounds, contenders interleaved (order reversed every other round), each in its own` +
      ` process, ≥${m.targetSeconds} s of whole passes per round after a warm-up on the two largest images;` +
      ` all-cores runs keep` +
      ` ${m.lanes} jobs in flight.`,
  );
  lines.push(
    `- Load average (1 min) at start / end: ${m.loadStart.map((x) => x.toFixed(2)).join(' ')} / ` +
      `${m.loadEnd.map((x) => x.toFixed(2)).join(' ')} — other work was running; the load column shows it per row.`,
  );
  lines.push('');
  lines.push(
    'Ratio = jpegkit’s MP/s ÷ the row’s MP/s in the same round (median over rounds); > 1 means jpegkit is faster.',
  );
  lines.push('');

  // Headline: jpegkit vs each peer.
  const peers = [...new Set(report.tables.flatMap((t) => t.rows.map((r) => r.contender)))].filter(
    (c) => c !== 'jpegkit',
  );
  lines.push('## Headline: jpegkit wasm ÷ peer (MP/s)', '');
  lines.push(`| workload | mode | ${peers.map((p) => CONTENDERS[p].label).join(' | ')} |`);
  lines.push(`|---|---|${peers.map(() => '---:').join('|')}|`);
  for (const t of report.tables) {
    const cells = peers.map((p) => fmtRatio(t.rows.find((r) => r.contender === p)?.jpegkitRatio));
    lines.push(`| ${t.workload} | ${t.mode} | ${cells.join(' | ')} |`);
  }
  lines.push('');

  for (const t of report.tables) {
    lines.push(`## ${WORKLOAD_TITLES[t.workload]} — ${t.mode}`, '');
    lines.push(
      '| contender | setup | MP/s | images/s | p50 ms | p99 ms | peak RSS MiB | Δ RSS MiB | jpegkit ÷ row | load |',
    );
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of t.rows) {
      lines.push(
        `| ${r.label} | ${r.setup} | ${fmt(r.mpps)} | ${fmt(r.ips, 2)} | ${fmt(r.p50ms)} | ${fmt(r.p99ms)} | ` +
          `${fmt(r.peakRssMiB, 0)} | ${fmt(r.deltaRssMiB, 0)} | ${fmtRatio(r.jpegkitRatio)} | ${fmt(r.loadavg1, 2)} |`,
      );
    }
    if (t.skipped.length) lines.push('', `Not run here (no such operation): ${t.skipped.join(', ')}.`);
    lines.push('');
  }

  lines.push('## Contenders', '');
  const devices = new Map();
  for (const t of report.tables) {
    for (const r of t.rows) {
      const seen = devices.get(r.contender) ?? new Map();
      seen.set(r.device, [...(seen.get(r.device) ?? []), t.mode]);
      devices.set(r.contender, seen);
    }
  }
  for (const [name, seen] of devices) {
    const note = CONTENDERS[name].note ? ` — ${CONTENDERS[name].note}` : '';
    const described = [...seen].map(([d, m]) => (seen.size > 1 ? `${d} (${[...new Set(m)].join(', ')})` : d));
    lines.push(`- **${CONTENDERS[name].label}**: ${described.join('; ')}${note}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Formats with the repository's prettier settings, so that `prettier --check .` passes on the results. */
async function pretty(text, file) {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch {
    return text;
  }
}

export async function writeReport(dir, report) {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, report.meta.name);
  fs.writeFileSync(`${base}.json`, await pretty(JSON.stringify(report, null, 2), `${base}.json`));
  fs.writeFileSync(`${base}.md`, await pretty(toMarkdown(report), `${base}.md`));
  return [`${base}.json`, `${base}.md`];
}
