// Cross-host check: process each case of a JSON file with the Node host and write the result.
//
//   node crosshost.mjs cases.json OUTDIR
//
// Each case is {name, input, format, options: {python_style_key: value}}; options are renamed to
// the WIT camelCase. The result goes to OUTDIR/<name>.out, or the WIT error case to
// OUTDIR/<name>.error.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// By the package's name: here (Node resolves a package's own name) and in a project that
// installed the packed tarball, which is how the cross-host test runs it.
import { ImgpipeError, process as processImage } from 'imgpipe';

const [casesPath, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
// JSON has no bytes: a record's `image` (an overlay's) comes as base64, and jco takes bytes.
const value = (v) =>
  v && typeof v === 'object' && typeof v.image === 'string'
    ? { ...v, image: Buffer.from(v.image, 'base64') }
    : v;
for (const c of JSON.parse(readFileSync(casesPath, 'utf8'))) {
  const options = Object.fromEntries(
    Object.entries(c.options).map(([k, v]) => [camel(k), value(v)]),
  );
  try {
    const out = processImage(readFileSync(c.input), { format: c.format, ...options });
    writeFileSync(join(outDir, `${c.name}.out`), out.image);
  } catch (e) {
    if (!(e instanceof ImgpipeError)) throw e;
    writeFileSync(join(outDir, `${c.name}.error`), e.case);
  }
}
