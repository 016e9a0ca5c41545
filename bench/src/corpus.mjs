// The benchmark corpus: which JPEGs a set holds, their sizes, and a cache of their RGB pixels (binary PPM,
// written once by djpeg) that the encode workload and tjbench's compression test start from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from '@jpegkit/core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CORPUS = path.join(ROOT, '.corpus');
export const CACHE = path.join(ROOT, 'bench/.cache');

/** Sets by name: the folder under .corpus/ and which file names belong to it. */
export const SETS = {
  full: { dir: 'full', match: /-2560x1600\.jpg$/, about: 'the 2560×1600 wallpapers of .corpus/full' },
  'full-all': { dir: 'full', match: /\.jpg$/, about: 'every wallpaper of .corpus/full, as shipped' },
  '1080p': { dir: '1080p', match: /\.jpg$/, about: '1920×1080, cjpeg -quality 90 -sample 2x2' },
  '4k': { dir: '4k', match: /\.jpg$/, about: '3840×2160, cjpeg -quality 90 -sample 2x2' },
};

/** Runs scripts/corpus.sh when the set's folder is missing or empty. */
export function ensureCorpus(setName) {
  const set = SETS[setName];
  if (!set) throw new Error(`unknown corpus set "${setName}" (sets: ${Object.keys(SETS).join(', ')})`);
  const dir = path.join(CORPUS, set.dir);
  const has = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => set.match.test(f));
  if (!has) {
    console.error(`bench: .corpus/${set.dir} is missing; running scripts/corpus.sh`);
    execFileSync('bash', [path.join(ROOT, 'scripts/corpus.sh')], { stdio: 'inherit' });
  }
  return dir;
}

/**
 * Lists a set's images with their header facts. `limit` keeps that many, spread evenly over the sorted
 * list so that a quick run still mixes baseline, progressive, 4:4:4 and 4:2:0 files.
 */
export function listImages(setName, limit = Infinity) {
  const dir = ensureCorpus(setName);
  const files = fs
    .readdirSync(dir)
    .filter((f) => SETS[setName].match.test(f))
    .sort();
  let picked = files;
  if (files.length > limit) {
    picked = Array.from({ length: limit }, (_, i) => files[Math.floor((i * files.length) / limit)]);
  }
  return picked.map((name) => {
    const file = path.join(dir, name);
    const bytes = fs.readFileSync(file);
    const h = inspect(bytes);
    return {
      name,
      file,
      bytes: bytes.length,
      width: h.width,
      height: h.height,
      subsampling: h.components === 1 ? 'gray' : h.subsampling,
      progressive: h.progressive,
    };
  });
}

/** Path of the image's RGB pixels as binary PPM (djpeg -rgb, grey expanded to RGB), made on first use. */
export function rgbPpm(image) {
  const out = path.join(CACHE, 'ppm', image.name.replace(/\.jpg$/, '.ppm'));
  if (!fs.existsSync(out)) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync('djpeg', ['-rgb', '-outfile', tmp, image.file]);
    fs.renameSync(tmp, out);
  }
  return out;
}

/** Reads a binary P6 PPM written by djpeg into { width, height, data } (data: tightly packed RGB). */
export function readPpm(file) {
  const buf = fs.readFileSync(file);
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'));
  if (!header || header[3] !== '255') throw new Error(`${file}: not an 8-bit binary PPM`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const data = new Uint8Array(buf.buffer, buf.byteOffset + header[0].length, width * height * 3);
  return { width, height, data };
}
