import { describe, expect, it } from 'vitest';
import { PipelineBatcher } from './pipeline-batcher.js';

describe('PipelineBatcher', () => {
  it('sends calls made together as one batch per key, in chunks, with results and failures in place', async () => {
    const calls: number[][] = [];
    const batcher = new PipelineBatcher<number, number>(async (inputs) => {
      calls.push(inputs);
      return inputs.map((n) => (n === 13 ? new Error(`bad ${n}`) : n * 10));
    }, 3);
    const settled = await Promise.allSettled([
      batcher.add('a', 1),
      batcher.add('b', 2),
      batcher.add('a', 3),
      batcher.add('a', 13),
      batcher.add('a', 5),
    ]);
    expect(calls).toEqual([[1, 3, 13], [5], [2]]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      10,
      20,
      30,
      'bad 13',
      50,
    ]);
  });

  it('sends a lone call alone, and later calls in a new batch', async () => {
    const calls: number[][] = [];
    const batcher = new PipelineBatcher<number, number>(async (inputs) => {
      calls.push(inputs);
      return inputs;
    }, 8);
    expect(await batcher.add('k', 7)).toBe(7);
    expect(await batcher.add('k', 8)).toBe(8);
    expect(calls).toEqual([[7], [8]]);
  });

  it('rejects every job of a batch whose native call throws, and keeps working', async () => {
    let fail = true;
    const batcher = new PipelineBatcher<number, number>(async (inputs) => {
      if (fail) throw new Error('device lost');
      return inputs;
    }, 4);
    const first = await Promise.allSettled([batcher.add('k', 1), batcher.add('k', 2)]);
    expect(first.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.add('k', 3)).toBe(3);
  });

  it('rejects the jobs a short answer leaves without a result', async () => {
    const batcher = new PipelineBatcher<number, number>(async (inputs) => inputs.slice(0, 1), 4);
    const settled = await Promise.allSettled([batcher.add('k', 1), batcher.add('k', 2)]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(settled[1]!.status).toBe('rejected');
  });
});
