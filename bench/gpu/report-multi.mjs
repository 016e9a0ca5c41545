// Renders a multi-GPU run (bench/gpu/cuda-decode.mjs with BENCH_CONFIGS [{}, {"devices":"all"}] and
// bench/gpu/cuda-pipeline.mjs once per config, its reports appended to pipeline-x2.jsonl) into bench/results/.
//   node bench/gpu/report-multi.mjs OUT_DIR NAME
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name] = process.argv.slice(2);
const decode = JSON.parse(readFileSync(join(dir, 'decode-x2.json'), 'utf8'));
const pipelines = readFileSync(join(dir, 'pipeline-x2.jsonl'), 'utf8')
  .split(/(?<=\})\s*(?=\{\s*"device")/)
  .map((text) => JSON.parse(text));
const [one, all] = decode.runs;
const lines = [
  `# Multi-GPU pool (${decode.device})`,
  '',
  "The cuda backend with `devices: 'all'` against one GPU, same host, same run: batches are shared out over the",
  'GPUs (the hardware-decodable images evenly, in one native call per GPU), pipelines take turns.',
  '',
  '| set | batch | 1 GPU images/s | all GPUs images/s | scaling |',
  '| --- | ---: | ---: | ---: | ---: |',
];
for (const set of all.sets) {
  const base = one.sets.find((s) => s.name === set.name);
  set.batches.forEach((b, i) => {
    const a = base.batches[i].imagesPerSecond;
    lines.push(
      `| ${set.name} | ${b.batch} | ${a.toFixed(0)} | ${b.imagesPerSecond.toFixed(0)} | ${(b.imagesPerSecond / a).toFixed(2)}× |`,
    );
  });
}
lines.push('', 'Pipeline 1080p → 960×540 lanczos3 → sharpen → q90 (bench/gpu/cuda-pipeline.mjs):', '');
lines.push(
  '| GPUs | single p50 | 8 in flight | 32 | 128 | 512 |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
);
for (const p of pipelines) {
  const rate = (n) => p.concurrent.find((c) => c.inFlight === n).imagesPerSecond.toFixed(0);
  lines.push(
    `| ${p.device.split(' (')[0]} | ${p.single.p50ms.toFixed(2)} ms | ${rate(8)} | ${rate(32)} | ${rate(128)} | ${rate(512)} |`,
  );
}
writeFileSync(join('bench/results', `${name}.json`), JSON.stringify({ decode, pipelines }, null, 2) + '\n');
writeFileSync(join('bench/results', `${name}.md`), lines.join('\n') + '\n');
console.log(lines.join('\n'));
