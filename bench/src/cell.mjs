// One measurement in its own process: a contender × workload × mode over the chosen images. Started by
// run.mjs with fork(); says 'ready' once loaded and warmed up, waits for 'go' (so copies run side by side
// start together), measures, sends 'result' and exits.
//
// After a short warm-up, the timed loop runs whole passes over the images (every contender sees the same mix) until the target
// time has passed, with `lanes` jobs in flight.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import { CONTENDERS } from './contenders.mjs';
import { readPpm } from './corpus.mjs';

const MiB = 1024 * 1024;
const spec = JSON.parse(process.argv[2]);
const { contender, workload, mode, images, lanes, targetSeconds } = spec;

function send(message) {
  return new Promise((resolve) => process.send(message, resolve));
}

function waitForGo() {
  return new Promise((resolve) => {
    process.once('message', (m) => {
      if (m === 'go') resolve();
    });
  });
}

function gc() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

/** Fails loudly when a contender returns something that is not the asked-for result. */
function checkOutput(out, input) {
  const bytes = ArrayBuffer.isView(out) ? out : out instanceof ArrayBuffer ? new Uint8Array(out) : out?.data;
  if (!ArrayBuffer.isView(bytes)) {
    throw new Error(`${contender} ${workload}: no pixel or JPEG bytes in the result`);
  }
  if (workload === 'decode') {
    if (bytes.length < input.width * input.height) {
      throw new Error(`${contender} decode: ${bytes.length} bytes for ${input.width}×${input.height}`);
    }
  } else if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new Error(`${contender} ${workload}: the output is not a JPEG`);
  }
}

async function runJs() {
  const def = CONTENDERS[contender];
  const inputs = images.map((img) => ({
    name: img.name,
    width: img.width,
    height: img.height,
    bytes: fs.readFileSync(img.file),
    rgb: workload === 'encode' ? readPpm(img.ppm) : undefined,
  }));
  const adapter = def.make();
  adapter.prepare(inputs, workload);
  gc();
  const inputsRss = process.memoryUsage().rss;
  const device = await adapter.init(mode);
  const run = (input) => adapter[workload](input);

  // Warm-up: the two largest images (JIT and wasm tiers, pools and heaps grown to size).
  const largest = [...inputs].sort((a, b) => b.width * b.height - a.width * a.height).slice(0, 2);
  for (const input of largest) checkOutput(await run(input), input);
  gc();

  await send({ type: 'ready', device });
  await waitForGo();

  const n = inputs.length;
  const latencies = [];
  let next = 0;
  let passes = 1;
  let pixels = 0;
  const t0 = performance.now();
  const targetMs = targetSeconds * 1000;
  const lane = async () => {
    for (;;) {
      if (next >= passes * n) {
        if (performance.now() - t0 < targetMs) passes++;
        else return;
      }
      const first = next < n; // every output of the first pass is checked (a few byte reads, after the clock)
      const input = inputs[next++ % n];
      const start = performance.now();
      const out = await run(input);
      latencies.push(performance.now() - start);
      if (first) checkOutput(out, input);
      pixels += input.width * input.height;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const seconds = (performance.now() - t0) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  await adapter.close();
  return {
    device,
    jobs: latencies.length,
    passes,
    seconds,
    mpps: pixels / 1e6 / seconds,
    ips: latencies.length / seconds,
    latencies,
    peakRssMiB: peakRss / MiB,
    inputsRssMiB: inputsRss / MiB,
  };
}

/** Parses tjbench -quiet's result row: [compress MP/s or null, decompress MP/s or null]. */
export function parseTjbench(stdout) {
  const row = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(RGB|BGR|Gray)/.test(l))
    .pop();
  if (!row) throw new Error(`tjbench: no result row in its output:\n${stdout}`);
  const cells = row.split(/\s+/);
  const num = (s) => (s === 'N/A' ? null : Number(s));
  return { comp: num(cells[cells.length - 3]), decomp: num(cells[cells.length - 1]) };
}

function tjbenchVersion() {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libjpeg-turbo-progs'], { encoding: 'utf8' });
  return r.status === 0 ? `libjpeg-turbo-progs ${r.stdout.trim()}` : 'tjbench';
}

async function runTjbench() {
  const time = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const device = `${tjbenchVersion()}, -rgb, one process`;
  await send({ type: 'ready', device });
  await waitForGo();

  // tjbench runs its own warm-up and timing loop per image; the target time is shared among the images.
  const benchtime = Math.max(0.2, targetSeconds / images.length).toFixed(2);
  const latencies = [];
  let seconds = 0;
  let pixels = 0;
  let peakKiB = 0;
  for (const img of images) {
    const args = ['-rgb', '-quiet', '-nowrite', '-benchtime', benchtime, '-warmup', '0.1'];
    // tjbench's MP/s counts the source image's pixels, scaled decode (-scale) included.
    const perImagePixels = img.width * img.height;
    if (workload === 'encode') args.unshift(img.ppm, '90', '-subsamp', '420', '-componly');
    else args.unshift(img.file);
    if (workload === 'thumbnail') args.push('-scale', '1/4');
    const cmd = time ? [time, '-f', 'maxrss=%M', 'tjbench', ...args] : ['tjbench', ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tjbench ${args.join(' ')} failed: ${r.stderr}`);
    const rate = parseTjbench(r.stdout)[workload === 'encode' ? 'comp' : 'decomp'];
    if (!rate) throw new Error(`tjbench gave no rate for ${img.name}`);
    const perImageSeconds = perImagePixels / 1e6 / rate;
    latencies.push(perImageSeconds * 1000);
    seconds += perImageSeconds;
    pixels += img.width * img.height;
    const rss = /maxrss=(\d+)/.exec(r.stderr);
    if (rss) peakKiB = Math.max(peakKiB, Number(rss[1]));
  }
  return {
    device,
    jobs: images.length,
    passes: 1,
    seconds,
    mpps: pixels / 1e6 / seconds,
    ips: images.length / seconds,
    latencies,
    peakRssMiB: peakKiB ? peakKiB / 1024 : null,
    inputsRssMiB: null,
  };
}

if (process.send) {
  try {
    const def = CONTENDERS[contender];
    if (!def) throw new Error(`unknown contender ${contender}`);
    const result = def.kind === 'tjbench' ? await runTjbench() : await runJs();
    await send({ type: 'result', result: { ...result, loadavg: os.loadavg() } });
    process.exit(0);
  } catch (error) {
    await send({ type: 'error', message: error?.stack ?? String(error) });
    process.exit(1);
  }
}
