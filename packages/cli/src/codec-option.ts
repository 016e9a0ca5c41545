import { createCodec, KNOWN_BACKENDS } from '@jpegkit/core';
import type { Codec } from '@jpegkit/core';
import { UsageError } from './io.js';

/** Creates the codec a command asked for: `--backend B` forces one (an error names why it is unavailable). */
export async function codecFor(backend: string | undefined): Promise<Codec> {
  if (backend === undefined) return createCodec();
  if (!(KNOWN_BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(
      `Expected one of ${KNOWN_BACKENDS.join(', ')} for --backend but received "${backend}"`,
    );
  }
  return createCodec({ backends: [backend], strict: true });
}

/** Parses a numeric option, or throws a usage error in the house style. */
function numeric(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = integer ? /^-?\d+$/.test(value) : value.trim() !== '' && Number.isFinite(n);
  if (!ok || n < min || n > max) {
    throw new UsageError(
      `Expected ${integer ? 'integer' : 'number'} between ${min} and ${max} for --${name} but received "${value}"`,
    );
  }
  return n;
}

export function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  return numeric(value, name, min, max, true);
}

export function numberOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  return numeric(value, name, min, max, false);
}

export function choiceOption<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Expected one of ${allowed.join(', ')} for --${name} but received "${value}"`);
  }
  return value as T;
}
