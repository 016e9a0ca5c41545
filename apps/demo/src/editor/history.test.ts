import { describe, expect, it } from 'vitest';
import type { EditStep } from './edit-steps.js';
import { EditHistory } from './history.js';

const rotate: EditStep = { op: 'rotate', angle: 90 };
const flip: EditStep = { op: 'flip' };
const sharpen: EditStep = { op: 'sharpen', sigma: 1 };

describe('EditHistory', () => {
  it('undoes and redoes in order', () => {
    const history = new EditHistory();
    history.push(rotate);
    history.push(flip);
    expect(history.undo()).toBe(flip);
    expect(history.steps).toEqual([rotate]);
    expect([history.canUndo, history.canRedo]).toEqual([true, true]);
    expect(history.redo()).toBe(flip);
    expect(history.steps).toEqual([rotate, flip]);
    expect(history.canRedo).toBe(false);
  });

  it('forgets undone edits once a new edit is made', () => {
    const history = new EditHistory();
    history.push(rotate);
    history.push(flip);
    history.undo();
    history.push(sharpen);
    expect(history.steps).toEqual([rotate, sharpen]);
    expect(history.redo()).toBeUndefined();
  });

  it('has nothing to undo or redo when empty or cleared', () => {
    const history = new EditHistory();
    expect(history.undo()).toBeUndefined();
    history.push(rotate);
    history.clear();
    expect([history.steps.length, history.canUndo, history.canRedo]).toEqual([0, false, false]);
  });
});
