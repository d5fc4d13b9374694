// The whole benchmark in one run, on the same inputs and options: the imgpipe component in
// wasmtime (warm, instantiate, fresh process), the same pipeline compiled natively, and the peers
// (sharp, wasm-vips, photon, jimp); then the component and sharp again in alternating process
// pairs, whose ratios the targets are judged by. Writes results/results.json,
// results/results.md (the tables) and results/chart.svg.
//
// Run with: bench/setup && bench/run   (or: node bench/run.mjs [--quick] after bench/setup)

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const fixtures = resolve(root, 'test-host/tests/images/sharp');
const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/imgpipe-target');
const imgpipe = join(target, 'release/imgpipe');
const work = join(here, 'work');
const results = join(here, 'results');
const quick = process.argv.includes('--quick');
mkdirSync(work, { recursive: true });
mkdirSync(results, { recursive: true });

execFileSync('cargo', ['build', '--release', '--locked', '-p', 'imgpipe'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CARGO_TARGET_DIR: target },
});

// The larger inputs, made reproducibly from sharp's benchmark photo by our own CLI: W2's 12
// megapixels and the 2560x1600 photo of W7 and W8; and W6's progressive 5640x3172 (18 MP, the
// size of a recent phone's photo), enlarged, given a camera's grain, and written by libvips.
const w1 = join(fixtures, '2569067123_aca715a2ee_o.jpg');
function made(name, args) {
  const file = join(work, name);
  if (!existsSync(file)) execFileSync(imgpipe, ['process', w1, '-o', file, '--fit', 'fill', '--allow-enlarge', ...args]);
  return file;
}
const w2 = made('w2-4000x3000.jpg', ['-W', '4000', '-H', '3000', '-q', '92']);
const w6 = join(work, 'w6-5640x3172-progressive.jpg');
if (!existsSync(w6)) await grainy(made('w6-5640x3172.png', ['-W', '5640', '-H', '3172']), w6);
const w7 = made('w7-2560x1600.jpg', ['-W', '2560', '-H', '1600', '-q', '92']);

const n = quick ? 5 : 20;
// Fresh instances timed for the cold figures: a p99 needs a few hundred samples, and W1 is
// cheap enough to give them.
const cold = quick ? n : 200;
// Each workload's `pairs`: how many alternating process pairs of the component and sharp it
// gets side by side, and how many warm calls each side makes in a pair (about 2-15 s a pair).
const workloads = [
  { id: 'W1', what: "sharp's benchmark, 2725x2225 JPEG to 720x588 JPEG q80", input: w1, w: 720, h: 588, format: 'jpeg', q: 80, n, cold, pairs: [8, 20] },
  { id: 'W2', what: '12 MP JPEG to fit 1920x1080, JPEG q85', input: w2, w: 1920, h: 1080, format: 'jpeg', q: 85, n: Math.ceil(n / 2), pairs: [6, 6] },
  { id: 'W3', what: '2048x1536 RGBA PNG to 720x540 PNG', input: join(fixtures, 'alpha-premultiply-2048x1536-paper.png'), w: 720, h: 540, format: 'png', q: 80, n, pairs: [8, 10] },
  { id: 'W4', what: 'W1 to WebP q80', input: w1, w: 720, h: 588, format: 'webp', q: 80, n, pairs: [8, 10] },
  { id: 'W5', what: 'W1 to AVIF q50 (sharp\'s default quality)', input: w1, w: 720, h: 588, format: 'avif', q: 50, n: quick ? 2 : 5, pairs: [4, 2] },
  // Real sizes, against sharp alone (the other peers take minutes here).
  { id: 'W6', what: 'progressive 5640x3172 JPEG to fit 1920x1080, JPEG q85', input: w6, w: 1920, h: 1080, format: 'jpeg', q: 85, n: quick ? 2 : 5, only: ['sharp'], pairs: [6, 3] },
  // Quality numbers mean different things to rav1e and libaom: ours is set to the highest whose
  // file is no larger than sharp's at its default q50, so both spend the same bytes.
  { id: 'W7', what: '2560x1600 photo to fit 1920x1080, AVIF, at sharp\'s q50 file size', input: w7, w: 1920, h: 1080, format: 'avif', q: 50, n: quick ? 1 : 3, only: ['sharp'], sameBytesAs: 'sharp', pairs: [3, 1] },
  { id: 'W8', what: '2560x1600 photo to fit 1920x1080, WebP q80', input: w7, w: 1920, h: 1080, format: 'webp', q: 80, n: quick ? 2 : 5, only: ['sharp'], pairs: [8, 4] },
];
const peers = ['sharp', 'wasm-vips', 'photon', 'jimp'];
// The component without its per-call time limit: what the epoch checks cost.
const unlimited = 'imgpipe (wasm, no time limit)';

