// GPU host: the Fastvideo-style pipeline on the cuda backend — 1920×1080 JPEG → 960×540 lanczos3 → sharpen →
// q90 JPEG — single-image latency and throughput with many in flight.
//   node bench/gpu/cuda-pipeline.mjs OUT.json DIR
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodec, inspect, registerBackend } from '@jpegkit/core';
import { CudaBackend } from '@jpegkit/native-cuda';
import { lapTimes, percentile } from './laps.mjs';

const [out, dir] = process.argv.slice(2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
// BENCH_INIT: JSON init options for the cuda backend (e.g. {"pipelineBatch": 16, "streams": 8}).
const init = JSON.parse(process.env.BENCH_INIT ?? '{}');
registerBackend(new CudaBackend());
const codec = await createCodec({ backends: ['cuda'], strict: true, init });
const images = readdirSync(dir)
  .filter((n) => /\.jpe?g$/i.test(n))
  .sort()
  .map((n) => new Uint8Array(readFileSync(join(dir, n))));
const thumb = (bytes) =>
  codec
    .pipeline(bytes)
    .resize({ width: 960, height: 540, filter: 'lanczos3' })
    .sharpen({ sigma: 0.95 })
    .toJpeg({ quality: 90 });

const first = await thumb(images[0]);
const h = inspect(first);
if (h.width !== 960 || h.height !== 540) throw new Error(`pipeline output is ${h.width}×${h.height}`);

const report = { device: codec.available[0].caps.device, init, single: {}, concurrent: [] };
const { laps } = await lapTimes((i) => thumb(images[i % images.length]), { rounds: 20, seconds: SECONDS });
report.single = { p50ms: percentile(laps, 0.5), p99ms: percentile(laps, 0.99) };
for (const inFlight of [8, 32, 128, 512]) {
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, k) => {
      for (let i = k; performance.now() - start < SECONDS * 1000; i += inFlight) {
        await thumb(images[i % images.length]);
        done++;
      }
    }),
  );
  report.concurrent.push({ inFlight, imagesPerSecond: done / ((performance.now() - start) / 1000) });
}
console.log(JSON.stringify(report));
await codec.dispose();
writeFileSync(out, JSON.stringify(report, null, 2));
