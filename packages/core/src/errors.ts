/**
 * The stable error codes every jpegkit failure carries. Callers branch on `code`, never on the message.
 */
export const ERROR_CODES = [
  'E_CORRUPT',
  'E_TRUNCATED',
  'E_UNSUPPORTED',
  'E_TOO_LARGE',
  'E_INVALID_ARGUMENT',
  'E_NO_BACKEND',
  'E_BACKEND_INIT',
  'E_DEVICE_LOST',
  'E_OUT_OF_MEMORY',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface JpegErrorOptions {
  /** The backend that raised the error, when one did. */
  backend?: string;
  /** The underlying error (a backend's native error, the reasons of every skipped backend, …). */
  cause?: unknown;
}

/**
 * The one error type jpegkit rejects with.
 *
 * @example
 * ```ts
 * try { await codec.decode(bytes); }
 * catch (e) { if (e instanceof JpegError && e.code === 'E_TRUNCATED') retryDownload(); }
 * ```
 */
export class JpegError extends Error {
  readonly code: ErrorCode;
  readonly backend: string | undefined;

  constructor(code: ErrorCode, message: string, options: JpegErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JpegError';
    this.code = code;
    this.backend = options.backend;
  }

  /** `E_CODE: message`, the form the CLI prints on one stderr line. */
  override toString(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** True for a JpegError, also one made by another copy of this package (duck-typed on name and code). */
export function isJpegError(value: unknown): value is JpegError {
  if (value instanceof JpegError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown };
  return (
    v.name === 'JpegError' &&
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code)
  );
}
