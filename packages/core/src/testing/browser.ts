/**
 * Node-only support for the packages' browser tests (`@jpegkit/core/testing/browser`; not in
 * `@jpegkit/core/testing`, which must stay importable in a browser): a read-only static file server on loopback
 * and Debian's headless Chromium with WebGPU exposed. No browser is downloaded: scripts/system-deps.sh installs
 * Debian's chromium. playwright-core is the caller's (pass its `chromium`), so core does not depend on it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize } from 'node:path';

/** Content types of what the browser tests serve. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
};

/** A local HTTP server for a browser test, and its base URL (no trailing slash). */
export interface TestServer {
  base: string;
  close(): Promise<void>;
}

/**
 * Serves files read-only on 127.0.0.1 (a free port): `resolve` maps a request's decoded, normalised path to a
 * file, or to undefined for a 404 (it must keep requests inside the folders it serves: see {@link inside}).
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

/** Headless Chromium flags: no network chatter, no sandbox (containers), WebGPU exposed (SwiftShader without a GPU). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

/** What {@link launchChromium} needs of playwright-core's `chromium`. */
export interface ChromiumLauncher<Browser> {
  launch(options: { executablePath: string; args: string[] }): Promise<Browser>;
}

/**
 * Debian's headless Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium) started through `chromium` from
 * playwright-core, with {@link CHROMIUM_ARGS} and any `extraArgs`; says what to install when it is missing.
 */
export async function launchChromium<Browser>(
  chromium: ChromiumLauncher<Browser>,
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: run scripts/system-deps.sh (installs Debian's chromium)`);
  }
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
