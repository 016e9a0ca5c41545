import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createHostImage } from '../image.js';
import { orientImage } from './orient.js';
import type { HostImage, Orientation } from '../image.js';

/** The upright picture every case must end up as:
 *   1 2 3
 *   4 5 6 */
const UPRIGHT = [1, 2, 3, 4, 5, 6];

/** How each orientation stores that picture (written out by hand: the inverse of the display transform). */
const STORED: Record<Orientation, { width: number; height: number; data: number[] }> = {
  1: { width: 3, height: 2, data: [1, 2, 3, 4, 5, 6] },
  2: { width: 3, height: 2, data: [3, 2, 1, 6, 5, 4] }, // mirrored
  3: { width: 3, height: 2, data: [6, 5, 4, 3, 2, 1] }, // upside down
  4: { width: 3, height: 2, data: [4, 5, 6, 1, 2, 3] }, // mirrored top–bottom
  5: { width: 2, height: 3, data: [1, 4, 2, 5, 3, 6] }, // transposed
  6: { width: 2, height: 3, data: [3, 6, 2, 5, 1, 4] }, // turned anticlockwise: needs 90° clockwise
  7: { width: 2, height: 3, data: [6, 3, 5, 2, 4, 1] }, // transversed
  8: { width: 2, height: 3, data: [4, 1, 5, 2, 6, 3] }, // turned clockwise: needs 270° clockwise
};

describe('orientImage', () => {
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
    it(`orientation ${n} comes out upright, 3×2, orientation 1`, () => {
      const s = STORED[n];
      const stored = createHostImage(s.width, s.height, 'gray', {
        data: Uint8Array.from(s.data),
        orientation: n,
      });
      const out = orientImage(stored, n);
      expect([out.width, out.height, out.orientation]).toEqual([3, 2, 1]);
      expect(Array.from(out.data)).toEqual(UPRIGHT);
      expect(stored.orientation).toBe(n); // the input is left alone
      expect(Array.from(stored.data)).toEqual(s.data);
    });
  }

  it('rejects orientations outside 1–8', () => {
    const img = createHostImage(1, 1, 'gray');
    expect(() => orientImage(img, 9 as never)).toThrow(
      'Expected integer between 1 and 8 for orientation but received 9',
    );
  });

  it('matches sharp’s auto-orientation on the EXIF fixtures, pixel for pixel', async () => {
    const dir = fileURLToPath(new URL('../../../../fixtures/jpeg/', import.meta.url));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
      const bytes = readFileSync(`${dir}orient-${n}-ii.jpg`);
      const raw = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      const stored: HostImage = createHostImage(raw.info.width, raw.info.height, 'rgb', {
        data: new Uint8Array(raw.data),
        orientation: n,
      });
      const upright = await sharp(bytes).rotate().raw().toBuffer({ resolveWithObject: true });
      const out = orientImage(stored, n);
      expect([out.width, out.height]).toEqual([upright.info.width, upright.info.height]);
      expect(Buffer.from(out.data).equals(upright.data)).toBe(true);
    }
  });
});
