import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { inspect } from '@jpegkit/core';
import type { JpegHeader } from '@jpegkit/core';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, errorLine } from '../io.js';
import type { Io } from '../io.js';

export const inspectUsage = 'jpegkit inspect FILE... [--json]';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The header as plain JSON: binary blocks become their length and hash. */
export function headerJson(file: string, h: JpegHeader): Record<string, unknown> {
  const exifOrder = h.exif && h.exif.length >= 2 ? String.fromCharCode(h.exif[0]!, h.exif[1]!) : undefined;
  return {
    file,
    width: h.width,
    height: h.height,
    precision: h.precision,
    components: h.components,
    subsampling: h.subsampling,
    colorSpace: h.colorSpace,
    process: h.process,
    progressive: h.progressive,
    lossless: h.lossless,
    arithmetic: h.arithmetic,
    restartInterval: h.restartInterval,
    orientation: h.orientation,
    icc: h.icc ? { length: h.icc.length, sha256: sha256(h.icc) } : null,
    exif: h.exif
      ? { length: h.exif.length, byteOrder: exifOrder === 'II' || exifOrder === 'MM' ? exifOrder : null }
      : null,
    xmp: h.xmp !== undefined,
    jfif: h.jfif ?? null,
    adobeTransform: h.adobeTransform ?? null,
    comments: h.comments,
    mcu: { width: h.mcuWidth, height: h.mcuHeight },
    scans: h.scans.map((s) => ({
      components: s.components,
      ss: s.ss,
      se: s.se,
      ah: s.ah,
      al: s.al,
      offset: s.dataStart,
      length: s.dataEnd - s.dataStart,
      restartMarkers: s.restartMarkers,
    })),
    truncated: h.truncated,
    byteLength: h.byteLength,
  };
}

/** One human-readable line per file. */
export function headerLine(file: string, h: JpegHeader): string {
  const parts = [
    `${h.width}×${h.height}`,
    `${h.precision}-bit`,
    h.colorSpace,
    h.subsampling,
    h.process + (h.arithmetic ? ' (arithmetic)' : ''),
    `${h.scans.length} scan${h.scans.length === 1 ? '' : 's'}`,
  ];
  if (h.restartInterval) parts.push(`restart every ${h.restartInterval} MCUs`);
  if (h.orientation !== 1) parts.push(`orientation ${h.orientation}`);
  if (h.icc) parts.push(`ICC ${h.icc.length} bytes`);
  if (h.exif) parts.push(`EXIF ${h.exif.length} bytes`);
  if (h.truncated) parts.push('TRUNCATED');
  return `${file}: ${parts.join(', ')}`;
}

export async function runInspect(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError(`no input file (usage: ${inspectUsage})`);
  let status = EXIT_OK;
  for (const file of positionals) {
    try {
      const header = inspect(new Uint8Array(await readFile(file)));
      io.stdout(values.json ? JSON.stringify(headerJson(file, header)) : headerLine(file, header));
    } catch (error) {
      io.stderr(errorLine(error, file));
      status = EXIT_BAD_INPUT;
    }
  }
  return status;
}
