// GPU host (or any machine with a WebGPU adapter for Dawn): the webgpu backend against @jpegkit/wasm on the same
// machine — decode of 5120×2880 baseline photos with and without restart markers (GPU Huffman decoding, result
// on the GPU or copied to the host; and with the entropy decoding left to wasm), and resize of a decoded
// 5120×2880 image to 1280×720 lanczos3 on the GPU. Every webgpu decode is checked against wasm's bytes first.
//   node bench/gpu/webgpu-bench.mjs OUT.json DIR
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect, resolveDecodeOptions } from '@jpegkit/core';
import { WasmBackend } from '@jpegkit/wasm';
import { WebGPUBackend } from '@jpegkit/webgpu';
import { lapTimes, percentile } from './laps.mjs';

const [out, dir] = process.argv.slice(2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const files = readdirSync(dir)
  .filter((n) => /\.jpe?g$/i.test(n))
  .sort();

async function median(run) {
  const { laps } = await lapTimes(run, { warmup: WARMUP, rounds: ROUNDS });
  return percentile(laps, 0.5);
}

const wasm = new WasmBackend();
await wasm.init({});
const gpu = new WebGPUBackend();
const caps = await gpu.init({});
const wasmEntropy = new WebGPUBackend();
await wasmEntropy.init({ entropy: 'wasm' });
console.log(`webgpu on ${caps.device}`);
const host = resolveDecodeOptions({ format: 'rgba' });
const device = resolveDecodeOptions({ format: 'rgba', location: 'device' });
const report = { device: caps.device, rounds: ROUNDS, decode: [], resize: [] };

for (const name of files) {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  const header = inspect(bytes, { headerOnly: true });
  const want = await wasm.decode(bytes, header, host);
  const got = await gpu.decode(bytes, header, host);
  if (Buffer.compare(Buffer.from(want.data), Buffer.from(got.data)) !== 0)
    throw new Error(`${name}: webgpu ≠ wasm`);
  const before = { ...gpu.entropyStats };
  const row = {
    file: name,
    restartInterval: header.restartInterval,
    wasmMs: await median(() => wasm.decode(bytes, header, host)),
    webgpuHostMs: await median(() => gpu.decode(bytes, header, host)),
    webgpuDeviceMs: await median(async () => (await gpu.decode(bytes, header, device)).release()),
    webgpuWasmEntropyMs: await median(() => wasmEntropy.decode(bytes, header, host)),
  };
  row.entropyOnGpu = gpu.entropyStats.gpu > before.gpu;
  row.speedupHost = row.wasmMs / row.webgpuHostMs;
  row.speedupDevice = row.wasmMs / row.webgpuDeviceMs;
  report.decode.push(row);
  console.log(JSON.stringify(row));

  const decoded = await gpu.decode(bytes, header, device);
  const steps = [
    {
      op: 'resize',
      width: 1280,
      height: 720,
      fit: 'fill',
      filter: 'lanczos3',
      linear: false,
      background: [0, 0, 0, 255],
    },
  ];
  const resizeMs = await median(async () => {
    const small = await gpu.run({
      input: { kind: 'image', image: decoded },
      orient: false,
      steps,
      output: { kind: 'image', format: 'rgba', location: 'device' },
    });
    await small.context.device.queue.onSubmittedWorkDone();
    small.release();
  });
  decoded.release();
  report.resize.push({
    file: name,
    from: `${header.width}x${header.height}`,
    to: '1280x720',
    filter: 'lanczos3',
    resizeMs,
  });
  console.log(JSON.stringify(report.resize.at(-1)));
}
writeFileSync(out, JSON.stringify(report, null, 2));
await Promise.all([wasm.dispose(), gpu.dispose(), wasmEntropy.dispose()]);
