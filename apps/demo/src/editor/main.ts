/**
 * The editor page: all pixel work happens in editor-worker.ts; this thread only handles the DOM and draws the
 * screen-sized bitmaps the worker sends back.
 */
import { FIT_MODES, OP_NAMES, RESIZE_FILTERS, SUBSAMPLINGS } from '@jpegkit/core';
import { renderBackendList } from '../shared/backend-list.js';
import type { EnvironmentReport } from '../shared/backend-report.js';
import { formatBytes, formatMs } from '../shared/format.js';
import { EDITOR_SAMPLES, fetchSample } from '../shared/samples.js';
import { RpcClient } from '../shared/worker-rpc.js';
import { CropBox, clampRect } from './crop-box.js';
import type { Rect } from './crop-box.js';
import type { EditStep } from './edit-steps.js';
import type { EditorApi, EditorView, ExportOptions, OpenedImage, Timing } from './protocol.js';

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const worker = new RpcClient<EditorApi>(
  new Worker(new URL('./editor-worker.ts', import.meta.url), { type: 'module', name: 'jpegkit-editor' }),
);

const ui = {
  status: byId('status'),
  backend: byId<HTMLSelectElement>('backend'),
  backends: byId('backends'),
  file: byId<HTMLInputElement>('file'),
  samples: byId('samples'),
  facts: byId<HTMLTableElement>('facts'),
  stage: byId('stage'),
  empty: byId('empty'),
  canvasBox: byId('canvas-box'),
  canvas: byId<HTMLCanvasElement>('canvas'),
  badge: byId('badge'),
  steps: byId('steps'),
  timings: byId('timings'),
  cropMode: byId<HTMLButtonElement>('crop-mode'),
  cropBar: byId('crop-bar'),
  cropInputs: {
    x: byId<HTMLInputElement>('crop-x'),
    y: byId<HTMLInputElement>('crop-y'),
    width: byId<HTMLInputElement>('crop-width'),
    height: byId<HTMLInputElement>('crop-height'),
  },
  undo: byId<HTMLButtonElement>('undo'),
  redo: byId<HTMLButtonElement>('redo'),
  compare: byId<HTMLButtonElement>('compare'),
  resize: {
    width: byId<HTMLInputElement>('resize-width'),
    height: byId<HTMLInputElement>('resize-height'),
    fit: byId<HTMLSelectElement>('resize-fit'),
    filter: byId<HTMLSelectElement>('resize-filter'),
    linear: byId<HTMLInputElement>('resize-linear'),
  },
  sharpenSigma: byId<HTMLInputElement>('sharpen-sigma'),
  brightness: byId<HTMLInputElement>('brightness'),
  contrast: byId<HTMLInputElement>('contrast'),
  exportOptions: {
    quality: byId<HTMLInputElement>('export-quality'),
    subsampling: byId<HTMLSelectElement>('export-subsampling'),
    restart: byId<HTMLInputElement>('export-restart'),
    progressive: byId<HTMLInputElement>('export-progressive'),
  },
  exportPreview: byId<HTMLImageElement>('export-preview'),
  exportInfo: byId('export-info'),
  download: byId<HTMLAnchorElement>('download'),
};

const state = {
  fileName: 'edited.jpg',
  width: 0,
  height: 0,
  before: undefined as ImageBitmap | undefined,
  after: undefined as ImageBitmap | undefined,
  showBefore: false,
  exportUrl: undefined as string | undefined,
  exportTimer: undefined as ReturnType<typeof setTimeout> | undefined,
  exportRunning: false,
  exportAgain: false,
};

// ------------------------------------------------------------------------------------------ status

function setStatus(text: string, kind: 'info' | 'busy' | 'error' = 'info'): void {
  ui.status.textContent = text;
  ui.status.dataset.kind = kind;
}

/** Runs one worker request with the page marked busy; the page stays interactive meanwhile. */
async function work<T>(label: string, request: () => Promise<T>): Promise<T | undefined> {
  document.body.dataset.busy = 'true';
  setStatus(`${label}…`, 'busy');
  try {
    return await request();
  } catch (error) {
    const code = (error as { code?: string }).code;
    setStatus(`${code ? `${code}: ` : ''}${(error as Error).message}`, 'error');
    return undefined;
  } finally {
    if (!worker.busy) delete document.body.dataset.busy;
  }
}

