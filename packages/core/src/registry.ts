import { BACKEND_PACKAGES, BACKEND_PRIORITY, KNOWN_BACKENDS } from './backend.js';
import type { Backend, BackendCaps, BackendInitOptions, BackendName, KnownBackendName } from './backend.js';
import { JpegError, isJpegError } from './errors.js';

/** Loads a backend package by name; replaceable so bundlers and tests can supply their own. */
export type BackendImporter = (packageName: string) => Promise<unknown>;

interface Entry {
  backend: Backend;
  /** Cached so two callers never init twice; a failed init stays failed until `resetBackend`. */
  init?: Promise<BackendCaps>;
  users: number;
}

const entries = new Map<string, Entry>();
let importer: BackendImporter = (name) => import(/* @vite-ignore */ name);

function isBackend(value: unknown): value is Backend {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Partial<Backend>;
  return (
    typeof b.name === 'string' &&
    typeof b.priority === 'number' &&
    typeof b.init === 'function' &&
    typeof b.canDecode === 'function' &&
    typeof b.decode === 'function' &&
    typeof b.dispose === 'function'
  );
}

/**
 * Makes a backend available to `createCodec`. Backend packages call this when imported, so in a bundler
 * `import '@jpegkit/wasm'` is enough; in Node, core also imports installed backend packages by itself.
 * Registering a name again replaces the earlier backend.
 *
 * @example
 * ```ts
 * registerBackend(myBackend); // { name: 'mine', priority: 15, init, canDecode, decode, dispose }
 * const codec = await createCodec({ backends: ['mine', 'wasm'] });
 * ```
 */
export function registerBackend(backend: Backend): void {
  if (!isBackend(backend)) {
    throw new JpegError(
      'E_INVALID_ARGUMENT',
      'Expected a Backend (name, priority, init, canDecode, decode, dispose) for backend but received another value',
    );
  }
  entries.set(backend.name, { backend, users: 0 });
}

/** Removes a backend from the registry (its init cache too). Mainly for tests and hot reloading. */
export function unregisterBackend(name: BackendName): void {
  entries.delete(name);
}

/** Names of the registered backends, highest priority first. */
export function registeredBackends(): BackendName[] {
  return [...entries.values()]
    .sort((a, b) => b.backend.priority - a.backend.priority)
    .map((e) => e.backend.name);
}

/** Replaces how backend packages are imported (e.g. a bundler's static map); returns the previous one. */
export function setBackendImporter(next: BackendImporter): BackendImporter {
  const previous = importer;
  importer = next;
  return previous;
}

/** The priority a backend name has before it is loaded (unknown names sort after the shipped ones). */
export function defaultPriority(name: BackendName): number {
  return (BACKEND_PRIORITY as Record<string, number>)[name] ?? 0;
}

function isKnown(name: BackendName): name is KnownBackendName {
  return (KNOWN_BACKENDS as readonly string[]).includes(name);
}

function notAvailable(name: BackendName, message: string, cause?: unknown): JpegError {
  return new JpegError('E_BACKEND_INIT', message, { backend: name, cause });
}

/**
 * Finds a backend by name: a registered one, or else the installed package of a shipped backend, imported
 * at run time (core never imports a backend at build time). Rejects with E_BACKEND_INIT saying why.
 */
export async function loadBackend(name: BackendName): Promise<Backend> {
  const registered = entries.get(name);
  if (registered) return registered.backend;
  if (!isKnown(name)) {
    throw notAvailable(
      name,
      `no backend named "${name}" is registered (known: ${KNOWN_BACKENDS.join(', ')})`,
    );
  }
  const pkg = BACKEND_PACKAGES[name];
  let mod: unknown;
  try {
    mod = await importer(pkg);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    const why = missing
      ? `package ${pkg} is not installed (add it with: pnpm add ${pkg})`
      : `package ${pkg} failed to load: ${(cause as Error)?.message ?? String(cause)}`;
    throw notAvailable(name, why, cause);
  }
  // Importing a backend package registers it; a package may also export `createBackend()` instead.
  const after = entries.get(name);
  if (after) return after.backend;
  const create = (mod as { createBackend?: unknown } | null)?.createBackend;
  if (typeof create === 'function') {
    const backend: unknown = await (create as () => unknown)();
    if (isBackend(backend) && backend.name === name) {
      registerBackend(backend);
      return backend;
    }
  }
  throw notAvailable(name, `package ${pkg} did not register a backend named "${name}"`);
}

/**
 * Initialises a registered backend once; later calls share the same promise, success or failure.
 * A failure becomes a JpegError E_BACKEND_INIT (or keeps its own code when the backend gave one).
 */
export function initBackend(backend: Backend, options: BackendInitOptions = {}): Promise<BackendCaps> {
  let entry = entries.get(backend.name);
  if (!entry || entry.backend !== backend) {
    entry = { backend, users: 0 };
    entries.set(backend.name, entry);
  }
  entry.init ??= Promise.resolve()
    .then(() => backend.init(options))
    .catch((cause: unknown) => {
      if (isJpegError(cause)) {
        throw cause.backend
          ? cause
          : new JpegError(cause.code, cause.message, { backend: backend.name, cause: cause.cause });
      }
      const message = cause instanceof Error ? cause.message : String(cause);
      throw notAvailable(backend.name, message, cause);
    });
  return entry.init;
}

/** Forgets a backend's cached init so the next codec initialises it again (after a lost device, say). */
export function resetBackend(name: BackendName): void {
  const entry = entries.get(name);
  if (entry) delete entry.init;
}

/** Counts a codec as a user of the backend; `releaseBackend` disposes it when the last user goes. */
export function retainBackend(backend: Backend): void {
  const entry = entries.get(backend.name);
  if (entry && entry.backend === backend) entry.users++;
}

export async function releaseBackend(backend: Backend): Promise<void> {
  const entry = entries.get(backend.name);
  if (!entry || entry.backend !== backend) return;
  entry.users = Math.max(0, entry.users - 1);
  if (entry.users === 0 && entry.init) {
    delete entry.init;
    await backend.dispose();
  }
}
