import { describe, expect, it } from 'vitest';
import { clampRect, rectBetween } from './crop-box.js';

describe('rectBetween', () => {
  it('spans two points in any drag direction, outward to whole pixels', () => {
    expect(rectBetween({ x: 10.4, y: 20.6 }, { x: 50.2, y: 60.1 }, 100, 80)).toEqual({
      x: 10,
      y: 20,
      width: 41,
      height: 41,
    });
    expect(rectBetween({ x: 50.2, y: 60.1 }, { x: 10.4, y: 20.6 }, 100, 80)).toEqual({
      x: 10,
      y: 20,
      width: 41,
      height: 41,
    });
  });

  it('stays inside the image when the drag leaves it', () => {
    expect(rectBetween({ x: -30, y: -5 }, { x: 130, y: 95 }, 100, 80)).toEqual({
      x: 0,
      y: 0,
      width: 100,
      height: 80,
    });
  });

  it('is at least one pixel for a click without a drag, even on the last row and column', () => {
    expect(rectBetween({ x: 100, y: 80 }, { x: 100, y: 80 }, 100, 80)).toEqual({
      x: 99,
      y: 79,
      width: 1,
      height: 1,
    });
  });
});

describe('clampRect', () => {
  it('rounds typed values and keeps the box inside the image', () => {
    expect(clampRect({ x: 10.6, y: -3, width: 500, height: 0 }, 100, 80)).toEqual({
      x: 11,
      y: 0,
      width: 89,
      height: 1,
    });
  });

  it('treats values that are not numbers as 0', () => {
    expect(clampRect({ x: NaN, y: 5, width: NaN, height: 10 }, 100, 80)).toEqual({
      x: 0,
      y: 5,
      width: 1,
      height: 10,
    });
  });
});
