// The contenders, each behind the same small adapter, loaded only inside the child process that measures
// it (so one library's memory and threads never leak into another's numbers).
//
//   prepare(inputs, workload)  converts inputs into the form the library takes (outside the timing)
//   init(mode)                 loads the library; mode is '1-core' or 'all-cores'
//   decode(input) / encode(input) / thumbnail(input) -> Promise of the output bytes
//   close()
//
// An input is { bytes (JPEG Buffer), width, height, rgb? ({ width, height, data }) }.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const CORES =
  typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

/** The thumbnail's size: a quarter of each side, rounded. */
export function thumbSize(width, height) {
  return { width: Math.max(1, Math.round(width / 4)), height: Math.max(1, Math.round(height / 4)) };
}

function packageVersion(name) {
  // Some packages' exports hide package.json from require.resolve; bench/node_modules has them all.
  const file = path.join(import.meta.dirname, '../node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

function rgbToRgba(rgb) {
  const n = rgb.width * rgb.height;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0; i < n * 3; i += 3, j += 4) {
    out[j] = rgb.data[i];
    out[j + 1] = rgb.data[i + 1];
    out[j + 2] = rgb.data[i + 2];
    out[j + 3] = 255;
  }
  return out;
}

function jpegkit(threadsFor) {
  let codec;
  return {
    async init(mode) {
      const { createCodec } = await import('@jpegkit/core');
      codec = await createCodec({ backends: ['wasm'], strict: true, init: { threads: threadsFor(mode) } });
      return codec.available[0].caps.device;
    },
    prepare(inputs) {
      for (const input of inputs) {
        if (input.rgb) {
          const { width, height, data } = input.rgb;
          input.image = { width, height, format: 'rgb', stride: width * 3, data, orientation: 1 };
        }
      }
    },
    decode: (input) => codec.decode(input.bytes, { format: 'rgb' }),
    encode: (input) => codec.encode(input.image, { quality: 90, subsampling: '4:2:0' }),
    thumbnail(input) {
      const size = thumbSize(input.width, input.height);
      return codec
        .pipeline(input.bytes)
        .shrinkOnLoad() // as sharp does by default: both decode at a reduced DCT scale first
        .resize({ ...size, fit: 'cover', filter: 'lanczos3' })
        .sharpen({ sigma: 0.95 })
        .toJpeg({ quality: 85 });
    },
    close: () => codec?.dispose(),
  };
}

function sharpAdapter() {
  let sharp;
  return {
    async init(mode) {
      sharp = (await import('sharp')).default;
      sharp.cache(false); // libvips' operation cache would answer repeated identical calls from memory
      if (mode === '1-core') sharp.concurrency(1);
      const v = sharp.versions;
      return `sharp ${v.sharp}, libvips ${v.vips}, concurrency ${sharp.concurrency()}, UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? 'default (4)'}`;
    },
    prepare() {},
    decode: (input) => sharp(input.bytes).toColourspace('srgb').raw().toBuffer(),
    encode: (input) =>
      sharp(input.rgb.data, { raw: { width: input.rgb.width, height: input.rgb.height, channels: 3 } })
        .jpeg({ quality: 90, chromaSubsampling: '4:2:0' })
        .toBuffer(),
    thumbnail(input) {
      const size = thumbSize(input.width, input.height);
      return sharp(input.bytes)
        .resize(size.width, size.height, { kernel: 'lanczos3' })
        .sharpen({ sigma: 0.95 })
        .jpeg({ quality: 85 })
        .toBuffer();
    },
    close() {},
  };
}

function jsquash() {
  let decode;
  let encode;
  return {
    async init() {
      const dec = await import('@jsquash/jpeg/decode.js');
      const enc = await import('@jsquash/jpeg/encode.js');
      const wasm = (p) => WebAssembly.compile(fs.readFileSync(require.resolve(`@jsquash/jpeg/codec/${p}`)));
      await dec.init(await wasm('dec/mozjpeg_dec.wasm'));
      await enc.init(await wasm('enc/mozjpeg_enc.wasm'));
      decode = dec.default;
      encode = enc.default;
      return `@jsquash/jpeg ${packageVersion('@jsquash/jpeg')} (MozJPEG), calling thread`;
    },
    prepare(inputs) {
      for (const input of inputs) {
        // decode() takes an ArrayBuffer; encode() takes RGBA ImageData.
        input.arrayBuffer = input.bytes.buffer.slice(
          input.bytes.byteOffset,
          input.bytes.byteOffset + input.bytes.length,
        );
        if (input.rgb)
          input.imageData = { width: input.rgb.width, height: input.rgb.height, data: rgbToRgba(input.rgb) };
      }
    },
    decode: (input) => decode(input.arrayBuffer),
    // Closest to libjpeg-turbo's defaults that MozJPEG offers: baseline, Annex K tables, no trellis options.
    encode: (input) =>
      encode(input.imageData, {
        quality: 90,
        baseline: true,
        progressive: false,
        optimize_coding: false,
        quant_table: 0,
        trellis_multipass: false,
        trellis_opt_zero: false,
        trellis_opt_table: false,
        auto_subsample: false,
        chroma_subsample: 2,
      }),
    close() {},
  };
}

function cornerstone() {
  let codec;
  return {
    async init() {
      const factory = require('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs');
      const wasmBinary = fs.readFileSync(require.resolve('@cornerstonejs/codec-libjpeg-turbo-8bit/wasm'));
      codec = await factory({ wasmBinary });
      return `@cornerstonejs/codec-libjpeg-turbo-8bit ${packageVersion('@cornerstonejs/codec-libjpeg-turbo-8bit')}, calling thread`;
    },
    prepare() {},
    // Pixels are copied out of the wasm heap, as a caller that keeps them must do.
    async decode(input) {
      const decoder = new codec.JPEGDecoder();
      try {
        decoder.getEncodedBuffer(input.bytes.length).set(input.bytes);
        decoder.decode();
        return decoder.getDecodedBuffer().slice();
      } finally {
        decoder.delete();
      }
    },
    async encode(input) {
      const encoder = new codec.JPEGEncoder();
      try {
        const { width, height, data } = input.rgb;
        const frame = { width, height, bitsPerSample: 8, componentCount: 3, isSigned: false };
        encoder.getDecodedBuffer(frame).set(data);
        encoder.setQuality(90);
        encoder.setProgressive(false);
        encoder.setSubSampling(2); // TJSAMP_420
        encoder.encode();
        return encoder.getEncodedBuffer().slice();
      } finally {
        encoder.delete();
      }
    },
    close() {},
  };
}

function jpegJs() {
  let jpeg;
  return {
    async init() {
      jpeg = require('jpeg-js');
      return `jpeg-js ${packageVersion('jpeg-js')} (pure JavaScript), calling thread`;
    },
    prepare(inputs) {
      for (const input of inputs) {
        if (input.rgb)
          input.rgbaFrame = { width: input.rgb.width, height: input.rgb.height, data: rgbToRgba(input.rgb) };
      }
    },
    decode: async (input) =>
      jpeg.decode(input.bytes, {
        formatAsRGBA: false,
        useTArray: true,
        maxMemoryUsageInMB: 2048,
        maxResolutionInMP: 400,
      }).data,
    // jpeg-js has no quality-independent subsampling option: it always writes 4:4:4.
    encode: async (input) => jpeg.encode(input.rgbaFrame, 90).data,
    close() {},
  };
}

/**
 * Every contender. `kind` says how it is run: 'js' in a Node child through its adapter, 'tjbench' as the
 * native tool. `allCores` says how it uses every core: 'in-process' (N jobs in flight in one process: its
 * own threads do the work) or 'processes' (N copies side by side, for single-threaded libraries).
 * `workloads` lists what it can do; `notes` are shown under the tables.
 */
export const CONTENDERS = {
  jpegkit: {
    label: 'jpegkit wasm',
    kind: 'js',
    allCores: 'in-process',
    workloads: ['decode', 'encode', 'thumbnail'],
    make: () => jpegkit((mode) => (mode === '1-core' ? 0 : CORES)),
    describe: (mode) =>
      mode === '1-core' ? 'threads: 0 (calling thread)' : `threads: ${CORES} (worker pool)`,
  },
  sharp: {
    label: 'sharp',
    kind: 'js',
    allCores: 'in-process',
    workloads: ['decode', 'encode', 'thumbnail'],
    make: sharpAdapter,
    env: (mode) => (mode === '1-core' ? { UV_THREADPOOL_SIZE: '1' } : {}),
    describe: (mode) =>
      mode === '1-core' ? 'concurrency(1), UV_THREADPOOL_SIZE=1, one job at a time' : 'default concurrency',
  },
  jsquash: {
    label: '@jsquash/jpeg',
    kind: 'js',
    allCores: 'processes',
    workloads: ['decode', 'encode'],
    make: jsquash,
    note: 'MozJPEG build: decode gives RGBA; encode takes RGBA and keeps MozJPEG’s slower defaults where it has no switch for them.',
  },
  cornerstone: {
    label: 'cornerstone libjpeg-turbo',
    kind: 'js',
    allCores: 'processes',
    workloads: ['decode', 'encode'],
    make: cornerstone,
    note: 'libjpeg-turbo compiled to wasm, like jpegkit; decode keeps the JPEG’s component count (1 for grey).',
  },
  'jpeg-js': {
    label: 'jpeg-js',
    kind: 'js',
    allCores: 'processes',
    workloads: ['decode', 'encode'],
    make: jpegJs,
    note: 'pure JavaScript; encode takes RGBA and always writes 4:4:4.',
  },
  tjbench: {
    label: 'tjbench (native)',
    kind: 'tjbench',
    allCores: 'processes',
    workloads: ['decode', 'encode', 'thumbnail'],
    note: 'native libjpeg-turbo with SIMD, its own timing loop (the ceiling). Thumbnail row: DCT-scaled 1/4 decode only (no resize, sharpen or encode). p50/p99: over per-image mean times.',
  },
};