function logTimings(timings: Timing[]): void {
  for (const t of timings) {
    const item = document.createElement('li');
    item.innerHTML = '<span class="what"></span><span class="ms"></span><span class="where"></span>';
    item.querySelector('.what')!.textContent = t.label;
    item.querySelector('.ms')!.textContent = formatMs(t.ms);
    item.querySelector('.where')!.textContent = t.backend;
    ui.timings.prepend(item);
  }
  while (ui.timings.children.length > 40) ui.timings.lastElementChild?.remove();
  const main = timings.find((t) => t.label !== 'screen preview') ?? timings[0];
  if (main) setStatus(`${main.label}: ${formatMs(main.ms)} on ${main.backend}`);
}

// ------------------------------------------------------------------------------------------ picture

function draw(): void {
  const bitmap = state.showBefore ? state.before : state.after;
  if (!bitmap) return;
  ui.canvas.width = bitmap.width;
  ui.canvas.height = bitmap.height;
  ui.canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  ui.badge.textContent = state.showBefore ? 'Before (original)' : `After · ${state.width} × ${state.height}`;
  ui.canvasBox.dataset.showing = state.showBefore ? 'before' : 'after';
}

function showView(view: EditorView): void {
  state.after?.close();
  state.after = view.bitmap;
  state.width = view.width;
  state.height = view.height;
  ui.canvasBox.dataset.width = String(view.width);
  ui.canvasBox.dataset.height = String(view.height);
  draw();
  ui.steps.replaceChildren(
    ...view.steps.map((s) => Object.assign(document.createElement('li'), { textContent: s })),
  );
  ui.undo.disabled = !view.canUndo;
  ui.redo.disabled = !view.canRedo;
  logTimings(view.timings);
  scheduleExport();
}

function showOpened(opened: OpenedImage): void {
  state.before?.close();
  // The first view is the original: keep a copy for before/after.
  void createImageBitmap(opened.bitmap).then((copy) => (state.before = copy));
  ui.facts.replaceChildren(
    ...opened.facts.map(([label, value]) => {
      const row = document.createElement('tr');
      row.innerHTML = '<th></th><td></td>';
      row.cells[0]!.textContent = label;
      row.cells[1]!.textContent = value;
      return row;
    }),
  );
  ui.empty.hidden = true;
  ui.canvasBox.hidden = false;
  setCropMode(false);
  showView(opened);
}

async function openBytes(bytes: Uint8Array, name: string): Promise<void> {
  state.fileName = name.replace(/\.(jpe?g)$/i, '') + '-edited.jpg';
  const opened = await work(`Opening ${name}`, () =>
    worker.call('open', { bytes, backend: ui.backend.value || 'wasm' }, [bytes.buffer as ArrayBuffer]),
  );
  if (opened) showOpened(opened);
}

async function openFile(file: File | undefined): Promise<void> {
  if (!file) return;
  await openBytes(new Uint8Array(await file.arrayBuffer()), file.name);
}

async function edit(step: EditStep): Promise<void> {
  if (!state.after) return;
  const view = await work('Working', () => worker.call('apply', { step }));
  if (view) showView(view);
}

// ------------------------------------------------------------------------------------------ export

function exportOptions(): ExportOptions {
  const o = ui.exportOptions;
  return {
    quality: Math.min(100, Math.max(1, Math.round(Number(o.quality.value) || 90))),
    subsampling: o.subsampling.value as ExportOptions['subsampling'],
    progressive: o.progressive.checked,
    restartInterval: Math.min(65535, Math.max(0, Math.round(Number(o.restart.value) || 0))),
  };
}

/** Re-encodes shortly after the last change; one encode at a time, the newest settings win. */
function scheduleExport(): void {
  if (!state.after) return;
  clearTimeout(state.exportTimer);
  state.exportTimer = setTimeout(() => void runExport(), 250);
}

