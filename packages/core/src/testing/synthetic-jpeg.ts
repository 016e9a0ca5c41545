/**
 * Builds small JPEG byte streams whose headers are valid (SOI, JFIF, DQT, SOF, DHT, SOS, a few entropy bytes,
 * EOI) for tests of code that reads headers — registries, routing, limits. The entropy data is filler:
 * these files are not meant to be decoded to pixels.
 */
export interface SyntheticJpegOptions {
  width: number;
  height: number;
  /** SOF marker low byte: 0xC0 baseline (default), 0xC2 progressive, 0xC9 arithmetic … */
  sof?: number;
  /** Sampling factors per component as [h, v]; default 4:2:0 YCbCr. */
  sampling?: [number, number][];
  restartInterval?: number;
  /** EXIF orientation to write in an APP1 segment. */
  orientation?: number;
}

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

export function syntheticJpeg(options: SyntheticJpegOptions): Uint8Array {
  const sampling = options.sampling ?? [
    [2, 2],
    [1, 1],
    [1, 1],
  ];
  const bytes: number[] = [0xff, 0xd8];
  bytes.push(...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  if (options.orientation !== undefined) {
    const tiff = [
      0x4d,
      0x4d,
      0,
      42,
      0,
      0,
      0,
      8,
      0,
      1,
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      options.orientation,
      0,
      0,
      0,
      0,
      0,
      0,
    ];
    bytes.push(...segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff]));
  }
  bytes.push(...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]));
  const sof = options.sof ?? 0xc0;
  const comps = sampling.flatMap(([h, v], i) => [i + 1, (h << 4) | v, 0]);
  bytes.push(
    ...segment(sof, [
      8,
      options.height >> 8,
      options.height & 0xff,
      options.width >> 8,
      options.width & 0xff,
      sampling.length,
      ...comps,
    ]),
  );
  // One DC table with a single 1-bit code.
  bytes.push(...segment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0]));
  if (options.restartInterval) {
    bytes.push(...segment(0xdd, [options.restartInterval >> 8, options.restartInterval & 0xff]));
  }
  const progressive = sof === 0xc2 || sof === 0xca;
  bytes.push(
    ...segment(0xda, [
      sampling.length,
      ...sampling.flatMap((_, i) => [i + 1, 0x00]),
      0,
      progressive ? 0 : 63,
      0,
    ]),
  );
  bytes.push(0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9);
  return new Uint8Array(bytes);
}
