import { JpegError, insertMetadata } from '@jpegkit/core';
import type { ResolvedEncodeOptions } from '@jpegkit/core';
import { writeCoefficients } from '@jpegkit/wasm';
import type { JpegkitWasm } from '@jpegkit/wasm';
import type { GpuPixels } from '../gpu-pixels.js';
import type { GpuContext } from '../gpu-context.js';
import { computeDctCoefficients } from './dct-coefficients.js';

/**
 * Encodes GPU pixels to a JPEG: colour conversion, downsampling, forward DCT and quantisation run on the GPU
 * ({@link computeDctCoefficients}); only the int16 coefficient planes come back, and @jpegkit/wasm's
 * writeCoefficients (libjpeg-turbo's jpeg_write_coefficients) does the Huffman coding — optimised or standard
 * tables, progressive (jpeg_simple_progression) or sequential, restart markers every `restartInterval` MCUs.
 * EXIF (APP1) and ICC (APP2, chunked) go where @jpegkit/wasm's encoder writes them, after the JFIF header.
 *
 * The bytes equal @jpegkit/wasm's own encode (cjpeg) of the same RGB or gray pixels at the same options, with
 * one exception: at quality 100 both quantisation tables are all ones, and writeCoefficients stores equal
 * tables once (one DQT table, both components pointing at it) where cjpeg writes two identical ones — the
 * coefficients and the decoded pixels are the same. Arithmetic coding is not available through the coefficient
 * writer: `arithmetic: true` rejects with E_UNSUPPORTED (the backend sends such encodes to wasm).
 *
 * @example
 * ```ts
 * const jpeg = await encodeGpuPixels(ctx, pixels, resolveEncodeOptions({ quality: 90 }), wasm);
 * ```
 */
export async function encodeGpuPixels(
  ctx: GpuContext,
  pixels: GpuPixels,
  options: ResolvedEncodeOptions,
  wasm: JpegkitWasm,
): Promise<Uint8Array> {
  if (options.arithmetic) {
    throw new JpegError(
      'E_UNSUPPORTED',
      'arithmetic coding is not available on webgpu (the coefficient writer codes Huffman only)',
    );
  }
  const coefficients = await computeDctCoefficients(ctx, pixels, options);
  const jpeg = writeCoefficients(wasm, coefficients, {
    optimize: options.optimize,
    progressive: options.progressive,
    restartInterval: options.restartInterval,
  });
  return insertMetadata(jpeg, options.icc, options.exif);
}
