/**
 * Finds and loads the native addon (build/jpegkit_cuda.node), sharp-style: every candidate is tried, every
 * failure is kept, and one error lists them all with the "Possible solutions" that fit the causes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:process';
import { fileURLToPath } from 'node:url';
import { ADDON_ABI } from './native.js';
import type { NativeAddon } from './native.js';

/** Why one candidate did not load. */
export type AddonFailureKind = 'not-built' | 'platform' | 'dlopen' | 'abi' | 'other';

export interface AddonFailure {
  path: string;
  kind: AddonFailureKind;
  message: string;
}

const BUILD_COMMAND = 'pnpm --filter @jpegkit/native-cuda build:addon';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Where the addon may be, in order: `JPEGKIT_CUDA_ADDON` (e.g. the debug build), the local build, and a
 * prebuilt binary shipped in binding/.
 */
export function addonCandidates(): string[] {
  const list: string[] = [];
  const override = process.env.JPEGKIT_CUDA_ADDON;
  if (override) list.push(override);
  list.push(
    `${packageRoot}build/jpegkit_cuda.node`,
    `${packageRoot}binding/${platform}-${arch}/jpegkit_cuda.node`,
  );
  return list;
}

/** What scripts/build-addon.sh wrote when it could not build (e.g. "nvcc not found …"), if it ran. */
export function notBuiltReason(): string | undefined {
  const marker = `${packageRoot}build/NOT_BUILT`;
  if (!existsSync(marker)) return undefined;
  return readFileSync(marker, 'utf8').trim() || undefined;
}

function classify(path: string, error: unknown): AddonFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (
    code === 'MODULE_NOT_FOUND' ||
    (code === undefined && !existsSync(path)) ||
    /Cannot find module/.test(message)
  ) {
    return { path, kind: 'not-built', message: 'not found' };
  }
  if (/invalid ELF header|wrong ELF class|ELFCLASS|file too short|not a dynamic executable/i.test(message)) {
    return { path, kind: 'platform', message };
  }
  if (/NODE_MODULE_VERSION|did not self-register|Module version mismatch/i.test(message)) {
    return { path, kind: 'abi', message };
  }
  if (
    /cannot open shared object file|undefined symbol|version `[^']+' not found|ERR_DLOPEN_FAILED/i.test(
      message,
    ) ||
    code === 'ERR_DLOPEN_FAILED'
  ) {
    return { path, kind: 'dlopen', message };
  }
  return { path, kind: 'other', message };
}

function solutions(failures: readonly AddonFailure[]): string[] {
  const kinds = new Set(failures.map((f) => f.kind));
  const out: string[] = [];
  if (platform !== 'linux' || arch !== 'x64') {
    out.push(
      `The cuda backend runs on Linux x64 with an NVIDIA GPU; this is ${platform}-${arch}: use the wasm backend.`,
    );
  }
  if (kinds.has('not-built')) {
    const why = notBuiltReason();
    out.push(
      why
        ? `Build the addon: ${BUILD_COMMAND} (the last attempt said: ${why}).`
        : `Build the addon: ${BUILD_COMMAND} (needs nvcc from the CUDA 13 toolkit, g++ and Node's headers).`,
    );
  }
  if (kinds.has('dlopen')) {
    out.push(
      `Rebuild the addon on this machine (${BUILD_COMMAND}): a library it links (libstdc++, glibc) is missing or older here.`,
    );
  }
  if (kinds.has('platform'))
    out.push(`The .node file was built for another platform: rebuild it here (${BUILD_COMMAND}).`);
  if (kinds.has('abi')) {
    out.push(
      `The .node file does not match this Node.js or this package version: rebuild it (${BUILD_COMMAND}).`,
    );
  }
  if (kinds.has('other'))
    out.push(`Rebuild the addon (${BUILD_COMMAND}); if it persists, report the error above.`);
  out.push("Or skip the cuda backend: createCodec({ backends: ['wasm'] }) or JPEGKIT_BACKEND=wasm.");
  return out;
}

/** The one-line reason the backend reports when no candidate loaded. */
function summary(failures: readonly AddonFailure[]): string {
  if (failures.every((f) => f.kind === 'not-built')) {
    return `the native addon was not built: ${notBuiltReason() ?? `run ${BUILD_COMMAND} (needs nvcc)`}`;
  }
  const first = failures.find((f) => f.kind !== 'not-built') ?? failures[0]!;
  return `the native addon could not be loaded (${first.kind}): ${first.message.split('\n')[0]}`;
}

/**
 * Every failed candidate with its cause, and what to do about them.
 *
 * @example
 * ```ts
 * try { loadAddon(); } catch (e) { if (e instanceof AddonLoadError) console.error(e.message); }
 * ```
 */
export class AddonLoadError extends Error {
  readonly failures: readonly AddonFailure[];
  /** One line for `codec.skipped`: "the native addon was not built: nvcc not found (…)". */
  readonly summary: string;

  constructor(failures: readonly AddonFailure[]) {
    const tried = failures.map((f) => `- ${f.path}: ${f.message}`).join('\n');
    const fixes = solutions(failures)
      .map((s) => `- ${s}`)
      .join('\n');
    super(
      `Could not load the jpegkit CUDA addon (@jpegkit/native-cuda).\nTried:\n${tried}\nPossible solutions:\n${fixes}`,
    );
    this.name = 'AddonLoadError';
    this.failures = failures;
    this.summary = summary(failures);
  }
}

/**
 * Loads the first candidate that works and checks it was built from these sources (ABI). Throws an
 * AddonLoadError listing every candidate otherwise.
 */
export function loadAddon(candidates: readonly string[] = addonCandidates()): NativeAddon {
  const failures: AddonFailure[] = [];
  for (const path of candidates) {
    let addon: NativeAddon;
    try {
      addon = require(path) as NativeAddon;
    } catch (error) {
      failures.push(classify(path, error));
      continue;
    }
    if (addon?.abi !== ADDON_ABI) {
      failures.push({
        path,
        kind: 'abi',
        message: `built for addon ABI ${String(addon?.abi)}, this package needs ${ADDON_ABI}`,
      });
      continue;
    }
    return addon;
  }
  throw new AddonLoadError(failures);
}
