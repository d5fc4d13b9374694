// node cli.mjs IN OUT [--max-width N] [--max-height N] [--quality N] [--format F]
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { ImgpipeError, names, process as processImage } from './imgpipe.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'max-width': { type: 'string', short: 'W' },
    'max-height': { type: 'string', short: 'H' },
    quality: { type: 'string', short: 'q' },
    format: { type: 'string', short: 'f' },
  },
});
const [input, output] = positionals;
if (!input || !output) {
  console.error('usage: node cli.mjs IN OUT [-W width] [-H height] [-q quality] [-f format]');
  process.exit(2);
}
// The output's extension when it names a format (.jpg is JPEG, the default, anyway).
const extension = extname(output).toLowerCase().slice(1);
const byExtension = names.OutputFormat.includes(extension) ? extension : 'jpeg';
const options = { format: values.format ?? byExtension };
if (values['max-width']) options.maxWidth = Number(values['max-width']);
if (values['max-height']) options.maxHeight = Number(values['max-height']);
if (values.quality) options.quality = Number(values.quality);

const bytes = readFileSync(input);
const started = performance.now();
try {
  const out = processImage(bytes, options);
  const ms = performance.now() - started;
  writeFileSync(output, out.image);
  console.log(`${input} -> ${output}: ${out.width}x${out.height} ${out.mimeType}, ${out.image.length} bytes in ${ms.toFixed(1)} ms`);
} catch (e) {
  if (e instanceof ImgpipeError) {
    console.error(`error: ${e.case}: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
