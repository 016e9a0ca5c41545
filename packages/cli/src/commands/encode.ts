import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readPnm } from '@jpegkit/core';
import { choiceOption, codecFor, intOption } from '../codec-option.js';
import { EXIT_OK, UsageError } from '../io.js';
import type { Io } from '../io.js';

export const encodeUsage =
  'jpegkit encode IN.pnm -o OUT.jpg [--quality Q] [--subsampling 444|422|420|440|411|gray] [--progressive] [--optimize] [--arithmetic] [--restart N] [--backend B]';

const SUBSAMPLING = {
  '444': '4:4:4',
  '422': '4:2:2',
  '420': '4:2:0',
  '440': '4:4:0',
  '411': '4:1:1',
  gray: 'gray',
} as const;

export async function runEncode(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      backend: { type: 'string' },
      quality: { type: 'string' },
      subsampling: { type: 'string' },
      progressive: { type: 'boolean', default: false },
      optimize: { type: 'boolean', default: false },
      arithmetic: { type: 'boolean', default: false },
      restart: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || !values.output)
    throw new UsageError(`expected one input and -o (usage: ${encodeUsage})`);
  const quality = intOption(values.quality, 'quality', 1, 100) ?? 90;
  const key =
    choiceOption(
      values.subsampling,
      'subsampling',
      Object.keys(SUBSAMPLING) as (keyof typeof SUBSAMPLING)[],
    ) ?? '420';
  const restartInterval = intOption(values.restart, 'restart', 0, 65535) ?? 0;
  const image = readPnm(new Uint8Array(await readFile(positionals[0]!)));
  const codec = await codecFor(values.backend);
  try {
    const jpeg = await codec.encode(image, {
      quality,
      subsampling: SUBSAMPLING[key],
      progressive: values.progressive,
      optimize: values.optimize,
      arithmetic: values.arithmetic,
      restartInterval,
    });
    await writeFile(values.output, jpeg);
    io.stderr(`${positionals[0]} → ${values.output}: ${jpeg.length} bytes (${codec.backend})`);
    return EXIT_OK;
  } finally {
    await codec.dispose();
  }
}
