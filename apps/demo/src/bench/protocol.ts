import type { EnvironmentReport } from '../shared/backend-report.js';
import type { Measurement, Workload } from './measure.js';

export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
}

export interface CorpusImage {
  name: string;
  width: number;
  height: number;
  bytes: number;
}

export interface BenchRequest {
  files: CorpusFile[];
  workloads: Workload[];
  /** Time spent per contender and workload after the warm-up pass (at least one full pass is made). */
  seconds: number;
}

export interface BenchProgress {
  done: number;
  total: number;
  label: string;
}

export interface BenchReport {
  date: string;
  userAgent: string;
  hardwareConcurrency: number;
  corpus: CorpusImage[];
  seconds: number;
  environment: EnvironmentReport;
  /** Contenders that could not run here, with the reason. */
  skipped: { contender: string; reason: string }[];
  results: Measurement[];
}

export type BenchApi = {
  backends(args: undefined): Promise<EnvironmentReport>;
  run(args: BenchRequest): Promise<BenchReport>;
};
