// jpegkit benchmark harness: jpegkit's wasm backend against sharp, @jsquash/jpeg, cornerstone's
// libjpeg-turbo wasm, jpeg-js and native tjbench, measured in one run, interleaved, each in its own process.
//
// usage: node --expose-gc src/run.mjs [--set full|full-all|1080p|4k] [--quick] [--rounds N] [--time S]
//          [--workloads decode,encode,thumbnail] [--modes 1-core,all-cores] [--contenders a,b,...]
//          [--jobs N] [--name NAME] [--out DIR] | --render results/NAME.json
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONTENDERS, CORES } from './contenders.mjs';
import { SETS, listImages, rgbPpm } from './corpus.mjs';
import { addRatios, summarise, writeReport } from './report.mjs';

const WORKLOADS = ['decode', 'encode', 'thumbnail'];
const MODES = ['1-core', 'all-cores'];

// `pnpm run bench -- --set 4k` hands the script a lone `--` first; parseArgs would stop reading options there.
const argv = process.argv.slice(2);
const { values: opts } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    set: { type: 'string', default: 'full' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    time: { type: 'string' },
    images: { type: 'string' },
    workloads: { type: 'string', default: WORKLOADS.join(',') },
    modes: { type: 'string', default: MODES.join(',') },
    contenders: { type: 'string', default: Object.keys(CONTENDERS).join(',') },
    jobs: { type: 'string', default: String(CORES) },
    name: { type: 'string' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, '../results') },
    render: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (opts.render) {
  // Re-renders the Markdown (and reformats the JSON) of an earlier run, e.g. after changing the report.
  const report = JSON.parse(fs.readFileSync(opts.render, 'utf8'));
  const files = await writeReport(path.dirname(path.resolve(opts.render)), report);
  console.error(`bench: wrote ${files.join(', ')}`);
  process.exit(0);
}

if (opts.help) {
  console.log(
    fs
      .readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .slice(3, 6)
      .join('\n')
      .replace(/\/\/ ?/g, ''),
  );
  process.exit(0);
}

function list(value, allowed, what) {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items)
    if (!allowed.includes(item)) throw new Error(`unknown ${what} "${item}" (${allowed.join(', ')})`);
  return items;
}

const workloads = list(opts.workloads, WORKLOADS, 'workload');
const modes = list(opts.modes, MODES, 'mode');
const contenders = list(opts.contenders, Object.keys(CONTENDERS), 'contender');
const rounds = Number(opts.rounds ?? (opts.quick ? 2 : 3));
const targetSeconds = Number(opts.time ?? (opts.quick ? 1 : 2));
const lanes = Number(opts.jobs);
const limit = Number(opts.images ?? (opts.quick ? 3 : Infinity));
const name = opts.name ?? `${opts.set}${opts.quick ? '-quick' : ''}`;

const images = listImages(opts.set, limit);
if (workloads.includes('encode')) for (const img of images) img.ppm = rgbPpm(img);

function cpuModel() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const flags = /^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1].split(' ') ?? [];
    const simd = ['avx512f', 'avx2', 'sse4_2'].find((f) => flags.includes(f));
    return simd ? `${cpu} (${simd})` : cpu;
  } catch {
    return cpu;
  }
}

function osName() {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    return `${pretty ?? os.type()} ${os.arch()}`;
  } catch {
    return `${os.type()} ${os.release()} ${os.arch()}`;
  }
}

/** Starts `copies` children for one cell, lets them warm up, starts them together, collects their results. */
async function runCopies(contender, workload, mode, copies, cellLanes) {
  const def = CONTENDERS[contender];
  const spec = { contender, workload, mode, images, lanes: cellLanes, targetSeconds };
  const env = { ...process.env, ...(def.env?.(mode) ?? {}) };
  const children = Array.from({ length: copies }, () =>
    fork(path.join(import.meta.dirname, 'cell.mjs'), [JSON.stringify(spec)], {
      execArgv: ['--expose-gc'],
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const outcome = (child) =>
    new Promise((resolve, reject) => {
      let ready = false;
      let result;
      child.on('message', (m) => {
        if (m.type === 'ready') {
          ready = true;
          child.emit('ready-for-go', m.device);
        } else if (m.type === 'result') result = m.result;
        else if (m.type === 'error') reject(new Error(`${contender} ${workload} ${mode}: ${m.message}`));
      });
      child.on('exit', (code) => {
        if (result) resolve(result);
        else
          reject(
            new Error(
              `${contender} ${workload} ${mode}: child exited with ${code}${ready ? '' : ' before ready'}`,
            ),
          );
      });
    });
  const results = children.map(outcome);
  const readies = children.map((child) => new Promise((resolve) => child.once('ready-for-go', resolve)));
  // A child that fails before 'ready' rejects its outcome; race so that the failure is not a hang.
  await Promise.race([Promise.all(readies), Promise.all(results)]);
  for (const child of children) child.send('go');
  return Promise.all(results);
}

const meta = {
  name,
  date: new Date().toISOString(),
  cpu: cpuModel(),
  cores: CORES,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  os: osName(),
  node: process.version,
  set: opts.set,
  corpusAbout: SETS[opts.set].about,
  images: images.map(({ name: n, width, height, bytes, subsampling, progressive }) => ({
    name: n,
    width,
    height,
    bytes,
    subsampling,
    progressive,
  })),
  totalMP: images.reduce((s, i) => s + (i.width * i.height) / 1e6, 0),
  rounds,
  targetSeconds,
  lanes,
  loadStart: os.loadavg(),
};

console.error(
  `bench: ${name}: ${images.length} images from .corpus/${SETS[opts.set].dir}, ${rounds} rounds × ≥${targetSeconds} s, ` +
    `${CORES} cores, load ${os.loadavg()[0].toFixed(2)}`,
);

const tables = [];
for (const workload of workloads) {
  for (const mode of modes) {
    const active = contenders.filter((c) => CONTENDERS[c].workloads.includes(workload));
    const skipped = contenders.filter((c) => !active.includes(c)).map((c) => CONTENDERS[c].label);
    const cells = new Map(active.map((c) => [c, { contender: c, rounds: [], device: '', setup: '' }]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...active].reverse() : active;
      for (const contender of order) {
        const def = CONTENDERS[contender];
        const parallel = mode === 'all-cores' && def.allCores === 'processes';
        const copies = parallel ? CORES : 1;
        const cellLanes = mode === 'all-cores' && def.allCores === 'in-process' ? lanes : 1;
        const started = performance.now();
        const results = await runCopies(contender, workload, mode, copies, cellLanes);
        const cell = cells.get(contender);
        cell.rounds.push(results);
        cell.device = results[0].device;
        const how =
          def.describe?.(mode) ?? (parallel ? `${copies} processes side by side` : 'one job at a time');
        cell.setup = mode === 'all-cores' && cellLanes > 1 ? `${how}, ${cellLanes} jobs in flight` : how;
        const mpps = results.reduce((s, r) => s + r.mpps, 0);
        console.error(
          `  ${workload.padEnd(9)} ${mode.padEnd(9)} round ${round + 1}/${rounds} ${contender.padEnd(11)} ` +
            `${mpps.toFixed(1).padStart(7)} MP/s  (${((performance.now() - started) / 1000).toFixed(1)} s, load ${os.loadavg()[0].toFixed(2)})`,
        );
      }
    }
    const rows = addRatios([...cells.values()].map(summarise));
    tables.push({ workload, mode, rows, skipped });
  }
}

meta.loadEnd = os.loadavg();
const files = await writeReport(opts.out, { meta, tables });
console.error(`bench: wrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
