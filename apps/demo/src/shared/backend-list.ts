import type { EnvironmentReport } from './backend-report.js';

/** Fills a list with one entry per backend: its capabilities, or the reason it is unavailable. */
export function renderBackendList(list: HTMLElement, report: EnvironmentReport): void {
  list.replaceChildren(
    ...report.backends.map((b) => {
      const item = document.createElement('li');
      item.dataset.backend = b.name;
      item.dataset.available = String(b.available);
      item.innerHTML = '<strong></strong> <span class="pill"></span><p class="detail"></p>';
      item.querySelector('strong')!.textContent = b.name;
      item.querySelector('.pill')!.textContent = b.available ? 'available' : 'unavailable';
      item.querySelector('.detail')!.textContent = b.available
        ? `${b.device}. Ops: ${b.ops?.length ? b.ops.join(', ') : 'none'}. Formats: ${b.formats?.join(', ')}. ${b.encode ? 'Encodes.' : 'No encoder.'}${b.notes?.length ? ` ${b.notes.join('; ')}.` : ''}`
        : (b.reason ?? '');
      return item;
    }),
    Object.assign(document.createElement('li'), {
      className: 'env',
      textContent: `navigator.gpu: ${report.webgpuInBrowser ? 'present (this browser exposes WebGPU)' : 'absent (no WebGPU in this browser)'}`,
    }),
  );
  list.dataset.ready = 'true';
}