async function runExport(): Promise<void> {
  if (state.exportRunning) {
    state.exportAgain = true;
    return;
  }
  state.exportRunning = true;
  ui.download.setAttribute('aria-disabled', 'true');
  ui.exportInfo.textContent = 'Encoding…';
  try {
    const options = exportOptions();
    const result = await worker.call('export', options);
    if (state.exportUrl) URL.revokeObjectURL(state.exportUrl);
    state.exportUrl = URL.createObjectURL(new Blob([result.jpeg as BlobPart], { type: 'image/jpeg' }));
    ui.exportPreview.src = state.exportUrl;
    ui.exportPreview.hidden = false;
    ui.download.href = state.exportUrl;
    ui.download.download = state.fileName;
    ui.download.dataset.bytes = String(result.jpeg.length);
    // Which settings and image the current download belongs to (an edit or a setting may have come since).
    ui.download.dataset.options = JSON.stringify(options);
    ui.download.dataset.size = `${result.width}x${result.height}`;
    ui.download.setAttribute('aria-disabled', 'false');
    ui.exportInfo.textContent = `${formatBytes(result.jpeg.length)} · ${result.width} × ${result.height} · encoded in ${formatMs(result.timing.ms)} on ${result.timing.backend}`;
    logTimings([result.timing]);
  } catch (error) {
    ui.exportInfo.textContent = `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`;
  } finally {
    state.exportRunning = false;
    if (state.exportAgain) {
      state.exportAgain = false;
      void runExport();
    }
  }
}

// ------------------------------------------------------------------------------------------ crop

const cropBox = new CropBox(ui.canvasBox, byId('crop-box'), (rect) => fillCropInputs(rect));

function fillCropInputs(rect: Rect): void {
  ui.cropInputs.x.value = String(rect.x);
  ui.cropInputs.y.value = String(rect.y);
  ui.cropInputs.width.value = String(rect.width);
  ui.cropInputs.height.value = String(rect.height);
}

function setCropMode(on: boolean): void {
  ui.cropMode.setAttribute('aria-pressed', String(on));
  ui.cropBar.hidden = !on;
  cropBox.setEnabled(on, state.width, state.height);
  if (on) fillCropInputs({ x: 0, y: 0, width: state.width, height: state.height });
}

function typedCropRect(): Rect {
  const i = ui.cropInputs;
  return clampRect(
    { x: +i.x.value, y: +i.y.value, width: +i.width.value, height: +i.height.value },
    state.width,
    state.height,
  );
}

// ------------------------------------------------------------------------------------------ backends

function showBackends(report: EnvironmentReport): void {
  ui.backend.replaceChildren(
    ...report.backends.map((b) => {
      const option = document.createElement('option');
      option.value = b.name;
      option.disabled = !b.available;
      // What a backend lacks (ops, encoding) the editor runs on wasm; the timings say where each step ran.
      const partial =
        b.available && b.name !== 'wasm' && (!b.encode || (b.ops?.length ?? 0) < OP_NAMES.length);
      option.textContent = b.available
        ? `${b.name} — ${b.device}${partial ? ' (+ wasm for the rest)' : ''}`
        : `${b.name} — unavailable`;
      option.title = b.available ? (b.notes ?? []).join('\n') : (b.reason ?? '');
      return option;
    }),
  );
  const first = report.backends.find((b) => b.available);
  if (first) ui.backend.value = first.name;
  renderBackendList(ui.backends, report);
}

// ------------------------------------------------------------------------------------------ wiring

function fillSelect(select: HTMLSelectElement, values: readonly string[], selected: string): void {
  select.replaceChildren(...values.map((v) => new Option(v, v, v === selected, v === selected)));
}

fillSelect(ui.resize.fit, FIT_MODES, 'inside');
fillSelect(ui.resize.filter, RESIZE_FILTERS, 'lanczos3');
fillSelect(ui.exportOptions.subsampling, SUBSAMPLINGS, '4:2:0');

for (const sample of EDITOR_SAMPLES) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'sample';
  button.dataset.sample = sample.name;
  button.innerHTML = '<span></span><small></small>';
  button.querySelector('span')!.textContent = sample.name;
  button.querySelector('small')!.textContent = sample.about;
  button.addEventListener('click', () => void fetchSample(sample).then((b) => openBytes(b, sample.name)));
  const item = document.createElement('li');
  item.append(button);
  ui.samples.append(item);
}

