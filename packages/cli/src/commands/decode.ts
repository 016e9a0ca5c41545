import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isDeviceImage, writePnm } from '@jpegkit/core';
import { choiceOption, codecFor } from '../codec-option.js';
import { EXIT_OK, UsageError } from '../io.js';
import type { Io } from '../io.js';

export const decodeUsage =
  'jpegkit decode IN -o OUT.pnm [--backend B] [--format rgb|gray] [--scale 1/2] [--orient]';

const SCALES = { '1': 1, '1/1': 1, '1/2': 0.5, '1/4': 0.25, '1/8': 0.125 } as const;

export async function runDecode(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      backend: { type: 'string' },
      format: { type: 'string' },
      scale: { type: 'string' },
      orient: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || !values.output)
    throw new UsageError(`expected one input and -o (usage: ${decodeUsage})`);
  const format = choiceOption(values.format, 'format', ['rgb', 'gray'] as const) ?? 'rgb';
  const scaleKey = choiceOption(values.scale, 'scale', Object.keys(SCALES) as (keyof typeof SCALES)[]) ?? '1';
  const bytes = new Uint8Array(await readFile(positionals[0]!));
  const codec = await codecFor(values.backend);
  try {
    const result = await codec.decode(bytes, { format, scale: SCALES[scaleKey], orient: values.orient });
    const img = isDeviceImage(result) ? await result.download() : result;
    await writeFile(values.output, writePnm(img));
    io.stderr(
      `${positionals[0]} → ${values.output}: ${img.width}×${img.height} ${img.format} (${img.backend ?? codec.backend})`,
    );
    return EXIT_OK;
  } finally {
    await codec.dispose();
  }
}
