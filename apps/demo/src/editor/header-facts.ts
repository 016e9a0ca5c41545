import type { JpegHeader } from '@jpegkit/core';
import { formatBytes } from '../shared/format.js';

/** Header facts worth showing, as label/value rows (plain strings, so they can cross to the page). */
export function headerFacts(header: JpegHeader, byteLength: number): [string, string][] {
  const upright = header.orientation >= 5;
  const rows: [string, string][] = [
    ['size', `${header.width} × ${header.height} (${((header.width * header.height) / 1e6).toFixed(2)} MP)`],
    ['file', formatBytes(byteLength)],
    ['colour', `${header.colorSpace}, ${header.components.length} components, ${header.precision}-bit`],
    ['subsampling', header.subsampling],
    ['process', `${header.process}${header.arithmetic ? ', arithmetic coding' : ', Huffman coding'}`],
    ['progressive', header.progressive ? `yes (${header.scans.length} scans)` : 'no'],
    ['restart interval', header.restartInterval === 0 ? 'none' : `${header.restartInterval} MCUs`],
    [
      'orientation',
      header.orientation === 1
        ? '1 (as stored)'
        : `${header.orientation} (shown upright${upright ? `: ${header.height} × ${header.width}` : ''})`,
    ],
    ['ICC profile', header.icc ? `${formatBytes(header.icc.length)} (kept on export)` : 'none'],
  ];
  if (header.exif) rows.push(['EXIF', formatBytes(header.exif.length)]);
  if (header.comments.length > 0) rows.push(['comments', header.comments.join(' · ')]);
  return rows;
}
