import { isJpegError } from '@jpegkit/core';

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  stdout(line: string): void;
  stderr(line: string): void;
}

export const processIo: Io = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes of the CLI contract. */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 2;

/** A usage problem: printed as an E_INVALID_ARGUMENT line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The one stderr line for a failure: it starts with the error code, never a stack trace. */
export function errorLine(error: unknown, context?: string): string {
  const where = context ? `${context}: ` : '';
  if (isJpegError(error)) {
    const backend = error.backend ? ` [${error.backend}]` : '';
    return `${error.code}: ${where}${error.message}${backend}`;
  }
  if (error instanceof UsageError) return `E_INVALID_ARGUMENT: ${where}${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `E_INVALID_ARGUMENT: ${where}no such file`;
  if (code === 'EISDIR') return `E_INVALID_ARGUMENT: ${where}is a directory`;
  if (code === 'EACCES') return `E_INVALID_ARGUMENT: ${where}permission denied`;
  const message = error instanceof Error ? error.message : String(error);
  return `E_INVALID_ARGUMENT: ${where}${message.split('\n')[0]}`;
}
