import type { ErrorCode } from '@jpegkit/core';

/** A failure reported by the C codec; `code` is one of @jpegkit/core's error codes. */
export class WasmCodecError extends Error {
  override readonly name = 'WasmCodecError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
