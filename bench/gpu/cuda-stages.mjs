// GPU host: where a pipeline's time goes — each stage of 1080p → 960×540 lanczos3 → sharpen → q90 timed alone
// (decode to the device, resize, sharpen, encode), then the fused call, with the device pool's counters.
//   node bench/gpu/cuda-stages.mjs OUT.json FILE.jpg
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect, resolveDecodeOptions, resolveEncodeOptions } from '@jpegkit/core';
import { CudaBackend } from '@jpegkit/native-cuda';
import { lapTimes, percentile } from './laps.mjs';

const [out, file] = process.argv.slice(2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const backend = new CudaBackend();
await backend.init(JSON.parse(process.env.BENCH_INIT ?? '{}'));
const bytes = new Uint8Array(readFileSync(file));
const header = inspect(bytes);
const decodeOptions = resolveDecodeOptions({ location: 'device', format: 'rgb' });
const encode = resolveEncodeOptions({ quality: 90 });
const resize = {
  op: 'resize',
  width: 960,
  height: 540,
  fit: 'fill',
  filter: 'lanczos3',
  linear: false,
  background: [0, 0, 0, 255],
};
const sharpen = { op: 'sharpen', sigma: 0.95, amount: 1, threshold: 0 };
const onDevice = (image, steps) =>
  backend.run({
    input: { kind: 'image', image },
    orient: false,
    steps,
    output: { kind: 'image', format: 'rgb', location: 'device' },
  });

async function time(name, run) {
  const { laps } = await lapTimes(run, { warmup: 10, rounds: ROUNDS });
  return { name, p50ms: percentile(laps, 0.5), p10ms: percentile(laps, 0.1) };
}

const decoded = await backend.decode(bytes, header, decodeOptions);
const small = await onDevice(decoded, [resize]);
const report = { file, stages: [] };
report.stages.push(
  await time('decode → device', async () => (await backend.decode(bytes, header, decodeOptions)).release()),
);
report.stages.push(
  await time('resize (device → device)', async () => (await onDevice(decoded, [resize])).release()),
);
report.stages.push(await time('sharpen 960×540', async () => (await onDevice(small, [sharpen])).release()));
report.stages.push(
  await time('rotate 90 1080p (copy kernel)', async () =>
    (await onDevice(decoded, [{ op: 'rotate', angle: 90 }])).release(),
  ),
);
report.stages.push(await time('encode 960×540 q90', () => backend.encode(small, encode)));
report.stages.push(await time('encode 1080p q90', () => backend.encode(decoded, encode)));
// The same encodes with nvJPEG's encoder instead of ours (encoder 'nvjpeg').
backend.setEncoder('nvjpeg');
report.stages.push(await time('encode 960×540 q90 (nvJPEG)', () => backend.encode(small, encode)));
report.stages.push(await time('encode 1080p q90 (nvJPEG)', () => backend.encode(decoded, encode)));
backend.setEncoder('kernels');
report.stages.push(
  await time('fused pipeline', () =>
    backend.run({
      input: { kind: 'jpeg', bytes, header },
      orient: true,
      steps: [resize, sharpen],
      output: { kind: 'jpeg', encode },
    }),
  ),
);
report.pool = backend.stats();
console.log(JSON.stringify(report, null, 1));
writeFileSync(out, JSON.stringify(report, null, 2));
await backend.dispose();
