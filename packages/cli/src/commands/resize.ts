import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { FIT_MODES, RESIZE_FILTERS } from '@jpegkit/core';
import { choiceOption, codecFor, intOption, numberOption } from '../codec-option.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, errorLine } from '../io.js';
import type { Io } from '../io.js';

export const resizeUsage =
  'jpegkit resize IN... -o OUT --width W [--height H] [--fit F] [--filter F] [--sharpen S] [--quality Q] [--backend B]';

const JPEG_NAME = /\.(jpe?g|jfif)$/i;

/** Expands folders into the JPEG files inside them (not recursive), in name order. */
async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if ((await stat(input)).isDirectory()) {
      const names = (await readdir(input)).filter((n) => JPEG_NAME.test(n)).sort();
      files.push(...names.map((n) => join(input, n)));
    } else {
      files.push(input);
    }
  }
  return files;
}

function progress(io: Io, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
  void io;
}

export async function runResize(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      width: { type: 'string' },
      height: { type: 'string' },
      fit: { type: 'string' },
      filter: { type: 'string' },
      sharpen: { type: 'string' },
      quality: { type: 'string' },
      backend: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0 || !values.output)
    throw new UsageError(`expected inputs and -o (usage: ${resizeUsage})`);
  const width = intOption(values.width, 'width', 1, 65535);
  const height = intOption(values.height, 'height', 1, 65535);
  if (width === undefined && height === undefined) throw new UsageError('Expected --width, --height or both');
  const fit = choiceOption(values.fit, 'fit', FIT_MODES) ?? 'cover';
  const filter = choiceOption(values.filter, 'filter', RESIZE_FILTERS) ?? 'lanczos3';
  const sigma = numberOption(values.sharpen, 'sharpen', 0.3, 10);
  const quality = intOption(values.quality, 'quality', 1, 100) ?? 85;
  const files = await expandInputs(positionals);
  const toFolder = files.length > 1 || (await stat(positionals[0]!)).isDirectory();
  if (toFolder) await mkdir(values.output, { recursive: true });

  const codec = await codecFor(values.backend);
  let failed = 0;
  let pixels = 0;
  const started = performance.now();
  try {
    for (const [i, file] of files.entries()) {
      try {
        let pipeline = codec
          .pipeline(new Uint8Array(await readFile(file)))
          .resize({ width, height, fit, filter });
        if (sigma !== undefined) pipeline = pipeline.sharpen({ sigma });
        const jpeg = await pipeline.toJpeg({ quality });
        await writeFile(toFolder ? join(values.output, basename(file)) : values.output, jpeg);
        pixels += (width ?? 0) * (height ?? 0);
      } catch (error) {
        failed++;
        io.stderr(errorLine(error, file));
      }
      progress(io, i + 1, files.length);
    }
  } finally {
    await codec.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const done = files.length - failed;
  io.stdout(
    `resized ${done} of ${files.length} images in ${seconds.toFixed(2)} s (${(done / Math.max(seconds, 1e-9)).toFixed(1)} images/s) on ${codec.backend}${failed ? `, ${failed} failed` : ''}`,
  );
  void pixels;
  return failed ? EXIT_BAD_INPUT : EXIT_OK;
}
