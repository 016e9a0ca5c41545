/**
 * Loads WGSL sources that live beside the code in `shaders/`.
 *
 * Each module lists its shaders as `new URL('./shaders/name.wgsl', import.meta.url)` with a literal path, which
 * Vite turns into emitted assets in browser bundles; in Node the URL is a file: URL read from disk (the build
 * copies src/shaders to dist/shaders).
 */
const cache = new Map<string, Promise<string>>();

async function read(url: URL): Promise<string> {
  if (url.protocol === 'file:') {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises' as string);
    return (readFile as (u: URL, enc: 'utf8') => Promise<string>)(url, 'utf8');
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load shader ${url.href}: HTTP ${res.status}`);
  return res.text();
}

/** The text of a WGSL file, read once per URL. */
export function loadShader(url: URL): Promise<string> {
  let text = cache.get(url.href);
  if (!text) {
    text = read(url);
    text.catch(() => cache.delete(url.href));
    cache.set(url.href, text);
  }
  return text;
}
