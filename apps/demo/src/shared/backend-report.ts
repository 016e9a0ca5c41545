import { KNOWN_BACKENDS, createCodec, isJpegError } from '@jpegkit/core';
import type { BackendCaps, BackendInitOptions, SkippedBackend } from '@jpegkit/core';

/** What the backend selector shows for one backend: its capabilities, or why it cannot run here. */
export interface BackendReport {
  name: string;
  available: boolean;
  device?: string;
  formats?: string[];
  ops?: string[];
  encode?: boolean;
  notes?: string[];
  /** Why the backend is unavailable (from `codec.skipped`). */
  reason?: string;
}

export interface EnvironmentReport {
  backends: BackendReport[];
  /** Whether this browser exposes WebGPU at all (`navigator.gpu`). */
  webgpuInBrowser: boolean;
}

/** Opens a codec over every backend once and reports what each one can do or why it was skipped. */
export async function reportBackends(init: BackendInitOptions): Promise<EnvironmentReport> {
  const webgpuInBrowser = typeof (navigator as { gpu?: unknown }).gpu !== 'undefined';
  let available: { name: string; caps: BackendCaps }[] = [];
  let skipped: readonly SkippedBackend[] = [];
  try {
    const codec = await createCodec({ init });
    available = [...codec.available];
    skipped = codec.skipped;
    await codec.dispose();
  } catch (error) {
    // No backend at all: E_NO_BACKEND carries every backend's reason as its cause.
    if (!isJpegError(error) || !Array.isArray(error.cause)) throw error;
    skipped = error.cause as SkippedBackend[];
  }
  const reports: BackendReport[] = [
    ...available.map(({ name, caps }) => {
      const report: BackendReport = {
        name,
        available: true,
        device: caps.device,
        formats: [...caps.formats],
        ops: [...caps.ops],
        encode: caps.encode,
      };
      if (caps.notes) report.notes = [...caps.notes];
      return report;
    }),
    ...skipped.map(({ backend, error }) => ({ name: backend, available: false, reason: error.message })),
  ];
  const order = (name: string) => {
    const known = (KNOWN_BACKENDS as readonly string[]).indexOf(name);
    return known < 0 ? KNOWN_BACKENDS.length : known;
  };
  reports.sort((a, b) => order(a.name) - order(b.name));
  return { backends: reports, webgpuInBrowser };
}
