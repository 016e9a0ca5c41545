/**
 * A small request/reply protocol between a page and its Worker: every call gets a promise, failures keep their
 * JpegError code, and progress events flow back between replies. Image buffers and bitmaps move by transfer.
 */

/** The methods a worker serves: each takes one argument and resolves with one value. */
export type RpcApi = Record<string, (args: never) => Promise<unknown>>;

interface RpcRequest {
  id: number;
  method: string;
  args: unknown;
}

type RpcReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { event: string; data: unknown };

/** An error that crossed the thread boundary, with the JpegError code when there was one. */
export class RpcError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }
}

/** Buffers inside a value (one level deep, plus arrays) that can move instead of being copied. */
export function transferablesOf(value: unknown, depth = 2): Transferable[] {
  if (value instanceof ImageBitmap) return [value];
  if (ArrayBuffer.isView(value)) return value.buffer instanceof ArrayBuffer ? [value.buffer] : [];
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const children = Array.isArray(value) ? value : Object.values(value);
  return [...new Set(children.flatMap((child) => transferablesOf(child, depth - 1)))];
}

export class RpcClient<Api extends RpcApi> {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #listeners = new Set<(event: string, data: unknown) => void>();
  #nextId = 1;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.addEventListener('message', (e: MessageEvent<RpcReply>) => this.#receive(e.data));
    worker.addEventListener('error', (e) => {
      const error = new RpcError('E_WORKER', `the worker failed: ${e.message}`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  #receive(reply: RpcReply): void {
    if ('event' in reply) {
      for (const listener of this.#listeners) listener(reply.event, reply.data);
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new RpcError(reply.error.code, reply.error.message));
  }

  /** Calls a worker method; `transfer` moves buffers of the argument instead of copying them. */
  call<M extends keyof Api & string>(
    method: M,
    args: Parameters<Api[M]>[0],
    transfer: Transferable[] = [],
  ): ReturnType<Api[M]> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, args } satisfies RpcRequest, transfer);
    }) as ReturnType<Api[M]>;
  }

  onEvent(listener: (event: string, data: unknown) => void): void {
    this.#listeners.add(listener);
  }

  get busy(): boolean {
    return this.#pending.size > 0;
  }
}

/** The part of a dedicated worker's global scope the server uses (the demo's tsconfig has DOM types only). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<RpcRequest>) => void): void;
}

/**
 * Serves `api` from inside a worker. Calls run one at a time in arrival order, so a method always sees the
 * state the previous one left. Returns a function that posts progress events to the page.
 */
export function serveRpc(api: RpcApi): (event: string, data: unknown) => void {
  const scope = self as unknown as WorkerScope;
  let queue: Promise<void> = Promise.resolve();
  scope.addEventListener('message', (e) => {
    const { id, method, args } = e.data;
    queue = queue.then(async () => {
      const handler = api[method];
      try {
        if (!handler) throw new RpcError('E_INVALID_ARGUMENT', `the worker has no method ${method}`);
        const value = await handler(args as never);
        scope.postMessage({ id, ok: true, value } satisfies RpcReply, transferablesOf(value));
      } catch (error) {
        const code = (error as { code?: unknown })?.code;
        const message = error instanceof Error ? error.message : String(error);
        scope.postMessage(
          { id, ok: false, error: { code: typeof code === 'string' ? code : 'E_UNEXPECTED', message } },
          [],
        );
      }
    });
  });
  return (event, data) => scope.postMessage({ event, data } satisfies RpcReply, transferablesOf(data));
}
