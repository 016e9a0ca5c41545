import type { EncodeOptions } from '@jpegkit/core';
import type { EnvironmentReport } from '../shared/backend-report.js';
import type { EditStep } from './edit-steps.js';

/** How long one piece of work took, and where it ran. */
export interface Timing {
  label: string;
  ms: number;
  backend: string;
}

/** What the page needs after every change: the picture (display-sized) and the state of the edit history. */
export interface EditorView {
  /** Size of the edited image in pixels (the bitmap may be smaller: it is sized for the screen). */
  width: number;
  height: number;
  bitmap: ImageBitmap;
  steps: string[];
  canUndo: boolean;
  canRedo: boolean;
  timings: Timing[];
  backend: string;
}

export interface OpenedImage extends EditorView {
  facts: [string, string][];
}

export interface ExportResult {
  jpeg: Uint8Array;
  width: number;
  height: number;
  timing: Timing;
}

export type ExportOptions = Pick<
  EncodeOptions,
  'quality' | 'subsampling' | 'progressive' | 'restartInterval'
>;

/** The editor worker's methods (see editor-worker.ts). */
export type EditorApi = {
  backends(args: undefined): Promise<EnvironmentReport>;
  open(args: { bytes: Uint8Array; backend: string }): Promise<OpenedImage>;
  apply(args: { step: EditStep }): Promise<EditorView>;
  undo(args: undefined): Promise<EditorView>;
  redo(args: undefined): Promise<EditorView>;
  useBackend(args: { backend: string }): Promise<EditorView | undefined>;
  export(args: ExportOptions): Promise<ExportResult>;
};
