import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import type { Io } from '../io.js';
import type { FixtureFacts as Facts, MalformedFacts } from '@jpegkit/core/testing';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function capture(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

const facts = JSON.parse(await readFile(`${fixtures}facts.json`, 'utf8')) as Facts[];
const malformed = JSON.parse(await readFile(`${fixtures}malformed.json`, 'utf8')) as MalformedFacts[];

describe('jpegkit inspect --json', () => {
  it('prints one JSON object per file with the facts recorded by djpeg, identify and exiftool', async () => {
    const io = capture();
    const code = await main(['inspect', '--json', ...facts.map((f) => fixtures + f.file)], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out).toHaveLength(facts.length);
    io.out.forEach((line, i) => {
      const f = facts[i]!;
      const got = JSON.parse(line) as Record<string, unknown>;
      expect(got, f.file).toMatchObject({
        file: fixtures + f.file,
        width: f.width,
        height: f.height,
        precision: f.precision,
        components: f.components,
        subsampling: f.subsampling,
        colorSpace: f.colorSpace,
        process: f.process,
        arithmetic: f.arithmetic,
        restartInterval: f.restartInterval,
        orientation: f.orientation,
        icc: f.icc,
        jfif: f.jfif,
        adobeTransform: f.adobeTransform,
        comments: f.comments,
      });
      expect((got.scans as unknown[]).length, f.file).toBe(f.scanCount);
      expect((got.exif as { byteOrder: string } | null)?.byteOrder ?? null, f.file).toBe(f.exifByteOrder);
    });
  });

  it('reports each malformed file on one stderr line starting with its code, and exits 2', async () => {
    const bad = malformed.filter((m) => m.inspect !== 'ok');
    const io = capture();
    const code = await main(['inspect', '--json', ...bad.map((m) => fixtures + m.file)], io);
    expect(code).toBe(2);
    expect(io.err).toHaveLength(bad.length);
    io.err.forEach((line, i) => {
      expect(line.startsWith(`${bad[i]!.inspect}: ${fixtures}${bad[i]!.file}: `), line).toBe(true);
      expect(line).not.toMatch(/\n|\bat .+:\d+:\d+/);
    });
  });

  it('prints a readable line without --json', async () => {
    const f = facts.find((x) => x.process === 'progressive')!;
    const io = capture();
    expect(await main(['inspect', fixtures + f.file], io)).toBe(0);
    expect(io.out[0]).toContain(`${f.width}×${f.height}`);
    expect(io.out[0]).toContain(`${f.subsampling}, progressive`);
  });

  it('turns a missing file and a bad command into coded errors', async () => {
    const io = capture();
    expect(await main(['inspect', '/nonexistent.jpg'], io)).toBe(2);
    expect(io.err).toEqual(['E_INVALID_ARGUMENT: /nonexistent.jpg: no such file']);
    const io2 = capture();
    expect(await main(['frobnicate'], io2)).toBe(2);
    expect(io2.err[0]).toMatch(/^E_INVALID_ARGUMENT: unknown command "frobnicate"/);
    const io3 = capture();
    expect(await main(['inspect'], io3)).toBe(2);
    expect(io3.err[0]).toMatch(/^E_INVALID_ARGUMENT: inspect: no input file/);
  });
});

describe('the built jpegkit binary (run scripts/setup.sh first)', () => {
  const run = promisify(execFile);
  it('runs under plain node and exits 2 with one coded stderr line on bad input', async () => {
    const ok = await run(process.execPath, [bin, 'inspect', '--json', fixtures + facts[0]!.file]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ width: facts[0]!.width, height: facts[0]!.height });
    const bad = malformed.find((m) => m.inspect !== 'ok')!;
    const failed = await run(process.execPath, [bin, 'inspect', fixtures + bad.file]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(2);
    const lines = (failed as { stderr: string }).stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`${bad.inspect}: `)).toBe(true);
  });

  it('says why no backend is available for decode, with exit 2', async () => {
    const failed = await run(process.execPath, [
      bin,
      'decode',
      fixtures + facts[0]!.file,
      '-o',
      '/tmp/jpegkit-cli-test.ppm',
      '--backend',
      'cuda',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toMatch(
      /^E_NO_BACKEND: decode: a requested backend is unavailable \(strict\)|^E_NO_BACKEND: decode: no backend is available: cuda: /,
    );
  });
});

describe('jpegkit inspect into a pipe closed early', () => {
  it('stops quietly with status 0 when the reader goes away (| head)', async () => {
    const { spawn } = await import('node:child_process');
    const files = Array.from({ length: 400 }, (_, i) => fixtures + facts[i % facts.length]!.file);
    const child = spawn(process.execPath, [bin, 'inspect', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
