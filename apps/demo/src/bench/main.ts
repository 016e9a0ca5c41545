/** The benchmark page: runs the corpus in bench-worker.ts and shows its results beside the server's. */
import { renderBackendList } from '../shared/backend-list.js';
import { formatMs, formatRatio } from '../shared/format.js';
import { BENCH_SAMPLES, fetchSample } from '../shared/samples.js';
import { RpcClient } from '../shared/worker-rpc.js';
import { barChart, chartBox } from './charts.js';
import { WORKLOADS } from './measure.js';
import type { Measurement, Workload } from './measure.js';
import type { BenchApi, BenchProgress, BenchReport, CorpusFile } from './protocol.js';
import { SERVER_RESULTS } from './server-results-data.js';
import { cpuHeadline, cpuThroughput, isCpuSet, isGpuDecode } from './server-results.js';
import type { CpuSet, GpuDecode, GpuRatio } from './server-results.js';

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const worker = new RpcClient<BenchApi>(
  new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module', name: 'jpegkit-bench' }),
);

const ui = {
  status: byId('status'),
  files: byId<HTMLInputElement>('files'),
  seconds: byId<HTMLInputElement>('seconds'),
  run: byId<HTMLButtonElement>('run'),
  download: byId<HTMLAnchorElement>('download'),
  progress: byId<HTMLProgressElement>('progress'),
  backends: byId('backends'),
  results: byId('results'),
  resultsAbout: byId('results-about'),
  resultsTable: byId<HTMLTableElement>('results-table'),
  skipped: byId('skipped'),
  chartMpps: byId<HTMLCanvasElement>('chart-mpps'),
  chartLatency: byId<HTMLCanvasElement>('chart-latency'),
  server: byId('server'),
};

function setStatus(text: string, kind: 'info' | 'busy' | 'error' = 'info'): void {
  ui.status.textContent = text;
  ui.status.dataset.kind = kind;
}

function cell(row: HTMLTableRowElement, text: string, header = false, className = ''): void {
  const c = document.createElement(header ? 'th' : 'td');
  c.textContent = text;
  if (className) c.className = className;
  row.append(c);
}

function table(headers: string[], rows: string[][], textColumns = 1): HTMLTableElement {
  const t = document.createElement('table');
  t.className = 'results';
  const head = t.createTHead().insertRow();
  headers.forEach((h, i) => cell(head, h, true, i < textColumns ? 'text' : ''));
  const body = t.createTBody();
  for (const values of rows) {
    const row = body.insertRow();
    values.forEach((v, i) => cell(row, v, false, i < textColumns ? 'text' : ''));
    if (/jpegkit/i.test(values[0] ?? '')) row.className = 'jpegkit';
  }
  return t;
}

// ------------------------------------------------------------------------------------- this browser

async function corpusFiles(): Promise<CorpusFile[]> {
  const own = (document.querySelector('input[name="corpus"]:checked') as HTMLInputElement).value === 'files';
  if (own) {
    const files = [...(ui.files.files ?? [])];
    if (files.length === 0) throw new Error('choose one or more JPEG files first');
    return Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
  }
  return Promise.all(BENCH_SAMPLES.map(async (s) => ({ name: s.name, bytes: await fetchSample(s) })));
}

