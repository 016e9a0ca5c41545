/**
 * What the package's Node tests share (not part of the build): Dawn pointed at Chromium's SwiftShader Vulkan
 * driver (no GPU needed), fixture files, decode options, host images decoded by libjpeg-turbo, and for the
 * browser tests a static file server and Debian's headless Chromium with WebGPU.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize } from 'node:path';
import { createHostImage, isJpegError } from '@jpegkit/core';
import type { Backend, HostImage, JpegHeader, PixelFormat, ResolvedDecodeOptions } from '@jpegkit/core';
import type { JpegkitWasm } from '@jpegkit/wasm';
import type { Browser } from 'playwright-core';

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

/** Content types of what the browser tests serve. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

/** A local HTTP server for a browser test, and its base URL. */
export interface TestServer {
  base: string;
  close(): Promise<void>;
}

/**
 * Serves files read-only on 127.0.0.1 (a free port): `resolve` maps a request's decoded, normalised path to a
 * file, or to undefined for a 404 (it must keep requests inside the folders it serves).
 */
export async function serveFiles(resolve: (path: string) => string | undefined): Promise<TestServer> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = resolve(path);
    if (!file || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** `file` when it lies inside `folder`, else undefined (no escaping the served folder with ../). */
export function inside(folder: string, file: string): string | undefined {
  return file.startsWith(folder) ? file : undefined;
}

/** Debian's headless Chromium with WebGPU on (SwiftShader gives it navigator.gpu without a GPU). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: run scripts/system-deps.sh (installs Debian's chromium)`);
  }
  // Imported here, not at the top: the GPU host runs the other suites with no browser tooling installed.
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-unsafe-webgpu',
    ],
  });
}
