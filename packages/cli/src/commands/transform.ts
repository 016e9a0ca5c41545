import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { TransformOptions } from '@jpegkit/core';
import { choiceOption, codecFor, intOption } from '../codec-option.js';
import { EXIT_OK, UsageError } from '../io.js';
import type { Io } from '../io.js';

export const transformUsage =
  'jpegkit transform IN -o OUT [--rotate 90|180|270] [--flip] [--flop] [--transpose] [--crop WxH+X+Y] [--gray] [--restart N] [--progressive|--baseline] [--optimize] [--strip] [--backend B]';

/** Parses jpegtran's crop syntax, WxH+X+Y. */
function parseCrop(value: string | undefined): TransformOptions['crop'] {
  if (value === undefined) return undefined;
  const m = /^(\d+)x(\d+)\+(\d+)\+(\d+)$/.exec(value);
  if (!m) throw new UsageError(`Expected WxH+X+Y for --crop but received "${value}"`);
  const [width, height, x, y] = m.slice(1).map(Number) as [number, number, number, number];
  return { x, y, width, height };
}

export async function runTransform(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      backend: { type: 'string' },
      rotate: { type: 'string' },
      flip: { type: 'boolean', default: false },
      flop: { type: 'boolean', default: false },
      transpose: { type: 'boolean', default: false },
      crop: { type: 'string' },
      gray: { type: 'boolean', default: false },
      restart: { type: 'string' },
      progressive: { type: 'boolean', default: false },
      baseline: { type: 'boolean', default: false },
      optimize: { type: 'boolean', default: false },
      strip: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || !values.output)
    throw new UsageError(`expected one input and -o (usage: ${transformUsage})`);
  if (values.progressive && values.baseline)
    throw new UsageError('Expected one of --progressive or --baseline, not both');
  const options: TransformOptions = {
    gray: values.gray,
    optimize: values.optimize,
    metadata: values.strip ? 'none' : 'all',
  };
  const rotate = choiceOption(values.rotate, 'rotate', ['90', '180', '270'] as const);
  if (rotate) options.rotate = Number(rotate) as 90 | 180 | 270;
  if (values.flip) options.flip = 'vertical';
  if (values.flop) options.flip = 'horizontal';
  if (values.transpose) options.transpose = true;
  const crop = parseCrop(values.crop);
  if (crop) options.crop = crop;
  const restart = intOption(values.restart, 'restart', 0, 65535);
  if (restart !== undefined) options.restartInterval = restart;
  if (values.progressive) options.progressive = true;
  if (values.baseline) options.progressive = false;
  const bytes = new Uint8Array(await readFile(positionals[0]!));
  const codec = await codecFor(values.backend);
  try {
    const jpeg = await codec.transform(bytes, options);
    await writeFile(values.output, jpeg);
    io.stderr(`${positionals[0]} → ${values.output}: ${jpeg.length} bytes (${codec.backend})`);
    return EXIT_OK;
  } finally {
    await codec.dispose();
  }
}
