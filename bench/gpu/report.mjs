// Renders the GPU host's decode results (bench/gpu/device-run.sh output: cuda-decode.json with one run per
// decoder configuration, torchvision-decode.json) as JSON + Markdown in bench/results/:
//   node bench/gpu/report.mjs OUT_DIR NAME
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name] = process.argv.slice(2);
const jk = JSON.parse(readFileSync(join(dir, 'cuda-decode.json'), 'utf8'));
const tv = JSON.parse(readFileSync(join(dir, 'torchvision-decode.json'), 'utf8'));
const label = (config) => {
  const decoder = config.decoder ?? 'kernels';
  const rest = Object.entries(config).filter(([k]) => k !== 'decoder');
  return `\`${decoder}\`${rest.length ? ` (${rest.map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`;
};
// One table layout for decode and encode: our images/s against torchvision's per set and batch.
const ratioHeader = [
  '| set | batch | jpegkit images/s | torchvision images/s | jpegkit ÷ torchvision |',
  '| --- | ---: | ---: | ---: | ---: |',
];
const ratioRow = (set, batch, ours, peer) =>
  `| ${set} | ${batch} | ${ours.toFixed(0)} | ${peer.toFixed(0)} | ${(ours / peer).toFixed(2)}× |`;
const lines = [
  `# GPU decode: jpegkit cuda vs torchvision (${tv.gpu})`,
  '',
  `jpegkit: ${jk.device}. torchvision ${tv.torchvision} (torch ${tv.torch}), \`decode_jpeg(list, device='cuda')\`.`,
  "Same photos, same GPU, same job; results stay on the device (jpegkit `location: 'device'`, interleaved RGB).",
  'images/s over back-to-back batches after 3 warm-ups; latency is the median of single-image calls.',
  '',
  'jpegkit decoders (CudaBackendOptions.decoder): `kernels`, the default, is our own GPU Huffman decoder and exact',
  "kernels on the SMs (pixels equal djpeg -dct int's); `nvjpeg` feeds the 7 NVJPG engines through",
  'nvjpegDecodeBatched as torchvision does; `mixed` sends half of a batch to each, at once (pixels then depend on',
  'the route). Progressive photos: with `kernels` and `mixed`, entropy-decoded on the CPU by our own decoder',
  '(scans over up to 8 threads) for the same exact kernels; with `nvjpeg`, nvJPEG hybrid. Spread over the streams.',
  '',
  'The 2560x1600 set mixes baseline and progressive photos (the wallpapers as Debian ships them; its first photo,',
  'which batch 1 and the single-image latency decode, is progressive 4:4:4; torchvision decodes the progressive',
  'ones one after another); the 1080p and 4k sets are baseline 4:2:0 (cjpeg q90).',
  '',
];
const rows = [];
for (const run of jk.runs) {
  lines.push(`## ${label(run.config)}`, '', ...ratioHeader);
  for (const set of run.sets) {
    const peer = tv.sets.find((s) => s.name === set.name);
    for (const b of set.batches) {
      const p = peer.batches.find((x) => x.batch === b.batch);
      const ratio = b.imagesPerSecond / p.imagesPerSecond;
      rows.push({
        config: run.config,
        set: set.name,
        batch: b.batch,
        jpegkit: b.imagesPerSecond,
        torchvision: p.imagesPerSecond,
        ratio,
      });
      lines.push(ratioRow(set.name, b.batch, b.imagesPerSecond, p.imagesPerSecond));
    }
  }
  lines.push(
    '',
    '| set | jpegkit single p50 | torchvision single p50 |',
    '| --- | ---: | ---: |',
    ...run.sets.map((set) => {
      const peer = tv.sets.find((s) => s.name === set.name);
      return `| ${set.name} | ${set.singleP50ms.toFixed(2)} ms | ${peer.singleP50ms.toFixed(2)} ms |`;
    }),
    '',
    `Images per route in this run: ${JSON.stringify(run.routes ?? {})}.`,
    '',
  );
}
lines.push(
  `torchvision encode q90 p50: ${tv.sets.map((s) => `${s.name} ${s.encodeQ90P50ms.toFixed(2)} ms`).join(', ')}.`,
);
const encodeRun = jk.runs.find((run) => run.sets.some((set) => set.encodeBatches));
if (encodeRun && tv.sets.some((s) => s.encodeBatches)) {
  lines.push(
    '',
    '## Encode q90 from device images, batched',
    '',
    'jpegkit `codec.encodeBatch(images, { quality: 90 })` (our encoder: the bytes of cjpeg -dct int; calls',
    'spread over the streams) against torchvision `encode_jpeg(list, quality=90)` on the same photos decoded on the GPU.',
    '',
    ...ratioHeader,
  );
  for (const set of encodeRun.sets) {
    const peer = tv.sets.find((s) => s.name === set.name);
    for (const b of set.encodeBatches ?? []) {
      const p = peer?.encodeBatches?.find((x) => x.batch === b.batch);
      if (!p) continue;
      lines.push(ratioRow(set.name, b.batch, b.imagesPerSecond, p.imagesPerSecond));
    }
  }
}
writeFileSync(
  join('bench/results', `${name}.json`),
  JSON.stringify({ jpegkit: jk, torchvision: tv, ratios: rows }, null, 2) + '\n',
);
writeFileSync(join('bench/results', `${name}.md`), lines.join('\n') + '\n');
// Formatted by prettier afterwards (the lint step checks bench/results): pnpm exec prettier --write bench/results
console.log(lines.join('\n'));
