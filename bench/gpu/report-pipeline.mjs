// Renders the GPU host's pipeline results (bench/gpu/device-run.sh pipeline: cuda-pipeline.json, cuda-stages.json,
// cuda-memory.json) as JSON + Markdown in bench/results/. The exact-decode table is kept from the JSON already there.
//   node bench/gpu/report-pipeline.mjs OUT_DIR NAME
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name] = process.argv.slice(2);
const read = (file) => JSON.parse(readFileSync(join(dir, file), 'utf8'));
const pipeline = read('cuda-pipeline.json');
const stages = read('cuda-stages.json');
const memory = read('cuda-memory.json');
// The same measures with decoder 'nvjpeg' (the NVJPG engines), where the run has them.
const optional = (file) => (existsSync(join(dir, file)) ? read(file) : undefined);
const pipelineNvjpeg = optional('cuda-pipeline-nvjpeg.json');
// And with encoder 'nvjpeg' (nvJPEG's encoder instead of ours), where the run has it.
const pipelineNvEncode = optional('cuda-pipeline-nvenc.json');
const columns = [
  { title: 'ours (decoder and encoder `kernels`)', run: pipeline },
  ...(pipelineNvjpeg ? [{ title: 'decoder `nvjpeg`', run: pipelineNvjpeg }] : []),
  ...(pipelineNvEncode ? [{ title: 'encoder `nvjpeg`', run: pipelineNvEncode }] : []),
];
const memoryNvjpeg = optional('cuda-memory-nvjpeg.json');
const exactFile = join('bench/results', `${name.replace('pipeline', 'exact-decode')}.json`);
const exact = existsSync(exactFile) ? JSON.parse(readFileSync(exactFile, 'utf8')) : undefined;
const ms = (v) => `${v.toFixed(2)} ms`;

const lines = [
  `# GPU pipeline (${pipeline.device})`,
  '',
  'The Fastvideo-style pipeline on the cuda backend: 1920×1080 JPEG → 960×540 lanczos3 → sharpen σ 0.95 → q90',
  'JPEG (bench/gpu/cuda-pipeline.mjs, the 1080p photo set). Pipelines started together are gathered into batches',
  'of up to 8 and each batch runs as one native call: decode (decoder `kernels`, the default: our GPU Huffman',
  'decoder and exact kernels; `nvjpeg`: the NVJPG engines), the op kernels and the encode (encoder `kernels`, the',
  "default: our GPU encoder, whose files are cjpeg -dct int's bytes; `nvjpeg`: nvJPEG's encoder); only",
  'compressed bytes cross PCIe.',
  '',
  `| measure |${columns.map((c) => ` ${c.title} |`).join('')}`,
  `| --- |${columns.map(() => ' ---: |').join('')}`,
  `| single image p50 |${columns.map((c) => ` ${ms(c.run.single.p50ms)} |`).join('')}`,
  `| single image p99 |${columns.map((c) => ` ${ms(c.run.single.p99ms)} |`).join('')}`,
  ...pipeline.concurrent.map(
    (c, i) =>
      `| ${c.inFlight} in flight |${columns.map((col) => ` ${col.run.concurrent[i].imagesPerSecond.toFixed(0)} images/s |`).join('')}`,
  ),
  '',
  '## Where a single image goes (bench/gpu/cuda-stages.mjs, medians of 200 calls, each stage alone)',
  '',
  '| stage | p50 |',
  '| --- | ---: |',
  ...stages.stages.map((s) => `| ${s.name} | ${ms(s.p50ms)} |`),
  '',
  '## Device memory per stream (bench/gpu/cuda-memory.mjs)',
  '',
  'Free device memory before the backend starts and after five rounds in which every stream decodes its own batch',
  'of 16 1080p photos at the same time (then released), with the pool cache off (`poolKeepMiB: 0`): what each',
  'decoding stream holds — decoder states and buffers, pinned staging. Decoder `kernels` keeps no per-stream',
  "decoder state on the device (its working memory comes from the pool per call); nvJPEG's hardware decoder",
  'keeps about 116 MiB of batch state per stream.',
  '',
  `| streams | \`kernels\` in use | per stream |${memoryNvjpeg ? ' `nvjpeg` in use | per stream |' : ''}`,
  `| ---: | ---: | ---: |${memoryNvjpeg ? ' ---: | ---: |' : ''}`,
  ...memory.runs.map((r, i) => {
    const other = memoryNvjpeg?.runs[i];
    const tail = other ? ` ${other.usedMiB.toFixed(1)} MiB | ${other.perStreamMiB.toFixed(1)} MiB |` : '';
    return `| ${r.streams} | ${r.usedMiB.toFixed(1)} MiB | ${r.perStreamMiB.toFixed(1)} MiB |${tail}`;
  }),
];
if (exact) {
  lines.push(
    '',
    '## Exact decode with CPU entropy decoding (wasm in the worker pool → our islow IDCT, upsampling and colour)',
    '',
    'Byte-identical to djpeg -dct int on all 44 references it accepts (lib/gpu.test.ts, lib/exact.test.ts). Measured',
    'in an earlier run, when exact mode read every image on the CPU; it now takes baseline JPEGs through our GPU',
    'Huffman decoder and progressive ones through our CPU decoder (decoder `kernels` in gpu-h200-decode.md), and',
    'leaves the CPU reader to the rest (arithmetic coding …).',
    '',
    '| set | batch | images/s |',
    '| --- | ---: | ---: |',
  );
  for (const set of exact.runs?.[0]?.sets ?? exact.sets ?? []) {
    for (const b of set.batches) lines.push(`| ${set.name} | ${b.batch} | ${b.imagesPerSecond.toFixed(0)} |`);
  }
}
writeFileSync(
  join('bench/results', `${name}.json`),
  JSON.stringify({ pipeline, pipelineNvjpeg, pipelineNvEncode, stages, memory, memoryNvjpeg }, null, 2) +
    '\n',
);
writeFileSync(join('bench/results', `${name}.md`), lines.join('\n') + '\n');
console.log(lines.join('\n'));
