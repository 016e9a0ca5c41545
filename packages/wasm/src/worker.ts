/**
 * A pool worker: one wasm module instance serving decode, encode and pipeline requests from the pool.
 */
import { serve, toJpegError } from './engine.js';
import { loadModule } from './module.js';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { transferablesOf } from './pool.js';

type Incoming = WorkerRequest & { id: number };

interface Channel {
  receive(handler: (message: Incoming) => void): void;
  send(reply: WorkerReply, transfer: Transferable[]): void;
}

async function channel(): Promise<Channel> {
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
    'string';
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    if (!parentPort) throw new Error('worker.js must run as a worker thread');
    return {
      receive: (h) => parentPort.on('message', h),
      send: (r, t) => parentPort.postMessage(r, t as never),
    };
  }
  const scope = globalThis as unknown as {
    addEventListener(type: 'message', h: (e: MessageEvent<Incoming>) => void): void;
    postMessage(message: unknown, transfer: Transferable[]): void;
  };
  return {
    receive: (h) => scope.addEventListener('message', (e) => h(e.data)),
    send: (r, t) => scope.postMessage(r, t),
  };
}

const port = await channel();
const codec = loadModule();
port.receive((message) => {
  void codec.then(
    (c) => {
      try {
        const result = serve(c, message);
        port.send({ id: message.id, ok: true, result }, transferablesOf(result));
      } catch (error) {
        const e = toJpegError(error);
        port.send({ id: message.id, ok: false, error: { code: e.code, message: e.message } }, []);
      }
    },
    (error: unknown) => {
      const e = toJpegError(error);
      port.send({ id: message.id, ok: false, error: { code: 'E_BACKEND_INIT', message: e.message } }, []);
    },
  );
});
