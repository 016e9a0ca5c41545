import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, createHostImage } from '@jpegkit/core';
import type { Codec } from '@jpegkit/core';
import '@jpegkit/wasm';
import { addEditStep, describeEditStep } from './edit-steps.js';
import type { EditStep } from './edit-steps.js';

let codec: Codec;
beforeAll(async () => {
  codec = await createCodec({ backends: ['wasm'], strict: true, init: { threads: 0 } });
});
afterAll(() => codec.dispose());

const edits: EditStep[] = [
  { op: 'crop', x: 2, y: 3, width: 40, height: 30 },
  { op: 'rotate', angle: 270 },
  { op: 'flip' },
  { op: 'flop' },
  { op: 'resize', height: 20, fit: 'inside', filter: 'mitchell', linear: true },
  { op: 'sharpen', sigma: 1.5 },
  { op: 'adjust', brightness: -0.1, contrast: 1.2 },
];

describe('edit steps', () => {
  it('become the pipeline steps core resolves, in order', () => {
    const pipeline = codec.pipeline(createHostImage(64, 48, 'rgb'));
    for (const edit of edits) addEditStep(pipeline, edit);
    expect(pipeline.steps).toEqual([
      { op: 'crop', x: 2, y: 3, width: 40, height: 30 },
      { op: 'rotate', angle: 270 },
      { op: 'flip' },
      { op: 'flop' },
      {
        op: 'resize',
        width: 0,
        height: 20,
        fit: 'inside',
        filter: 'mitchell',
        linear: true,
        background: [0, 0, 0, 255],
      },
      { op: 'sharpen', sigma: 1.5, amount: 1, threshold: 0 },
      { op: 'adjust', brightness: -0.1, contrast: 1.2 },
    ]);
  });

  it('run on the backend to the size the edits imply', async () => {
    const pipeline = codec.pipeline(createHostImage(64, 48, 'rgb'));
    for (const edit of edits) addEditStep(pipeline, edit);
    const result = await pipeline.toImage();
    // crop 40×30 → rotate 270 → 30×40 → inside height 20 → 15×20
    expect([result.width, result.height]).toEqual([15, 20]);
  });

  it('have short labels for the history and timings', () => {
    expect(edits.map(describeEditStep)).toEqual([
      'crop 40×30 at (2, 3)',
      'rotate 270°',
      'flip (top ↔ bottom)',
      'flop (left ↔ right)',
      'resize auto×20 inside, mitchell, linear light',
      'sharpen σ 1.5',
      'brightness -0.1, contrast ×1.2',
    ]);
  });

  it('are checked by the pipeline: a bad one throws E_INVALID_ARGUMENT at once', () => {
    const pipeline = codec.pipeline(createHostImage(8, 8, 'rgb'));
    expect(() => addEditStep(pipeline, { op: 'sharpen', sigma: 50 })).toThrow(
      /Expected .* for sigma but received 50/,
    );
  });
});
