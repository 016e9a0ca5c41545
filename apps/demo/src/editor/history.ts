import type { EditStep } from './edit-steps.js';

/** The edits applied so far and the ones undone since (redo replays them until a new edit is made). */
export class EditHistory {
  #done: EditStep[] = [];
  #undone: EditStep[] = [];

  /** The edits that make up the current image, oldest first. */
  get steps(): readonly EditStep[] {
    return this.#done;
  }

  get canUndo(): boolean {
    return this.#done.length > 0;
  }

  get canRedo(): boolean {
    return this.#undone.length > 0;
  }

  /** Records a new edit; anything undone before it can no longer be redone. */
  push(step: EditStep): void {
    this.#done.push(step);
    this.#undone = [];
  }

  /** Takes back the last edit and returns it. */
  undo(): EditStep | undefined {
    const step = this.#done.pop();
    if (step) this.#undone.push(step);
    return step;
  }

  /** Re-applies the most recently undone edit and returns it. */
  redo(): EditStep | undefined {
    const step = this.#undone.pop();
    if (step) this.#done.push(step);
    return step;
  }

  clear(): void {
    this.#done = [];
    this.#undone = [];
  }
}