function showReport(report: BenchReport): void {
  const workloads = WORKLOADS.filter((w) => report.results.some((r) => r.workload === w));
  const contenders: Measurement[] = [];
  for (const r of report.results)
    if (!contenders.some((c) => c.contender === r.contender)) contenders.push(r);
  const series = (value: (m: Measurement) => number) =>
    contenders.map((c) => ({
      label: c.label,
      values: workloads.map((w) => {
        const m = report.results.find((r) => r.workload === w && r.contender === c.contender);
        return m ? value(m) : null;
      }),
    }));
  barChart(ui.chartMpps, {
    title: 'Throughput (higher is better)',
    categories: [...workloads],
    series: series((m) => m.mpps),
    yTitle: 'MP/s',
  });
  barChart(ui.chartLatency, {
    title: 'Median latency per image (lower is better)',
    categories: [...workloads],
    series: series((m) => m.p50ms),
    yTitle: 'ms (log scale)',
    logarithmic: true,
  });
  ui.resultsTable.replaceWith(
    Object.assign(
      table(
        ['contender', 'workload', 'setup', 'MP/s', 'images/s', 'p50', 'p95', 'calls', 'jpegkit ÷ row'],
        report.results.map((m) => [
          m.label,
          m.workload,
          m.setup,
          m.mpps.toFixed(1),
          m.imagesPerSecond.toFixed(1),
          formatMs(m.p50ms),
          formatMs(m.p95ms),
          String(m.calls),
          formatRatio(m.jpegkitRatio),
        ]),
        3,
      ),
      { id: 'results-table' },
    ),
  );
  ui.resultsTable = byId<HTMLTableElement>('results-table');
  const megapixels = report.corpus.reduce((sum, c) => sum + (c.width * c.height) / 1e6, 0);
  ui.resultsAbout.textContent = `${report.corpus.length} photos (${megapixels.toFixed(2)} MP: ${report.corpus
    .map((c) => `${c.name} ${c.width}×${c.height}`)
    .join(
      ', ',
    )}), ≥ ${report.seconds} s per contender and workload after a warm-up pass. ${report.userAgent}, ${report.hardwareConcurrency} logical cores.`;
  ui.skipped.replaceChildren(
    ...report.skipped.map((s) =>
      Object.assign(document.createElement('li'), {
        textContent: `${s.contender} not measured: ${s.reason}`,
      }),
    ),
  );
  ui.results.hidden = false;
  const url = URL.createObjectURL(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }));
  ui.download.href = url;
  ui.download.setAttribute('aria-disabled', 'false');
  ui.results.dataset.complete = 'true';
}

async function run(): Promise<void> {
  ui.run.disabled = true;
  delete ui.results.dataset.complete;
  ui.progress.hidden = false;
  ui.progress.value = 0;
  try {
    const files = await corpusFiles();
    const workloads = [...document.querySelectorAll<HTMLInputElement>('input[name="workload"]:checked')].map(
      (i) => i.value as Workload,
    );
    if (workloads.length === 0) throw new Error('pick at least one workload');
    const seconds = Math.min(30, Math.max(0.05, Number(ui.seconds.value) || 1));
    setStatus('Running…', 'busy');
    const report = await worker.call(
      'run',
      { files, workloads, seconds },
      files.map((f) => f.bytes.buffer as ArrayBuffer),
    );
    showReport(report);
    setStatus(`Done: ${report.results.length} measurements`);
  } catch (error) {
    setStatus(`${(error as { code?: string }).code ?? 'Error'}: ${(error as Error).message}`, 'error');
  } finally {
    ui.run.disabled = false;
    ui.progress.hidden = true;
  }
}

worker.onEvent((event, data) => {
  if (event !== 'progress') return;
  const p = data as BenchProgress;
  ui.progress.max = p.total;
  ui.progress.value = p.done;
  setStatus(`${p.done}/${p.total} · ${p.label}`, 'busy');
});

// ------------------------------------------------------------------------------------- server results

function markdownDetails(text: string | undefined, summary: string): HTMLElement {
  const details = document.createElement('details');
  details.innerHTML = '<summary></summary><pre></pre>';
  details.querySelector('summary')!.textContent = summary;
  details.querySelector('pre')!.textContent = text ?? '';
  return details;
}

