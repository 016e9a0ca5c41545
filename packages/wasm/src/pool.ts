/**
 * A pool of workers, each with its own wasm module instance: worker_threads in Node, Web Workers in
 * browsers. Jobs go to an idle worker (workers start on demand, up to `size`); buffers move by transfer.
 */
import type { HostImage } from '@jpegkit/core';
import type { EngineRequest } from './engine.js';
import type { DctCoefficients } from './transform-module.js';

export type WorkerRequest = EngineRequest;

export type WorkerResult = Uint8Array | HostImage | DctCoefficients | number;

export type WorkerReply =
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; error: { code: string; message: string } };

/** A failure that crossed the thread boundary. */
export interface WorkerFailure {
  code: string;
  message: string;
}

/** The part of a Node Worker or a Web Worker the pool uses. */
interface Port {
  post(message: unknown, transfer: Transferable[]): void;
  onMessage(handler: (message: WorkerReply) => void): void;
  onError(handler: (error: Error) => void): void;
  /** Lets the process exit while this worker idles (Node); nothing in browsers. */
  idle(idle: boolean): void;
  terminate(): Promise<void>;
}

interface Job {
  request: WorkerRequest;
  transfer: Transferable[];
  resolve(value: WorkerResult): void;
  reject(error: WorkerFailure): void;
}

interface Slot {
  port: Port;
  job?: Job & { id: number };
}

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

async function spawn(): Promise<Port> {
  if (isNode()) {
    const { Worker } = await import('node:worker_threads');
    // From sources (tests) the worker is the built one in dist/; from dist/ it sits beside this module.
    const url = import.meta.url.endsWith('.ts')
      ? new URL('../dist/worker.js', import.meta.url)
      : new URL('./worker.js', import.meta.url);
    const w = new Worker(url);
    return {
      post: (m, t) => w.postMessage(m, t as never),
      onMessage: (h) => w.on('message', h),
      onError: (h) => w.on('error', h),
      idle: (idle) => (idle ? w.unref() : w.ref()),
      terminate: async () => {
        await w.terminate();
      },
    };
  }
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return {
    post: (m, t) => w.postMessage(m, t),
    onMessage: (h) => w.addEventListener('message', (e: MessageEvent<WorkerReply>) => h(e.data)),
    onError: (h) => w.addEventListener('error', (e) => h(new Error(e.message))),
    idle: () => {},
    terminate: async () => w.terminate(),
  };
}

/** The buffers of a request or result that can move between threads instead of being copied. */
export function transferablesOf(value: unknown): Transferable[] {
  if (value instanceof Uint8Array) return [value.buffer as ArrayBuffer];
  const components = (value as Partial<DctCoefficients> | null)?.components;
  if (Array.isArray(components)) {
    return components.flatMap((c) => [
      c.coefficients.buffer as ArrayBuffer,
      c.quantTable.buffer as ArrayBuffer,
    ]);
  }
  const data = (value as { data?: unknown } | null)?.data;
  return data instanceof Uint8Array ? [data.buffer as ArrayBuffer] : [];
}

export class WorkerPool {
  readonly size: number;
  #slots: Slot[] = [];
  #starting = 0;
  #queue: Job[] = [];
  #nextId = 1;
  #closed = false;

  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Workers started so far. */
  get started(): number {
    return this.#slots.length;
  }

  /** Runs a request on an idle worker, or queues it until one is free. */
  run(request: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerResult> {
    if (this.#closed)
      return Promise.reject({ code: 'E_BACKEND_INIT', message: 'the wasm worker pool was disposed' });
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, transfer, resolve, reject });
      void this.#dispatch();
    });
  }

  async #dispatch(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      let slot = this.#slots.find((s) => s.job === undefined);
      if (!slot) {
        if (this.#slots.length + this.#starting >= this.size) return;
        this.#starting++;
        try {
          slot = await this.#start();
        } catch (error) {
          this.#queue
            .shift()
            ?.reject({ code: 'E_BACKEND_INIT', message: `cannot start a wasm worker: ${String(error)}` });
          continue;
        } finally {
          this.#starting--;
        }
        if (this.#closed) {
          await slot.port.terminate();
          return;
        }
        this.#slots.push(slot);
        if (slot.job !== undefined) continue;
      }
      const job = this.#queue.shift();
      if (!job) return;
      const id = this.#nextId++;
      slot.job = { ...job, id };
      slot.port.idle(false);
      slot.port.post({ id, ...job.request }, job.transfer);
    }
  }

  #finish(slot: Slot): Job | undefined {
    const job = slot.job;
    slot.job = undefined;
    slot.port.idle(true);
    void this.#dispatch();
    return job;
  }

  async #start(): Promise<Slot> {
    const port = await spawn();
    const slot: Slot = { port };
    port.onMessage((reply) => {
      if (slot.job?.id !== reply.id) return;
      const job = this.#finish(slot);
      if (reply.ok) job?.resolve(reply.result);
      else job?.reject(reply.error);
    });
    port.onError((error) => {
      // A worker that dies fails only its own job; a new worker takes its place on the next dispatch.
      this.#slots = this.#slots.filter((s) => s !== slot);
      const job = slot.job;
      slot.job = undefined;
      job?.reject({ code: 'E_OUT_OF_MEMORY', message: `wasm worker failed: ${error.message}` });
      void this.#dispatch();
    });
    port.idle(true);
    return slot;
  }

  async dispose(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots;
    this.#slots = [];
    for (const job of this.#queue)
      job.reject({ code: 'E_BACKEND_INIT', message: 'the wasm worker pool was disposed' });
    this.#queue = [];
    for (const slot of slots)
      slot.job?.reject({ code: 'E_BACKEND_INIT', message: 'the wasm worker pool was disposed' });
    await Promise.all(slots.map((s) => s.port.terminate()));
  }
}
