import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHADER_INCLUDES, expandIncludes, loadShader } from './shader-source.js';

const SHADERS = new URL('./shaders/', import.meta.url);

function loader(files: Record<string, string>): (name: string) => Promise<string> {
  return (name) =>
    name in files ? Promise.resolve(files[name]!) : Promise.reject(new Error(`no file ${name}`));
}

describe('WGSL #include', () => {
  it('replaces an include line with the file, its own includes resolved', async () => {
    const files = {
      'a.wgsl': '#include "b.wgsl"\nfn a() {}\n',
      'b.wgsl': 'const B: u32 = 2u;\n',
    };
    const text = await expandIncludes('// top\n  #include "a.wgsl"\nfn main() {}\n', loader(files));
    expect(text).toBe('// top\nconst B: u32 = 2u;\nfn a() {}\nfn main() {}\n');
  });

  it('includes a file once per shader, however often it is named, and survives cycles', async () => {
    const files = {
      'a.wgsl': '#include "b.wgsl"\nfn a() {}',
      'b.wgsl': '#include "a.wgsl"\nfn b() {}',
    };
    const text = await expandIncludes(
      '#include "a.wgsl"\n#include "b.wgsl"\n#include "a.wgsl"\n',
      loader(files),
    );
    expect(text).toBe('\nfn b() {}\nfn a() {}\n\n\n');
  });

  it('leaves lines that only mention #include alone, and rejects an unknown file', async () => {
    const text = '// see #include "x.wgsl"\nfn main() {}\n';
    expect(await expandIncludes(text, loader({}))).toBe(text);
    await expect(expandIncludes('#include "nope.wgsl"\n', loader({}))).rejects.toThrow('no file nope.wgsl');
  });

  it('expands every shader of the package: no include left, shared code present once', async () => {
    const names = readdirSync(SHADERS).filter((n) => n.endsWith('.wgsl'));
    expect(names.length).toBeGreaterThan(10);
    const included = new Set<string>();
    for (const name of names) {
      const source = await loadShader(new URL(name, SHADERS));
      expect(source, name).not.toMatch(/#include/);
      const raw = readFileSync(new URL(name, SHADERS), 'utf8');
      for (const m of raw.matchAll(/#include "([^"]+)"/g)) included.add(m[1]!);
    }
    // Every include file is used, and each lands exactly once where it is included.
    expect([...included].sort()).toEqual(Object.keys(SHADER_INCLUDES).sort());
    for (const [name, fn] of [
      ['entropy-huffman.wgsl', 'fn decode_symbol('],
      ['entropy-selfsync.wgsl', 'fn decode_symbol('],
      ['decode-idct.wgsl', 'fn descale('],
      ['fdct-quantize.wgsl', 'fn descale('],
      ['encode-sample.wgsl', 'struct Params {'],
      ['fdct-quantize.wgsl', 'struct Params {'],
    ] as const) {
      const source = await loadShader(new URL(name, SHADERS));
      expect(source.split(fn).length - 1, `${fn} in ${name}`).toBe(1);
    }
  });
});
