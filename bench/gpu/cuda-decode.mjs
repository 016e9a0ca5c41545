// GPU host: jpegkit's cuda backend decode throughput (images/s) at batch 1, 16 and 128 on photo sets, results
// kept on the device (as torchvision's decode_jpeg(device='cuda') does), plus single-image latency; and batched
// encode q90 of device images (codec.encodeBatch) at batch 1, 16 and 128.
//   node bench/gpu/cuda-decode.mjs OUT.json DIR...
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createCodec, inspect, registerBackend, resolveDecodeOptions } from '@jpegkit/core';
import { CudaBackend } from '@jpegkit/native-cuda';
import { lapTimes, percentile } from './laps.mjs';

const [out, ...dirs] = process.argv.slice(2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
// BENCH_CONFIGS: a JSON list of { streams, batchChunk, decoder, kernelShare, format } to compare; default one run
// with the defaults.
const configs = JSON.parse(process.env.BENCH_CONFIGS ?? '[{}]');

const release = (results) => {
  for (const r of results) {
    if (r instanceof Error) throw r;
    r.release?.();
  }
};

async function timed(run) {
  const { laps, seconds } = await lapTimes(run, { warmup: 3, rounds: 10, seconds: SECONDS });
  return { laps: laps.length, seconds, p50: percentile(laps, 0.5), p99: percentile(laps, 0.99) };
}

async function measure(codec, format, dirs, encode) {
  const sets = [];
  for (const dir of dirs) {
    const files = readdirSync(dir)
      .filter((n) => /\.jpe?g$/i.test(n))
      .sort();
    const images = files.map((n) => new Uint8Array(readFileSync(join(dir, n))));
    const set = {
      name: basename(dir),
      images: images.length,
      bytes: images.reduce((s, b) => s + b.length, 0),
      batches: [],
    };
    for (const batch of [1, 16, 128]) {
      const list = Array.from({ length: batch }, (_, i) => images[i % images.length]);
      // BENCH_RAW=1 calls the backend with headers read once, to separate core's per-image header parse
      // (inspect walks the whole file) from the native decode.
      const items = list.map((bytes) => ({ bytes, header: inspect(bytes) }));
      const options = resolveDecodeOptions({ location: 'device', format });
      const t = await timed(async () =>
        release(
          process.env.BENCH_RAW
            ? await codec.rawBackend.decodeBatch(items, options)
            : await codec.decodeBatch(list, { location: 'device', format }),
        ),
      );
      set.batches.push({
        batch,
        imagesPerSecond: (t.laps * batch) / t.seconds,
        batchP50ms: t.p50,
        batchP99ms: t.p99,
      });
    }
    const single = await timed(async () =>
      (await codec.decode(images[0], { location: 'device', format })).release(),
    );
    set.singleP50ms = single.p50;
    set.singleP99ms = single.p99;
    const toHost = await timed(async () =>
      release(await codec.decodeBatch(images.slice(0, 16), { format: 'rgb' })),
    );
    set.host16ImagesPerSecond = (toHost.laps * Math.min(16, images.length)) / toHost.seconds;
    if (encode) {
      // Batched encode q90 of the set's photos decoded to the device (rgb), as torchvision's encode_jpeg(list).
      const decoded = [];
      for (const bytes of images) decoded.push(await codec.decode(bytes, { location: 'device' }));
      set.encodeBatches = [];
      for (const batch of [1, 16, 128]) {
        const list = Array.from({ length: batch }, (_, i) => decoded[i % decoded.length]);
        const t = await timed(async () => {
          for (const r of await codec.encodeBatch(list, { quality: 90 }))
            if (!(r instanceof Uint8Array)) throw r;
        });
        set.encodeBatches.push({ batch, imagesPerSecond: (t.laps * batch) / t.seconds });
      }
      for (const d of decoded) d.release();
    }
    sets.push(set);
    console.log(JSON.stringify(set));
  }
  return sets;
}

const report = { runs: [] };
for (const config of configs) {
  const { format = 'rgb', ...init } = config;
  const backend = new CudaBackend();
  registerBackend(backend);
  const codec = await createCodec({ backends: ['cuda'], strict: true, init });
  codec.rawBackend = backend;
  console.log(`config ${JSON.stringify(config)} on ${codec.available[0].caps.device}`);
  // The encode measurement does not depend on the decoder: the first configuration takes it.
  const sets = await measure(codec, format, dirs, report.runs.length === 0);
  report.device = codec.available[0].caps.device;
  report.runs.push({ config, sets, pool: backend.stats(), routes: backend.decodeRoutes() });
  console.log(`routes ${JSON.stringify(backend.decodeRoutes())}`);
  await codec.dispose();
}
writeFileSync(out, JSON.stringify(report, null, 2));
