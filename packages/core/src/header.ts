import type { Orientation } from './image.js';

/** One frame component as the SOF marker declares it. */
export interface ComponentInfo {
  /** Component identifier (1, 2, 3 for JFIF; 'R','G','B' = 82, 71, 66 in some RGB files). */
  id: number;
  /** Horizontal sampling factor (1–4). */
  h: number;
  /** Vertical sampling factor (1–4). */
  v: number;
  /** Quantisation table slot (0–3). */
  tq: number;
}

/** The chroma subsampling label; 'other' for layouts with no common name (e.g. 3×1 or mixed factors). */
export type Subsampling = '4:4:4' | '4:2:2' | '4:2:0' | '4:4:0' | '4:1:1' | 'gray' | 'other';

/** The colour space of the stored samples, from the component count, JFIF and Adobe APP14 markers. */
export type ColorSpace = 'gray' | 'YCbCr' | 'RGB' | 'CMYK' | 'YCCK' | 'unknown';

/** JPEG coding process from the SOF marker type. */
export type CodingProcess = 'baseline' | 'extended' | 'progressive' | 'lossless';

/** One scan (SOS segment) and where its entropy-coded data lies in the file. */
export interface ScanInfo {
  /** Component ids in this scan, in scan order. */
  components: number[];
  /** Spectral selection start / end and successive approximation high / low bits. */
  ss: number;
  se: number;
  ah: number;
  al: number;
  /** Byte offset of the SOS marker (0xFF of 0xFFDA). */
  markerOffset: number;
  /** Byte range [dataStart, dataEnd) of the entropy-coded data that follows the SOS header, restart markers
   * included; dataEnd is the offset of the marker that ends the scan (or the end of the input). */
  dataStart: number;
  dataEnd: number;
  /** Restart markers (RST0–7) found inside this scan's data. */
  restartMarkers: number;
}

export interface JfifInfo {
  version: string;
  /** 'none' means the densities only give the aspect ratio. */
  densityUnits: 'none' | 'dpi' | 'dpcm';
  xDensity: number;
  yDensity: number;
}

/**
 * Header facts of a JPEG, read without decoding (see `inspect`).
 */
export interface JpegHeader {
  width: number;
  height: number;
  /** Sample precision in bits (8, 12, or 2–16 for lossless). */
  precision: number;
  components: ComponentInfo[];
  subsampling: Subsampling;
  colorSpace: ColorSpace;
  process: CodingProcess;
  /** Shorthands of `process`. */
  progressive: boolean;
  lossless: boolean;
  /** Arithmetic rather than Huffman entropy coding. */
  arithmetic: boolean;
  /** The SOF marker code (0xC0 … 0xCF). */
  sofMarker: number;
  /** Restart interval in MCUs from the first DRI before the first scan (0 = none). Later DRIs may change it;
   * `restartIntervals` lists every value seen. */
  restartInterval: number;
  restartIntervals: number[];
  /** EXIF orientation, 1 when there is no EXIF or no orientation tag. */
  orientation: Orientation;
  /** The ICC profile reassembled from every APP2 ICC_PROFILE chunk in sequence order. */
  icc?: Uint8Array;
  /** The EXIF TIFF structure (APP1 payload after "Exif\0\0"). */
  exif?: Uint8Array;
  /** The XMP packet, when present. */
  xmp?: string;
  jfif?: JfifInfo;
  /** Adobe APP14 colour transform flag (0 = none/CMYK/RGB, 1 = YCbCr, 2 = YCCK), when the marker is there. */
  adobeTransform?: number;
  /** COM segments, decoded as latin1. */
  comments: string[];
  scans: ScanInfo[];
  /** Size of one MCU in pixels (for interleaved scans). */
  mcuWidth: number;
  mcuHeight: number;
  /** True when the data ended before EOI (header facts are complete; decoding will report E_TRUNCATED). */
  truncated: boolean;
  /** Byte length of the input that belongs to the JPEG (through EOI), trailing bytes excluded. */
  byteLength: number;
}
