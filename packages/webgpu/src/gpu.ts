/**
 * Where a GPUDevice comes from: `navigator.gpu` in browsers and Workers, the `webgpu` npm package (Dawn) in Node.
 *
 * Every failure says why, so core can show it as the reason the webgpu backend was skipped.
 */

/** Limits the kernels rely on; an adapter below them is refused with the limit named. */
export const REQUIRED_LIMITS = {
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
} as const;

export interface GpuRequestOptions {
  powerPreference?: GPUPowerPreference;
  /** Use this GPU object instead of looking one up (tests, or an app that already has one). */
  gpu?: GPU;
}

let nodeGpu: Promise<GPU> | undefined;

// A variable, not a literal: bundlers must not try to pull Dawn (a Node addon) into browser bundles.
const DAWN_PACKAGE: string = 'webgpu';

async function loadNodeGpu(): Promise<GPU> {
  let mod: { create(flags: string[]): GPU; globals: Record<string, unknown> };
  try {
    mod = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as typeof mod;
  } catch (cause) {
    throw new Error(
      `the "webgpu" package (Dawn for Node) is not installed or does not load here: ${(cause as Error).message}`,
      { cause },
    );
  }
  // Dawn's classes (GPUBufferUsage, GPUShaderStage …) are what WebGPU code reads as globals.
  for (const [name, value] of Object.entries(mod.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  return mod.create([]);
}

/** The GPU entry point of this runtime, or an Error saying why there is none. */
export async function getGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (!isNode) throw new Error('this browser has no WebGPU (navigator.gpu is undefined)');
  nodeGpu ??= loadNodeGpu();
  return nodeGpu;
}

/** An adapter and a device with {@link REQUIRED_LIMITS}; rejects with the reason when there is none. */
export async function requestDevice(
  options: GpuRequestOptions = {},
): Promise<{ adapter: GPUAdapter; device: GPUDevice }> {
  const gpu = options.gpu ?? (await getGpu());
  const adapter = await gpu.requestAdapter(
    options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
  );
  if (!adapter) {
    const hint =
      typeof process !== 'undefined' && process.versions?.node !== undefined
        ? ' (Dawn found no Vulkan driver: install libvulkan1 and a driver, or set VK_ICD_FILENAMES)'
        : '';
    throw new Error(`no WebGPU adapter${hint}`);
  }
  const requiredLimits: Record<string, number> = {};
  for (const [name, want] of Object.entries(REQUIRED_LIMITS)) {
    const have = (adapter.limits as unknown as Record<string, number>)[name] ?? 0;
    if (have < want) throw new Error(`WebGPU adapter limit ${name} is ${have} < ${want}`);
    requiredLimits[name] = want;
  }
  // Large images need large buffers: ask for what the adapter allows (the defaults are 128 and 256 MiB).
  for (const name of ['maxStorageBufferBindingSize', 'maxBufferSize']) {
    const have = (adapter.limits as unknown as Record<string, number>)[name];
    if (typeof have === 'number' && have > 0) requiredLimits[name] = have;
  }
  const device = await adapter.requestDevice({ requiredLimits });
  return { adapter, device };
}
