// Renders the GPU host's decode results (bench/gpu/device-run.sh output) as JSON + Markdown in bench/results/:
//   node bench/gpu/report.mjs OUT_DIR NAME
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name] = process.argv.slice(2);
const jk = JSON.parse(readFileSync(join(dir, 'cuda-decode.json'), 'utf8'));
const tv = JSON.parse(readFileSync(join(dir, 'torchvision-decode.json'), 'utf8'));
const run = jk.runs[0];
const lines = [
  `# GPU decode: jpegkit cuda vs torchvision (${tv.gpu})`,
  '',
  `jpegkit: ${jk.device}. torchvision ${tv.torchvision} (torch ${tv.torch}), \`decode_jpeg(list, device='cuda')\`.`,
  "Same photos, same GPU, same job; results stay on the device (jpegkit `location: 'device'`, interleaved RGB).",
  'images/s over ≥ 2 s of back-to-back batches after 3 warm-ups; latency is the median of single-image calls.',
  '',
  'The 2560x1600 set mixes baseline and progressive photos (the wallpapers as Debian ships them): jpegkit sends the',
  'baseline ones to the hardware engines in one batch and spreads the progressive ones over its streams, while',
  'torchvision decodes those one after another. The 1080p and 4k sets are baseline 4:2:0 (cjpeg q90): there both',
  'feed the same 7 NVJPG engines through nvjpegDecodeBatched, which bounds them alike.',
  '',
  '| set | batch | jpegkit images/s | torchvision images/s | jpegkit ÷ torchvision |',
  '| --- | ---: | ---: | ---: | ---: |',
];
const rows = [];
for (const set of run.sets) {
  const peer = tv.sets.find((s) => s.name === set.name);
  for (const b of set.batches) {
    const p = peer.batches.find((x) => x.batch === b.batch);
    const ratio = b.imagesPerSecond / p.imagesPerSecond;
    rows.push({
      set: set.name,
      batch: b.batch,
      jpegkit: b.imagesPerSecond,
      torchvision: p.imagesPerSecond,
      ratio,
    });
    lines.push(
      `| ${set.name} | ${b.batch} | ${b.imagesPerSecond.toFixed(0)} | ${p.imagesPerSecond.toFixed(0)} | ${ratio.toFixed(2)}× |`,
    );
  }
}
lines.push(
  '',
  '| set | jpegkit single p50 | torchvision single p50 | torchvision encode q90 p50 |',
  '| --- | ---: | ---: | ---: |',
);
for (const set of run.sets) {
  const peer = tv.sets.find((s) => s.name === set.name);
  lines.push(
    `| ${set.name} | ${set.singleP50ms.toFixed(2)} ms | ${peer.singleP50ms.toFixed(2)} ms | ${peer.encodeQ90P50ms.toFixed(2)} ms |`,
  );
}
writeFileSync(
  join('bench/results', `${name}.json`),
  JSON.stringify({ jpegkit: jk, torchvision: tv, ratios: rows }, null, 2) + '\n',
);
writeFileSync(join('bench/results', `${name}.md`), lines.join('\n') + '\n');
// Formatted by prettier afterwards (the lint step checks bench/results): pnpm exec prettier --write bench/results
console.log(lines.join('\n'));
