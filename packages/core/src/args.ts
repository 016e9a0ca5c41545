import { JpegError } from './errors.js';

/** Formats a received value for an argument message: strings quoted, objects by their type. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * The error an argument check throws synchronously:
 * `Expected integer between 1 and 100 for quality but received 88.2`.
 */
export function invalidArgument(expected: string, name: string, received: unknown): JpegError {
  return new JpegError(
    'E_INVALID_ARGUMENT',
    `Expected ${expected} for ${name} but received ${describe(received)}`,
  );
}

export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`integer between ${min} and ${max}`, name, value);
  }
  return value;
}

export function checkNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidArgument(`number between ${min} and ${max}`, name, value);
  }
  return value;
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument('boolean', name, value);
  return value;
}

export function checkOneOf<T extends string | number>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw invalidArgument(`one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, name, value);
  }
  return value as T;
}

export function checkBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalidArgument('Uint8Array (or Buffer)', name, value);
  return value;
}

export function checkObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument('object', name, value);
  }
  return value as Record<string, unknown>;
}