/** `imgpipe bench` on one workload; `extra`: [] (the component as shipped, with its 30 s time
 * limit), ['--no-time-limit'] (no epoch checks) or ['--native']. */
function ours(wl, extra, out) {
  const args = ['bench', wl.input, '-W', wl.w, '-H', wl.h, '-q', wl.q, '-f', wl.format, '-n', wl.n, '--json', '--output', out, ...extra];
  if (extra.length === 0) args.push('--cold', wl.cold ?? wl.n);
  return JSON.parse(execFileSync(imgpipe, args.map(String)).toString());
}

/** A fresh process that loads the cached .cwasm and answers one call: wall time, median. */
function freshProcess(wl, out) {
  const args = ['process', wl.input, '-o', out, '-W', wl.w, '-H', wl.h, '-q', wl.q, '-f', wl.format].map(String);
  execFileSync(imgpipe, args); // makes sure the .cwasm cache is current
  const times = [];
  for (let i = 0; i < Math.max(5, Math.ceil(wl.n / 2)); i++) {
    const start = performance.now();
    execFileSync(imgpipe, args);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** `input` with seeded noise of +-12 levels (an enlarged photo alone is smoother than a camera's,
 * and far cheaper to decode), as a progressive JPEG q90. */
async function grainy(input, output) {
  const { data, info } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let seed = 7;
  for (let i = 0; i < data.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = Math.max(0, Math.min(255, data[i] + ((seed >>> 16) % 25) - 12));
  }
  await sharp(data, { raw: info }).jpeg({ quality: 90, progressive: true }).toFile(output);
}

/** The highest quality whose output of `wl` is at most `bytes` long (a binary search over
 * 1-100 with our CLI: 7 encodes). */
function qualityForBytes(wl, bytes) {
  const out = join(work, `${wl.id}-search.${wl.format}`);
  let [low, high, best] = [1, 100, 1];
  while (low <= high) {
    const q = Math.floor((low + high) / 2);
    execFileSync(imgpipe, ['process', wl.input, '-o', out, '-W', wl.w, '-H', wl.h, '-q', q, '-f', wl.format].map(String));
    if (readFileSync(out).length <= bytes) {
      best = q;
      low = q + 1;
    } else {
      high = q - 1;
    }
  }
  return best;
}

function peer(name, wl, out) {
  const args = [join(here, 'peers.mjs'), name, wl.input, wl.w, wl.h, wl.format, wl.q, wl.n, out].map(String);
  return JSON.parse(execFileSync(process.execPath, args, { cwd: here }).toString());
}

/** The median: the middle value, or the mean of the two middle ones. */
function middle(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

/** Alternating process pairs of the component as shipped and sharp on one workload (at quality
 * `q`), each pair's ratio of median and of fastest warm calls. The table's contenders run up
 * to minutes apart, and on a shared machine a slow minute can move one side's median by half;
 * within a pair they run seconds apart, and the side that goes first alternates, so a machine
 * speeding up or slowing down favours neither. */
function sideBySide(wl, q) {
  const [count, calls] = quick ? [3, Math.min(wl.pairs[1], 3)] : wl.pairs;
  const pairWl = { ...wl, q, n: calls, cold: 1 };
  const component = () => ours(pairWl, [], join(work, `${wl.id}-pair.${wl.format}`));
  const sharpPair = () => peer('sharp', pairWl, join(work, `${wl.id}-pair-sharp.${wl.format}`));
  const byMedian = [];
  const byFastest = [];
  for (let i = 0; i < count; i++) {
    let mine;
    let theirs;
    if (i % 2 === 0) {
      mine = component();
      theirs = sharpPair();
    } else {
      theirs = sharpPair();
      mine = component();
    }
    byMedian.push(mine.warm.median_ms / theirs.warm.median_ms);
    byFastest.push(mine.warm.min_ms / theirs.warm.min_ms);
  }
  return {
    workload: wl.id, pairs: count, calls, ratios: byMedian, fastest_ratios: byFastest,
    median: middle(byMedian), low: Math.min(...byMedian), high: Math.max(...byMedian), fastest: middle(byFastest),
  };
}

async function rgb(input) {
  return sharp(input).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

/** PSNR of an output against a lossless reference resize (libvips Lanczos3 from a full decode). */
async function psnr(outFile, reference) {
  let { data, info } = await rgb(readFileSync(outFile));
  if (info.width !== reference.info.width || info.height !== reference.info.height) {
    ({ data, info } = await sharp(readFileSync(outFile)).flatten({ background: '#ffffff' }).removeAlpha()
      .resize(reference.info.width, reference.info.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true }));
  }
  let se = 0;
  for (let i = 0; i < data.length; i++) se += (data[i] - reference.data[i]) ** 2;
  const mse = se / data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

const rows = [];
const pairs = [];
for (const wl of workloads) {
  console.error(`${wl.id}: ${wl.what}`);
  const reference = await rgb(await sharp(wl.input).rotate()
    .resize(wl.w, wl.h, { fit: 'inside', kernel: 'lanczos3', fastShrinkOnLoad: false, withoutEnlargement: true })
    .png().toBuffer());
  const entries = [];
  const out = (name) => join(work, `${wl.id}-${name}.${wl.format}`);
  const others = wl.only ?? peers;
  for (const name of others) entries.push([name, peer(name, wl, out(name)), out(name)]);
  // Ours at the same file size as a peer's, where quality scales differ.
  const ourWl = wl.sameBytesAs
    ? { ...wl, q: qualityForBytes(wl, entries.find(([name]) => name === wl.sameBytesAs)[1].bytes) }
    : wl;
  if (ourWl !== wl) console.error(`  imgpipe quality ${ourWl.q}: no more bytes than ${wl.sameBytesAs}'s q${wl.q}`);
  const component = ours(ourWl, [], out('imgpipe'));
  component.fresh_process_ms = freshProcess(ourWl, join(work, `${wl.id}-fresh.${wl.format}`));
  component.quality = ourWl.q;
  entries.unshift(['imgpipe (wasm)', component, out('imgpipe')]);
  if (!wl.only) {
    entries.splice(1, 0, [unlimited, ours(wl, ['--no-time-limit'], out('unlimited')), out('unlimited')]);
    entries.splice(2, 0, ['imgpipe (native)', ours(wl, ['--native'], out('native')), out('native')]);
  }
  const sharpMedian = entries.find(([name]) => name === 'sharp')[1].warm?.median_ms;
  for (const [name, r, file] of entries) {
    const row = { workload: wl.id, what: wl.what, contender: name, ...r };
    if (!r.unsupported) {
      row.psnr_db = await psnr(file, reference);
      row.ratio_to_sharp = r.warm.median_ms / sharpMedian;
    }
    rows.push(row);
    console.error(`  ${name.padEnd(18)} ${r.unsupported ? r.unsupported : `${r.warm.median_ms.toFixed(1)} ms`}`);
  }
  const pair = sideBySide(wl, ourWl.q);
  pairs.push(pair);
  console.error(`  side by side       ${pair.median.toFixed(2)}x by the median of ${pair.pairs} pairs`);
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`;
const date = new Date().toISOString().slice(0, 10);
writeFileSync(join(results, 'results.json'), JSON.stringify({ date, machine, rows, side_by_side: pairs }, null, 2));

const mib = (b) => (b / 2 ** 20).toFixed(1);
const lines = [
  `Measured ${date} on ${machine}, Node ${process.version}; medians of ${n} warm calls (W2 ${Math.ceil(n / 2)}, W5, W6 and W8 ${quick ? 2 : 5}, W7 ${quick ? 1 : 3}).`,
  'W6-W8 are compared with sharp alone; W7\'s imgpipe quality is the highest giving no more bytes than sharp\'s q50 (shown after the contender).',
  'Peak memory: the component\'s linear memory; peak RSS of the process for the others.',
  'PSNR: against a lossless libvips Lanczos3 resize of a full decode, alpha flattened onto white.',
  '"imgpipe (wasm)" is the component as shipped, with its 30 s per-call time limit (epoch checks on every loop); "no time limit" is `imgpipe bench --no-time-limit`.',
  '',
  '| Workload | Contender | Median | p95 | vs sharp | Peak memory | Bytes | PSNR |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const r of rows) {
  if (r.unsupported) {
    lines.push(`| ${r.workload} | ${r.contender} | n/a | | | | | ${r.unsupported} |`);
    continue;
  }
  const contender = r.quality !== undefined && r.workload === 'W7' ? `${r.contender}, q${r.quality}` : r.contender;
  lines.push(`| ${r.workload} | ${contender} | ${r.warm.median_ms.toFixed(1)} ms | ${r.warm.p95_ms.toFixed(1)} ms | ${r.ratio_to_sharp.toFixed(2)}x | ${mib(r.peak_memory_bytes)} MiB | ${r.bytes} | ${r.psnr_db.toFixed(2)} dB |`);
}
const coldRows = rows.filter((r) => r.contender === 'imgpipe (wasm)');
lines.push('', '| Workload | Fresh instances | Instantiate p50 | Instantiate p99 | First call p50 | Fresh process, first call (wall) |', '| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of coldRows) {
  lines.push(`| ${r.workload} | ${r.instantiate.samples} | ${(r.instantiate.median_ms * 1000).toFixed(0)} µs | ${(r.instantiate.p99_ms * 1000).toFixed(0)} µs | ${r.first_call.median_ms.toFixed(1)} ms | ${r.fresh_process_ms.toFixed(1)} ms |`);
}
lines.push(
  '',
  'Side by side: alternating process pairs of `imgpipe bench <input> ... -n <calls> --cold 1` and `node bench/peers.mjs sharp <input> ... <calls>`, the component as shipped.',
  '',
  '| Workload | Pairs | Warm calls each | By the median: median of the pairs | Range | By the fastest call: median |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
);
for (const p of pairs) {
  lines.push(`| ${p.workload} | ${p.pairs} | ${p.calls} | ${p.median.toFixed(2)}x | ${p.low.toFixed(2)}-${p.high.toFixed(2)}x | ${p.fastest.toFixed(2)}x |`);
}
writeFileSync(join(results, 'results.md'), `${lines.join('\n')}\n`);
writeFileSync(join(results, 'chart.svg'), chart(rows, `${date}, ${machine}`));
console.log(lines.join('\n'));

/** Horizontal bars of each contender's median time relative to sharp, one group per workload. */
function chart(rows, caption) {
  const names = ['imgpipe (wasm)', unlimited, 'imgpipe (native)', ...peers];
  const colours = ['#1f77b4', '#6baed6', '#aec7e8', '#d62728', '#ff7f0e', '#2ca02c', '#9467bd'];
  const max = 4;
  const barH = 12;
  const groupH = names.length * barH + 18;
  const left = 190;
  const width = 760;
  const plotW = width - left - 170;
  const height = workloads.length * groupH + 70;
  const x = (ratio) => left + (Math.min(ratio, max) / max) * plotW;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="16" font-size="13">Median time relative to sharp (lower is faster; bars clipped at ${max}x)</text>`,
  ];
  for (let t = 0; t <= max; t++) {
    parts.push(`<line x1="${x(t)}" y1="26" x2="${x(t)}" y2="${height - 30}" stroke="${t === 1 ? '#000' : '#ddd'}"/>`);
    parts.push(`<text x="${x(t)}" y="${height - 18}" text-anchor="middle">${t}x</text>`);
  }
  workloads.forEach((wl, g) => {
    const top = 30 + g * groupH;
    parts.push(`<text x="4" y="${top + 10}" font-weight="bold">${wl.id} (${wl.format})</text>`);
    names.forEach((name, i) => {
      const r = rows.find((row) => row.workload === wl.id && row.contender === name);
      const y = top + 14 + i * barH;
      parts.push(`<text x="${left - 6}" y="${y + 9}" text-anchor="end">${name}</text>`);
      if (!r || r.unsupported) {
        parts.push(`<text x="${left + 4}" y="${y + 9}" fill="#888">${r ? 'not supported' : 'not run'}</text>`);
        return;
      }
      parts.push(`<rect x="${left}" y="${y}" width="${x(r.ratio_to_sharp) - left}" height="${barH - 2}" fill="${colours[i]}"/>`);
      parts.push(`<text x="${x(r.ratio_to_sharp) + 4}" y="${y + 9}">${r.ratio_to_sharp.toFixed(2)}x (${r.warm.median_ms.toFixed(1)} ms)</text>`);
    });
  });
  parts.push(`<text x="${left}" y="${height - 4}" fill="#555">${caption}</text>`, '</svg>');
  return parts.join('\n');
}