function renderCpuSet(name: string, set: CpuSet, markdown: string | undefined): HTMLElement {
  const section = document.createElement('section');
  const heading = document.createElement('h3');
  heading.textContent = `CPU · ${name}: ${set.meta.corpusAbout ?? set.meta.name}`;
  const about = document.createElement('p');
  about.className = 'hint';
  about.textContent = `${set.meta.cpu}, ${set.meta.cores} cores · ${set.meta.date} · jpegkit wasm ÷ peer, MP/s (> 1: jpegkit is faster)`;
  const headline = cpuHeadline(set);
  const ratios = table(
    ['workload', 'mode', ...headline.peers],
    headline.rows.map((r) => [r.workload, r.mode, ...headline.peers.map((p) => formatRatio(r.ratios[p]))]),
    2,
  );
  const { box, canvas } = chartBox();
  const throughput = cpuThroughput(set, '1-core');
  section.append(heading, about, ratios, box, markdownDetails(markdown, `${name}.md — the full report`));
  barChart(canvas, {
    title: `${name}: one core, MP/s (higher is better)`,
    categories: throughput.workloads,
    series: throughput.series,
    yTitle: 'MP/s',
  });
  return section;
}

function renderGpuDecode(name: string, data: GpuDecode, markdown: string | undefined): HTMLElement {
  const section = document.createElement('section');
  const heading = document.createElement('h3');
  heading.textContent = `GPU · ${name}: jpegkit cuda vs torchvision`;
  const about = document.createElement('p');
  about.className = 'hint';
  about.textContent = `${data.jpegkit.device} · torchvision ${data.torchvision.torchvision ?? ''} (torch ${data.torchvision.torch ?? ''})`;
  const decoder = (r: GpuRatio) => r.config?.decoder ?? 'kernels';
  const ratios = table(
    ['decoder', 'set', 'batch', 'jpegkit images/s', 'torchvision images/s', 'jpegkit ÷ torchvision'],
    data.ratios.map((r) => [
      decoder(r),
      r.set,
      String(r.batch),
      r.jpegkit.toFixed(0),
      r.torchvision.toFixed(0),
      formatRatio(r.ratio),
    ]),
    2,
  );
  const { box, canvas } = chartBox();
  section.append(heading, about, ratios, box, markdownDetails(markdown, `${name}.md — the full report`));
  // The chart: the default decoder's rows (the table has every configuration of the run).
  const shown = data.ratios.filter((r) => decoder(r) === decoder(data.ratios[0]!));
  barChart(canvas, {
    title: `GPU decode, images/s (higher is better; decoder ${decoder(data.ratios[0]!)})`,
    categories: shown.map((r) => `${r.set} ×${r.batch}`),
    series: [
      { label: 'jpegkit cuda', values: shown.map((r) => r.jpegkit) },
      { label: 'torchvision', values: shown.map((r) => r.torchvision) },
    ],
    yTitle: 'images/s (log scale)',
    logarithmic: true,
  });
  return section;
}

function renderServerResults(): void {
  const sections = SERVER_RESULTS.map((file) => {
    if (isCpuSet(file.data)) return renderCpuSet(file.name, file.data, file.markdown);
    if (isGpuDecode(file.data)) return renderGpuDecode(file.name, file.data, file.markdown);
    const section = document.createElement('section');
    const heading = document.createElement('h3');
    heading.textContent = file.name;
    section.append(
      heading,
      markdownDetails(file.markdown ?? JSON.stringify(file.data, null, 2), `${file.name} — report`),
    );
    return section;
  });
  ui.server.replaceChildren(...sections);
  if (sections.length === 0) ui.server.textContent = 'No results are committed in bench/results/.';
}

// ------------------------------------------------------------------------------------- start

byId('sample-list').textContent = `(${BENCH_SAMPLES.map((s) => `${s.name}: ${s.about}`).join('; ')})`;
ui.files.addEventListener('change', () => {
  (document.querySelector('input[name="corpus"][value="files"]') as HTMLInputElement).checked = true;
});
ui.run.addEventListener('click', () => void run());
renderServerResults();
setStatus('Detecting backends…', 'busy');
void worker
  .call('backends', undefined)
  .then((report) => {
    renderBackendList(ui.backends, report);
    setStatus(`Ready · ${report.backends.filter((b) => b.available).length} jpegkit backend(s) available`);
  })
  .catch((error: Error) => setStatus(error.message, 'error'));
