// One contender, one workload, in a process of its own (so that its peak RSS is its own):
//   node peers.mjs <contender> <input> <width> <height> <format> <quality> <iterations> <out>
// Prints one JSON line: medians, output size, peak RSS. Used by run.mjs.

import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [contender, input, w, h, format, q, n, out] = process.argv.slice(2);
const width = Number(w);
const height = Number(h);
const quality = Number(q);
const iterations = Number(n);
const bytes = readFileSync(input);

/** Each contender: a function from input bytes to encoded bytes, with equal settings. */
const contenders = {
  async sharp() {
    const sharp = (await import('sharp')).default;
    sharp.concurrency(1);
    sharp.cache(false);
    return async (buf) => {
      let pipeline = sharp(buf)
        .rotate()
        .resize(width, height, { fit: 'inside', kernel: 'lanczos3', withoutEnlargement: true });
      pipeline = {
        jpeg: () => pipeline.jpeg({ quality }),
        png: () => pipeline.png(),
        webp: () => pipeline.webp({ quality }),
        avif: () => pipeline.avif({ quality }),
      }[format]();
      return pipeline.toBuffer();
    };
  },
  async 'wasm-vips'() {
    const Vips = (await import('wasm-vips')).default;
    const vips = await Vips({ dynamicLibraries: format === 'avif' ? ['vips-heif.wasm'] : [] });
    vips.concurrency(1);
    vips.Cache.max(0);
    return async (buf) => {
      const image = vips.Image.thumbnailBuffer(buf, width, { height, size: vips.Size.down });
      const suffix = { jpeg: '.jpg', png: '.png', webp: '.webp', avif: '.avif' }[format];
      const options = format === 'png' ? {} : { Q: quality };
      const encoded = image.writeToBuffer(suffix, options);
      image.delete();
      return encoded;
    };
  },
  async photon() {
    const photon = await import('@silvia-odwyer/photon-node');
    const lib = photon.default ?? photon;
    if (format === 'avif') throw new Error('photon has no AVIF encoder');
    return async (buf) => {
      const image = lib.PhotonImage.new_from_byteslice(new Uint8Array(buf));
      const scale = Math.min(width / image.get_width(), height / image.get_height(), 1);
      const resized = lib.resize(
        image,
        Math.round(image.get_width() * scale),
        Math.round(image.get_height() * scale),
        lib.SamplingFilter.Lanczos3,
      );
      const encoded = {
        jpeg: () => resized.get_bytes_jpeg(quality),
        png: () => resized.get_bytes(),
        webp: () => resized.get_bytes_webp(),
      }[format]();
      image.free();
      resized.free();
      return encoded;
    };
  },
  async jimp() {
    const { Jimp } = await import('jimp');
    if (format === 'avif' || format === 'webp') throw new Error(`jimp has no ${format} encoder`);
    return async (buf) => {
      const image = await Jimp.read(buf);
      const scale = Math.min(width / image.width, height / image.height, 1);
      image.resize({ w: Math.round(image.width * scale), h: Math.round(image.height * scale) });
      return format === 'jpeg'
        ? image.getBuffer('image/jpeg', { quality })
        : image.getBuffer('image/png');
    };
  },
};

try {
  const run = await contenders[contender]();
  let encoded;
  for (let i = 0; i < 2; i++) encoded = await run(bytes);
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    encoded = await run(bytes);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p) => times[Math.round((times.length - 1) * p)];
  writeFileSync(out, encoded);
  console.log(JSON.stringify({
    engine: contender,
    bytes: encoded.length,
    warm: { median_ms: at(0.5), p95_ms: at(0.95), min_ms: at(0), samples: times.length },
    peak_memory_bytes: process.resourceUsage().maxRSS * 1024,
  }));
} catch (error) {
  console.log(JSON.stringify({ engine: contender, unsupported: String(error.message ?? error) }));
}
