// GPU host: device memory the cuda backend takes per stream — free device memory before init and after decoding
// batches of the photo set with 1, 2, 4 and 8 streams, each stream kept busy by its own decodeBatch of 16 at
// the same time (nvJPEG states, staging and the images in flight included; the pool's cache is off).
// BENCH_INIT: extra backend options as JSON (e.g. {"decoder":"nvjpeg"}).
//   node bench/gpu/cuda-memory.mjs OUT.json DIR
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCodec, registerBackend } from '@jpegkit/core';
import { CudaBackend } from '@jpegkit/native-cuda';

const [out, dir] = process.argv.slice(2);
const images = readdirSync(dir)
  .filter((n) => /\.jpe?g$/i.test(n))
  .sort()
  .map((n) => new Uint8Array(readFileSync(join(dir, n))));
const batch = Array.from({ length: 16 }, (_, i) => images[i % images.length]);
const extra = JSON.parse(process.env.BENCH_INIT ?? '{}');
const report = { set: dir, init: extra, runs: [] };
for (const streams of [1, 2, 4, 8]) {
  const probe = new CudaBackend();
  await probe.init(extra);
  const before = probe.stats().deviceFreeBytes;
  await probe.dispose();
  const backend = new CudaBackend();
  registerBackend(backend);
  const codec = await createCodec({
    backends: ['cuda'],
    strict: true,
    init: { ...extra, streams, poolKeepMiB: 0 },
  });
  for (let i = 0; i < 5; i++) {
    const calls = Array.from({ length: streams }, () => codec.decodeBatch(batch, { location: 'device' }));
    for (const results of await Promise.all(calls)) {
      for (const r of results) {
        if (r instanceof Error) throw r;
        r.release();
      }
    }
  }
  const after = backend.stats().deviceFreeBytes;
  const usedMiB = (before - after) / 2 ** 20;
  report.runs.push({ streams, usedMiB, perStreamMiB: usedMiB / streams, pool: backend.stats() });
  console.log(
    `streams ${streams}: ${usedMiB.toFixed(1)} MiB in use, ${(usedMiB / streams).toFixed(1)} MiB per stream`,
  );
  await codec.dispose();
}
writeFileSync(out, JSON.stringify(report, null, 2));
