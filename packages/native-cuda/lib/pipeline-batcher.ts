/**
 * Gathers pipeline calls that arrive together into native batches: every job queued in one turn of the event loop
 * is sent at the next `setImmediate`, grouped by encode settings (one native call encodes with one set), in chunks
 * of `maxBatch` that run on separate streams. A lone call goes out alone, so batching costs a single image no
 * latency; many calls in flight share decode batches on the hardware engines and one worker hop per chunk.
 */
export interface BatchJob<Input, Output> {
  /** Jobs with the same key may share a native call. */
  key: string;
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

export type BatchRunner<Input, Output> = (inputs: Input[]) => Promise<(Output | Error)[]>;

export class PipelineBatcher<Input, Output> {
  #queue: BatchJob<Input, Output>[] = [];
  #scheduled = false;

  constructor(
    readonly runBatch: BatchRunner<Input, Output>,
    readonly maxBatch: number,
  ) {}

  /** Queues one job; settles with its own result (or its own error) when its batch is back. */
  add(key: string, input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#queue.push({ key, input, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    this.#scheduled = false;
    const groups = new Map<string, BatchJob<Input, Output>[]>();
    for (const job of queue) {
      const group = groups.get(job.key);
      if (group) group.push(job);
      else groups.set(job.key, [job]);
    }
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += this.maxBatch)
        void this.#send(group.slice(i, i + this.maxBatch));
    }
  }

  async #send(jobs: BatchJob<Input, Output>[]): Promise<void> {
    let results: (Output | Error)[];
    try {
      results = await this.runBatch(jobs.map((job) => job.input));
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const result = results[i];
      if (result instanceof Error) job.reject(result);
      else if (result === undefined)
        job.reject(new Error('the native batch returned fewer results than jobs'));
      else job.resolve(result);
    });
  }
}
