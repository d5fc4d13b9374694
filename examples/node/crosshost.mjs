// Cross-host check: process each case of a JSON file with the Node host and write the result.
//
//   node crosshost.mjs cases.json OUTDIR
//
// Each case is {name, input, format, options: {python_style_key: value}}; options are renamed to
// the WIT camelCase. A result goes to OUTDIR/<name>.out (the image) and OUTDIR/<name>.json (its
// size, format and media type, and what `inspect` says of the input); an error to
// OUTDIR/<name>.error (the WIT case) and OUTDIR/<name>.message. Last, the instance's `stats` go
// to OUTDIR/stats.json. Record fields are written in snake_case, u64s as numbers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// By the package's name: here (Node resolves a package's own name) and in a project that
// installed the packed tarball, which is how the cross-host test runs it.
import { ImgpipeError, inspect, process as processImage, stats } from 'imgpipe';

const [casesPath, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
// A record (nested, in lists too) with snake_case keys and its u64s (BigInt) as numbers.
const plain = (v) =>
  typeof v === 'bigint'
    ? Number(v)
    : Array.isArray(v)
      ? v.map(plain)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), plain(x)]))
        : v;
// JSON has no bytes: a record's `image` (an overlay's) comes as base64, and jco takes bytes.
const value = (v) =>
  v && typeof v === 'object' && typeof v.image === 'string'
    ? { ...v, image: Buffer.from(v.image, 'base64') }
    : v;
for (const c of JSON.parse(readFileSync(casesPath, 'utf8'))) {
  const options = Object.fromEntries(
    Object.entries(c.options).map(([k, v]) => [camel(k), value(v)]),
  );
  const input = readFileSync(c.input);
  try {
    const out = processImage(input, { format: c.format, ...options });
    writeFileSync(join(outDir, `${c.name}.out`), out.image);
    const about = { width: out.width, height: out.height, format: out.format, mime_type: out.mimeType, input: plain(inspect(input)) };
    writeFileSync(join(outDir, `${c.name}.json`), JSON.stringify(about));
  } catch (e) {
    if (!(e instanceof ImgpipeError)) throw e;
    writeFileSync(join(outDir, `${c.name}.error`), e.case);
    writeFileSync(join(outDir, `${c.name}.message`), e.message);
  }
}
const { calls, successes, errors, bytesIn, bytesOut, recentErrors } = stats();
writeFileSync(
  join(outDir, 'stats.json'),
  JSON.stringify(plain({ calls, successes, errors, bytesIn, bytesOut, recentErrors })),
);
