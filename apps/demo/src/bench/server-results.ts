/**
 * Reading the server-side benchmark results committed in bench/results/ (written by bench/): the CPU sets
 * (jpegkit wasm vs sharp, jSquash, cornerstone, jpeg-js, native tjbench) and the GPU decode comparison
 * (jpegkit cuda vs torchvision on an H200). Shapes are checked loosely: a file this page does not know is
 * shown as its Markdown report instead.
 */

export interface CpuRow {
  contender: string;
  label: string;
  setup: string;
  mpps: number;
  p50ms: number;
  jpegkitRatio?: number;
}

export interface CpuTable {
  workload: string;
  mode: string;
  rows: CpuRow[];
}

export interface CpuSet {
  meta: {
    name: string;
    date: string;
    cpu: string;
    cores: number;
    corpusAbout?: string;
    totalMP?: number;
    images?: unknown[];
  };
  tables: CpuTable[];
}

export interface GpuRatio {
  /** The cuda backend's options for this row (decoder 'kernels' when absent). */
  config?: { decoder?: string; kernelShare?: number };
  set: string;
  batch: number;
  jpegkit: number;
  torchvision: number;
  ratio: number;
}

export interface GpuDecode {
  jpegkit: { device: string };
  torchvision: { torch?: string; torchvision?: string; gpu?: string };
  ratios: GpuRatio[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isCpuSet(value: unknown): value is CpuSet {
  return (
    isObject(value) &&
    isObject(value.meta) &&
    Array.isArray(value.tables) &&
    value.tables.every((t) => isObject(t) && typeof t.workload === 'string' && Array.isArray(t.rows))
  );
}

export function isGpuDecode(value: unknown): value is GpuDecode {
  return (
    isObject(value) &&
    isObject(value.jpegkit) &&
    Array.isArray(value.ratios) &&
    value.ratios.every((r) => isObject(r) && typeof r.ratio === 'number' && typeof r.set === 'string')
  );
}

/** The headline: per workload and mode, jpegkit's MP/s ÷ each peer's (the peers in first-seen order). */
export function cpuHeadline(set: CpuSet): {
  peers: string[];
  rows: { workload: string; mode: string; ratios: Record<string, number | undefined> }[];
} {
  const peers: string[] = [];
  for (const table of set.tables) {
    for (const row of table.rows) {
      if (row.contender !== 'jpegkit' && !peers.includes(row.label)) peers.push(row.label);
    }
  }
  const rows = set.tables.map((table) => ({
    workload: table.workload,
    mode: table.mode,
    ratios: Object.fromEntries(
      peers.map((peer) => [peer, table.rows.find((r) => r.label === peer)?.jpegkitRatio]),
    ),
  }));
  return { peers, rows };
}

/** MP/s per contender for each workload in one mode: the data of a grouped bar chart. */
export function cpuThroughput(
  set: CpuSet,
  mode: string,
): { workloads: string[]; series: { label: string; values: (number | null)[] }[] } {
  const tables = set.tables.filter((t) => t.mode === mode);
  const workloads = tables.map((t) => t.workload);
  const labels: string[] = [];
  for (const table of tables)
    for (const row of table.rows) if (!labels.includes(row.label)) labels.push(row.label);
  return {
    workloads,
    series: labels.map((label) => ({
      label,
      values: tables.map((t) => t.rows.find((r) => r.label === label)?.mpps ?? null),
    })),
  };
}
