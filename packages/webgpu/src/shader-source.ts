/**
 * Loads WGSL sources that live beside the code in `shaders/`.
 *
 * Each module lists its shaders as `new URL('./shaders/name.wgsl', import.meta.url)` with a literal path, which
 * Vite turns into emitted assets in browser bundles; in Node the URL is a file: URL read from disk (the build
 * copies src/shaders to dist/shaders).
 *
 * WGSL has no imports, so code several shaders share (libjpeg's islow fixed point, the Huffman bit reader, the
 * encoder's parameter struct) lives in `shaders/include/` and a shader pulls it in with a line
 * `#include "name.wgsl"`: the line is replaced by that file's text (its own includes resolved too; a file included
 * twice into one shader appears once). Included files are named in {@link SHADER_INCLUDES} with literal URLs, so
 * that bundlers emit them as they do the shaders.
 */

/** The files `#include "name.wgsl"` can name. */
export const SHADER_INCLUDES: Readonly<Record<string, URL>> = {
  'huffman-bits.wgsl': new URL('./shaders/include/huffman-bits.wgsl', import.meta.url),
  'islow-fixed-point.wgsl': new URL('./shaders/include/islow-fixed-point.wgsl', import.meta.url),
  'encode-params.wgsl': new URL('./shaders/include/encode-params.wgsl', import.meta.url),
};

const INCLUDE_LINE = /^[ \t]*#include[ \t]+"([^"]+)"[ \t]*$/gm;

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

/**
 * `text` with every `#include "name"` line replaced by the text `load(name)` gives, recursively; a name already
 * included (or being included: a cycle) becomes an empty line. Throws for a name `load` rejects.
 */
export async function expandIncludes(
  text: string,
  load: (name: string) => Promise<string>,
  included: Set<string> = new Set(),
): Promise<string> {
  const names = [...text.matchAll(INCLUDE_LINE)].map((m) => m[1]!);
  const bodies = new Map<string, string>();
  for (const name of names) {
    if (included.has(name)) continue;
    included.add(name);
    bodies.set(name, await expandIncludes(await load(name), load, included));
  }
  return text.replace(INCLUDE_LINE, (_line, name: string) => {
    const body = bodies.get(name);
    bodies.delete(name); // a second include of the same file in this text adds nothing
    return body === undefined ? '' : body.trimEnd();
  });
}

function loadInclude(name: string): Promise<string> {
  const url = SHADER_INCLUDES[name];
  if (!url) {
    return Promise.reject(
      new Error(`unknown WGSL include "${name}" (known: ${Object.keys(SHADER_INCLUDES).join(', ')})`),
    );
  }
  return read(url);
}

/** The text of a WGSL file with its includes expanded, read once per URL. */
export function loadShader(url: URL): Promise<string> {
  let text = cache.get(url.href);
  if (!text) {
    text = read(url).then((source) => expandIncludes(source, loadInclude));
    text.catch(() => cache.delete(url.href));
    cache.set(url.href, text);
  }
  return text;
}