ui.file.addEventListener('change', () => void openFile(ui.file.files?.[0]));
ui.stage.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.stage.classList.add('dropping');
});
ui.stage.addEventListener('dragleave', () => ui.stage.classList.remove('dropping'));
ui.stage.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.stage.classList.remove('dropping');
  void openFile(e.dataTransfer?.files[0]);
});
document.addEventListener('paste', (e) => {
  const file = [...(e.clipboardData?.files ?? [])].find(
    (f) => /jpe?g/i.test(f.type) || /\.jpe?g$/i.test(f.name),
  );
  if (file) void openFile(file);
});

ui.cropMode.addEventListener('click', () => setCropMode(ui.cropMode.getAttribute('aria-pressed') !== 'true'));
for (const input of Object.values(ui.cropInputs)) {
  input.addEventListener('input', () => cropBox.setRect(typedCropRect()));
}
byId('crop-apply').addEventListener('click', () => {
  const rect = typedCropRect();
  setCropMode(false);
  void edit({ op: 'crop', ...rect });
});
byId('crop-cancel').addEventListener('click', () => setCropMode(false));

byId('rotate-90').addEventListener('click', () => void edit({ op: 'rotate', angle: 90 }));
byId('rotate-180').addEventListener('click', () => void edit({ op: 'rotate', angle: 180 }));
byId('rotate-270').addEventListener('click', () => void edit({ op: 'rotate', angle: 270 }));
byId('flip').addEventListener('click', () => void edit({ op: 'flip' }));
byId('flop').addEventListener('click', () => void edit({ op: 'flop' }));

async function undoRedo(which: 'undo' | 'redo'): Promise<void> {
  const view = await work(which === 'undo' ? 'Undoing' : 'Redoing', () => worker.call(which, undefined));
  if (view) showView(view);
}
ui.undo.addEventListener('click', () => void undoRedo('undo'));
ui.redo.addEventListener('click', () => void undoRedo('redo'));

function setBefore(on: boolean): void {
  state.showBefore = on;
  ui.compare.setAttribute('aria-pressed', String(on));
  draw();
}
ui.compare.addEventListener('click', () => setBefore(!state.showBefore));

byId('resize-apply').addEventListener('click', () => {
  const width = Math.round(Number(ui.resize.width.value));
  const height = Math.round(Number(ui.resize.height.value));
  if (!(width > 0) && !(height > 0)) {
    setStatus('Resize needs a width, a height or both', 'error');
    return;
  }
  const step: EditStep = {
    op: 'resize',
    fit: ui.resize.fit.value as Extract<EditStep, { op: 'resize' }>['fit'],
    filter: ui.resize.filter.value as Extract<EditStep, { op: 'resize' }>['filter'],
    linear: ui.resize.linear.checked,
  };
  if (width > 0) step.width = width;
  if (height > 0) step.height = height;
  void edit(step);
});

function mirrorRange(input: HTMLInputElement): void {
  const output = byId(`${input.id}-value`);
  input.addEventListener('input', () => (output.textContent = input.value));
}
mirrorRange(ui.sharpenSigma);
mirrorRange(ui.brightness);
mirrorRange(ui.contrast);
byId('sharpen-apply').addEventListener(
  'click',
  () => void edit({ op: 'sharpen', sigma: +ui.sharpenSigma.value }),
);
byId('adjust-apply').addEventListener(
  'click',
  () => void edit({ op: 'adjust', brightness: +ui.brightness.value, contrast: +ui.contrast.value }),
);

for (const input of Object.values(ui.exportOptions)) input.addEventListener('change', scheduleExport);

ui.backend.addEventListener('change', async () => {
  const view = await work(`Switching to ${ui.backend.value}`, () =>
    worker.call('useBackend', { backend: ui.backend.value }),
  );
  if (view) showView(view);
});

document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key.toLowerCase() === 'z') {
    e.preventDefault();
    void undoRedo(e.shiftKey ? 'redo' : 'undo');
  } else if (mod && e.key.toLowerCase() === 'y') {
    e.preventDefault();
    void undoRedo('redo');
  } else if (e.key === 'b' && !e.repeat) setBefore(true);
  else if (e.key === 'Escape') setCropMode(false);
});
document.addEventListener('keyup', (e) => {
  if (e.key === 'b') setBefore(false);
});

void work('Detecting backends', () => worker.call('backends', undefined)).then((report) => {
  if (!report) return;
  showBackends(report);
  setStatus(`Ready · ${report.backends.filter((b) => b.available).length} backend(s) available`);
});
