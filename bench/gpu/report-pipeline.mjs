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
const exactFile = join('bench/results', `${name.replace('pipeline', 'exact-decode')}.json`);
const exact = existsSync(exactFile) ? JSON.parse(readFileSync(exactFile, 'utf8')) : undefined;
const ms = (v) => `${v.toFixed(2)} ms`;

const lines = [
  `# GPU pipeline (${pipeline.device})`,
  '',
  'The Fastvideo-style pipeline on the cuda backend: 1920×1080 JPEG → 960×540 lanczos3 → sharpen σ 0.95 → q90',
  'JPEG (bench/gpu/cuda-pipeline.mjs, the 1080p photo set). Pipelines started together are gathered into batches',
  'of up to 8 and each batch runs as one native call: hardware decode, the op kernels and nvJPEG encode on one',
  'stream; only compressed bytes cross PCIe.',
  '',
  '| measure | value |',
  '| --- | ---: |',
  `| single image p50 | ${ms(pipeline.single.p50ms)} |`,
  `| single image p99 | ${ms(pipeline.single.p99ms)} |`,
  ...pipeline.concurrent.map((c) => `| ${c.inFlight} in flight | ${c.imagesPerSecond.toFixed(0)} images/s |`),
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
  'decoding stream holds — nvJPEG states and buffers, pinned staging.',
  '',
  '| streams | in use | per stream |',
  '| ---: | ---: | ---: |',
  ...memory.runs.map(
    (r) => `| ${r.streams} | ${r.usedMiB.toFixed(1)} MiB | ${r.perStreamMiB.toFixed(1)} MiB |`,
  ),
];
if (exact) {
  lines.push(
    '',
    '## Exact decode (wasm entropy decoding in the worker pool → our islow IDCT, fancy upsampling and colour kernels)',
    '',
    'Byte-identical to djpeg -dct int on all 44 references it accepts (lib/gpu.test.ts, lib/exact.test.ts).',
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
  JSON.stringify({ pipeline, stages, memory }, null, 2) + '\n',
);
writeFileSync(join('bench/results', `${name}.md`), lines.join('\n') + '\n');
console.log(lines.join('\n'));
