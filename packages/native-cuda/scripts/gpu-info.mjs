// Prints what the cuda backend sees on this machine: its capabilities, or the exact reason it cannot run.
//   node packages/native-cuda/scripts/gpu-info.mjs [device]
import { CudaBackend, loadAddon } from '../dist/index.js';

const device = Number(process.argv[2] ?? 0);
const addon = loadAddon();
console.log(`addon: ABI ${addon.abi}, CUDA runtime ${addon.cudaRuntime}, kernels ${addon.kernelTargets}`);
const backend = new CudaBackend();
try {
  const caps = await backend.init({ device });
  console.log(JSON.stringify({ caps, device: backend.device, pool: backend.stats() }, null, 2));
  await backend.dispose();
} catch (error) {
  console.log(`unavailable: ${error.code}: ${error.message}`);
  if (error.cause?.detail) console.log(`detail: ${error.cause.detail}`);
  process.exitCode = 2;
}
