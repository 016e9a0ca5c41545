/**
 * Gathers pipeline calls that arrive together into native batches: every job queued in one turn of the event loop
 * is sent at the next `setImmediate`, grouped by encode settings (one native call encodes with one set), in chunks
 * of `maxBatch` that run on separate streams. A lone call goes out alone, so batching costs a single image no
 * latency; many calls in flight share decode batches on the hardware engines and one worker hop per chunk.
 *
 * At most `maxCalls` native calls are out at once; jobs past that wait here and go out, in batches again, as calls
 * come back. (On 2× H200 with 8 streams a GPU, 128 pipelines in flight ran 16 calls at once, 8 a GPU, and made
 * 6,142 images/s; with 4 calls a GPU, 12,764.)
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
  #calls = 0;

  constructor(
    readonly runBatch: BatchRunner<Input, Output>,
    readonly maxBatch: number,
    readonly maxCalls = Infinity,
  ) {}

  /** Native calls out now. */
  get calls(): number {
    return this.#calls;
  }

  /** Queues one job; settles with its own result (or its own error) when its batch is back. */
  add(key: string, input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#queue.push({ key, input, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  /** Sends batches while calls are free: the oldest job's key first, up to maxBatch of its jobs in order. */
  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0 && this.#calls < this.maxCalls) {
      const key = this.#queue[0]!.key;
      const batch: BatchJob<Input, Output>[] = [];
      const rest: BatchJob<Input, Output>[] = [];
      for (const job of this.#queue) {
        if (job.key === key && batch.length < this.maxBatch) batch.push(job);
        else rest.push(job);
      }
      this.#queue = rest;
      void this.#send(batch);
    }
  }

  async #send(jobs: BatchJob<Input, Output>[]): Promise<void> {
    let results: (Output | Error)[];
    this.#calls++;
    try {
      results = await this.runBatch(jobs.map((job) => job.input));
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    } finally {
      // A call came back: what waited goes out at the next turn, with the jobs its results start.
      this.#calls--;
      this.#schedule();
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
