import { describe, expect, it } from 'vitest';
import { checkInteger, checkOneOf, invalidArgument } from './args.js';
import { ERROR_CODES, JpegError, isJpegError } from './errors.js';

describe('JpegError', () => {
  it('carries code, backend and cause, and prints as CODE: message', () => {
    const cause = new Error('nvjpegDecode returned 6');
    const e = new JpegError('E_CORRUPT', 'bad Huffman table', { backend: 'cuda', cause });
    expect([e.code, e.backend, e.cause, String(e), e.name]).toEqual([
      'E_CORRUPT',
      'cuda',
      cause,
      'E_CORRUPT: bad Huffman table',
      'JpegError',
    ]);
    expect(e).toBeInstanceOf(Error);
  });

  it('recognises JpegErrors from other copies of the package by shape', () => {
    expect(isJpegError({ name: 'JpegError', code: 'E_TRUNCATED', message: 'x' })).toBe(true);
    expect(isJpegError({ name: 'JpegError', code: 'E_NOPE' })).toBe(false);
    expect(isJpegError(new Error('x'))).toBe(false);
  });

  it('has the stable codes of the architecture', () => {
    expect(ERROR_CODES).toEqual([
      'E_CORRUPT',
      'E_TRUNCATED',
      'E_UNSUPPORTED',
      'E_TOO_LARGE',
      'E_INVALID_ARGUMENT',
      'E_NO_BACKEND',
      'E_BACKEND_INIT',
      'E_DEVICE_LOST',
      'E_OUT_OF_MEMORY',
    ]);
  });
});

describe('argument checks', () => {
  it('say what was expected, for what, and what was received', () => {
    expect(() => checkInteger(88.2, 'quality', 1, 100)).toThrow(
      'Expected integer between 1 and 100 for quality but received 88.2',
    );
    expect(() => checkInteger('90', 'quality', 1, 100)).toThrow(
      'Expected integer between 1 and 100 for quality but received "90"',
    );
    expect(() => checkOneOf('lanczos', 'filter', ['lanczos3', 'box'])).toThrow(
      'Expected one of "lanczos3", "box" for filter but received "lanczos"',
    );
    expect(invalidArgument('object', 'options', null).code).toBe('E_INVALID_ARGUMENT');
  });
});
