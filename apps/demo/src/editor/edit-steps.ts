import type { FitMode, Pipeline, ResizeFilter } from '@jpegkit/core';

/** One edit the user made, in the units of the image it applies to (pixels of the image before the edit). */
export type EditStep =
  | { op: 'crop'; x: number; y: number; width: number; height: number }
  | { op: 'rotate'; angle: 90 | 180 | 270 }
  | { op: 'flip' }
  | { op: 'flop' }
  | { op: 'resize'; width?: number; height?: number; fit: FitMode; filter: ResizeFilter; linear: boolean }
  | { op: 'sharpen'; sigma: number }
  | { op: 'adjust'; brightness: number; contrast: number };

/** Adds an edit to a jpegkit pipeline (the pipeline checks the arguments and throws on bad ones). */
export function addEditStep(pipeline: Pipeline, step: EditStep): Pipeline {
  switch (step.op) {
    case 'crop':
      return pipeline.crop({ x: step.x, y: step.y, width: step.width, height: step.height });
    case 'rotate':
      return pipeline.rotate(step.angle);
    case 'flip':
      return pipeline.flip();
    case 'flop':
      return pipeline.flop();
    case 'resize': {
      const options: Parameters<Pipeline['resize']>[0] = {
        fit: step.fit,
        filter: step.filter,
        linear: step.linear,
      };
      if (step.width !== undefined) options.width = step.width;
      if (step.height !== undefined) options.height = step.height;
      return pipeline.resize(options);
    }
    case 'sharpen':
      return pipeline.sharpen({ sigma: step.sigma });
    case 'adjust':
      return pipeline.adjust({ brightness: step.brightness, contrast: step.contrast });
  }
}

/** A short label for the history list and the timings log. */
export function describeEditStep(step: EditStep): string {
  switch (step.op) {
    case 'crop':
      return `crop ${step.width}×${step.height} at (${step.x}, ${step.y})`;
    case 'rotate':
      return `rotate ${step.angle}°`;
    case 'flip':
      return 'flip (top ↔ bottom)';
    case 'flop':
      return 'flop (left ↔ right)';
    case 'resize': {
      const box = `${step.width ?? 'auto'}×${step.height ?? 'auto'}`;
      return `resize ${box} ${step.fit}, ${step.filter}${step.linear ? ', linear light' : ''}`;
    }
    case 'sharpen':
      return `sharpen σ ${step.sigma}`;
    case 'adjust':
      return `brightness ${step.brightness >= 0 ? '+' : ''}${step.brightness}, contrast ×${step.contrast}`;
  }
}
