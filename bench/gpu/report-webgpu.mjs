// Renders bench/gpu/webgpu-bench.mjs results (webgpu vs @jpegkit/wasm on one machine) as JSON + Markdown in
// bench/results/.   node bench/gpu/report-webgpu.mjs WEBGPU.json NAME
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [file, name] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, 'utf8'));
const ms = (v) => `${v.toFixed(1)} ms`;
const x = (v) => `${v.toFixed(2)}×`;
const lines = [
  `# webgpu decode and resize (${r.device})`,
  '',
  'bench/gpu/webgpu-bench.mjs: the webgpu backend (Dawn in Node) against @jpegkit/wasm (libjpeg-turbo, one',
  `thread for one image) on the same machine, same run; medians of ${r.rounds} calls. Every webgpu decode is`,
  "first checked byte for byte against wasm's. 5120×2880 baseline photos (cjpeg -quality 90 -sample 2x2, from the",
  'plasma wallpapers: `scripts/corpus.sh` → .corpus/5k): without restart markers, with one every 4 MCUs, and',
  'with one every MCU row (320 MCUs).',
  '',
  '| photo | restart interval | Huffman on | wasm | webgpu → host | webgpu on GPU | ratio (host) | ratio (on GPU) | webgpu, Huffman in wasm |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...r.decode.map(
    (d) =>
      `| ${basename(d.file, '.jpg')} | ${d.restartInterval || 'none'} | ${d.entropyOnGpu ? 'GPU' : 'wasm'} | ${ms(d.wasmMs)} | ${ms(d.webgpuHostMs)} | ${ms(d.webgpuDeviceMs)} | ${x(d.speedupHost)} | ${x(d.speedupDevice)} | ${ms(d.webgpuWasmEntropyMs)} |`,
  ),
  '',
  'Resize of the decoded image on the GPU (WebGPUImage in, WebGPUImage out, until the queue is done):',
  '',
  '| photo | from | to | filter | time |',
  '| --- | --- | --- | --- | ---: |',
  ...r.resize.map(
    (s) => `| ${basename(s.file, '.jpg')} | ${s.from} | ${s.to} | ${s.filter} | ${ms(s.resizeMs)} |`,
  ),
];
writeFileSync(join('bench/results', `${name}.json`), JSON.stringify(r, null, 2) + '\n');
writeFileSync(join('bench/results', `${name}.md`), lines.join('\n') + '\n');
console.log(lines.join('\n'));
