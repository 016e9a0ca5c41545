/**
 * What the package's Node tests share (not part of the build): Dawn pointed at Chromium's SwiftShader Vulkan
 * driver (no GPU needed), fixture files, decode options, host images decoded by libjpeg-turbo. The browser tests'
 * server and Chromium come from @jpegkit/core/testing/browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHostImage, isJpegError } from '@jpegkit/core';
import type { Backend, HostImage, JpegHeader, PixelFormat, ResolvedDecodeOptions } from '@jpegkit/core';
import type { JpegkitWasm } from '@jpegkit/wasm';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Makes Dawn use SwiftShader unless the environment names a Vulkan driver already (call before Dawn loads). */
export function useSwiftShader(): void {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}

/** The repository's fixtures/ folder. */
export const FIXTURES = new URL('../../../fixtures/', import.meta.url);

/** A file under fixtures/ (e.g. 'jpeg/photo-420.jpg'). */
export function readFixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, FIXTURES)));
}

/** Resolved decode options: rgb, full scale, stored orientation, host, unless overridden. */
export function decodeOptions(overrides: Partial<ResolvedDecodeOptions> = {}): ResolvedDecodeOptions {
  return { format: 'rgb', scale: 1, orient: false, location: 'host', partial: false, ...overrides };
}

/** What a backend makes of a JPEG: the image, or the code of the JpegError it rejected with. */
export async function decodeOutcome(
  backend: Backend,
  bytes: Uint8Array,
  header: JpegHeader,
  options: ResolvedDecodeOptions,
): Promise<HostImage | string> {
  try {
    return (await backend.decode(bytes, header, options)) as HostImage;
  } catch (error) {
    if (!isJpegError(error)) throw error;
    return error.code;
  }
}

/** A fixture JPEG (under fixtures/jpeg/) decoded by libjpeg-turbo in `wasm`, as a host image of `format`. */
export function decodeFixture(wasm: JpegkitWasm, file: string, format: PixelFormat = 'rgb'): HostImage {
  const decoded = wasm.decode(readFixture(`jpeg/${file}`), { format });
  return createHostImage(decoded.width, decoded.height, format, { data: decoded.data });
}
