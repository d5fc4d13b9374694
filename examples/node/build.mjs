// Transpiles the image-processor component into ./generated with jco: ES module glue, the core
// wasm files and TypeScript declarations. The component is $IMGPIPE_COMPONENT, else where
// `cargo build --release -p imgpipe` puts it ($CARGO_TARGET_DIR, or the repository's target/).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = process.env.CARGO_TARGET_DIR ?? join(here, '../../target');
const component =
  process.env.IMGPIPE_COMPONENT ??
  join(target, 'component-build/wasm32-wasip2/component/imgpipe_component.wasm');
if (!existsSync(component)) {
  console.error(`no component at ${component}: run \`cargo build --release -p imgpipe\` first`);
  process.exit(1);
}
const out = join(here, 'generated');
rmSync(out, { recursive: true, force: true });
execFileSync(
  join(here, 'node_modules/.bin/jco'),
  ['transpile', component, '--name', 'imgpipe', '-o', out, '--quiet'],
  { stdio: 'inherit' },
);
console.log(`transpiled ${component} into ${out}`);
