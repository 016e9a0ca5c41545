/**
 * Runs the benchmark in a dedicated Worker: every contender on this one thread, one call at a time, so the
 * page stays responsive and no contender gets more cores than another. Progress goes to the page as events.
 */
import { createCodec, inspect, isDeviceImage } from '@jpegkit/core';
import type { HostImage } from '@jpegkit/core';
import { installBackendImporter } from '../shared/backend-importer.js';
import { reportBackends } from '../shared/backend-report.js';
import { serveRpc } from '../shared/worker-rpc.js';
import { browserContender, jpegJsContender, jpegkitContender, jsquashContender } from './contenders.js';
import type { Contender, CorpusEntry, Rgba } from './contenders.js';
import { addRatios, summarize } from './measure.js';
import type { Measurement, TimedCall } from './measure.js';
import type { BenchApi, BenchProgress, BenchReport, CorpusFile } from './protocol.js';

const INIT = { threads: 0 };

installBackendImporter();

/** Upright RGBA pixels of a corpus file, the input every encoder gets (decoded by jpegkit's wasm backend). */
async function rgbaOf(bytes: Uint8Array): Promise<Rgba> {
  const codec = await createCodec({ backends: ['wasm'], init: INIT });
  try {
    const image = (await codec.decode(bytes, { format: 'rgba', orient: true })) as HostImage;
    if (isDeviceImage(image)) throw new Error('expected a host image');
    const packed = new Uint8ClampedArray(image.width * image.height * 4);
    for (let y = 0; y < image.height; y++) {
      packed.set(
        image.data.subarray(y * image.stride, y * image.stride + image.width * 4),
        y * image.width * 4,
      );
    }
    return { width: image.width, height: image.height, data: packed };
  } finally {
    await codec.dispose();
  }
}

async function corpusEntry(file: CorpusFile): Promise<CorpusEntry> {
  const header = inspect(file.bytes);
  const rotated = header.orientation >= 5;
  return {
    name: file.name,
    bytes: file.bytes,
    width: rotated ? header.height : header.width,
    height: rotated ? header.width : header.height,
    rgba: await rgbaOf(file.bytes),
  };
}

function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

const api: BenchApi = {
  async backends() {
    return reportBackends(INIT);
  },

  async run({ files, workloads, seconds }): Promise<BenchReport> {
    const environment = await reportBackends(INIT);
    const corpus: CorpusEntry[] = [];
    const skipped: BenchReport['skipped'] = [];
    for (const file of files) {
      try {
        corpus.push(await corpusEntry(file));
      } catch (error) {
        skipped.push({ contender: file.name, reason: `not in the corpus: ${reasonOf(error)}` });
      }
    }
    if (corpus.length === 0) throw new Error('no JPEG in the corpus could be read');

    const contenders: Contender[] = [];
    for (const backend of environment.backends.filter((b) => b.available)) {
      try {
        contenders.push(await jpegkitContender(backend.name));
      } catch (error) {
        skipped.push({ contender: `jpegkit-${backend.name}`, reason: reasonOf(error) });
      }
    }
    contenders.push(browserContender(), jsquashContender(), jpegJsContender());

    const jobs = workloads.flatMap((workload) =>
      contenders.filter((c) => c[workload]).map((contender) => ({ workload, contender })),
    );
    const results: Measurement[] = [];
    let done = 0;
    for (const { workload, contender } of jobs) {
      const progress: BenchProgress = { done, total: jobs.length, label: `${contender.label}: ${workload}` };
      post('progress', progress);
      const call = contender[workload]!.bind(contender);
      try {
        for (const entry of corpus) await call(entry); // warm-up: module loads, JIT, first allocations
        const calls: TimedCall[] = [];
        const start = performance.now();
        do {
          for (const entry of corpus) {
            const t0 = performance.now();
            await call(entry);
            calls.push({ ms: performance.now() - t0, pixels: entry.width * entry.height });
          }
        } while (performance.now() - start < seconds * 1000);
        results.push({
          workload,
          contender: contender.id,
          label: contender.label,
          setup: contender.setup,
          ...summarize(calls),
        });
      } catch (error) {
        skipped.push({ contender: `${contender.id} (${workload})`, reason: reasonOf(error) });
      }
      done++;
    }
    post('progress', { done, total: jobs.length, label: 'done' } satisfies BenchProgress);
    await Promise.all(contenders.map((c) => c.dispose?.()));

    const reference = results.find((r) => r.contender === 'jpegkit-wasm')?.contender ?? results[0]?.contender;
    return {
      date: new Date().toISOString(),
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      corpus: corpus.map((e) => ({ name: e.name, width: e.width, height: e.height, bytes: e.bytes.length })),
      seconds,
      environment,
      skipped,
      results: reference ? addRatios(results, reference) : results,
    };
  },
};

const post = serveRpc(api);
