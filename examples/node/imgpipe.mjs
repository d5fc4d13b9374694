// imgpipe from Node.js (and the browser): the image-processor component, transpiled by jco.
//
//   import { process } from './imgpipe.mjs';
//   const out = process(readFileSync('photo.jpg'), { format: 'webp', maxWidth: 800 });
//   writeFileSync('photo.webp', out.image);
//
// Every failure the component reports is thrown as an ImgpipeError whose `case` is the WIT error
// case ('decode-failed', 'too-large', ...) and whose message is the component's.
import { _setEnv } from '@bytecodealliance/preview2-shim/cli';
import { processor } from './generated/imgpipe.js';
import names from './generated/names.js';

/**
 * The WIT's enums, by their TypeScript names, read from the component when it was transpiled:
 * e.g. `names.OutputFormat`, `names.Fit`, `names.Filter`, `names.ErrorKind`.
 */
export { names };

// The shim would show the component the host's whole environment; it needs none of it.
_setEnv({});

/** A failure the component reported. */
export class ImgpipeError extends Error {
  constructor(error) {
    const detail = error.val;
    // Every case's message is whole (an invalid option's names the option).
    const message = typeof detail === 'string' ? detail : detail.message;
    super(message);
    this.name = 'ImgpipeError';
    /** The WIT error case, e.g. 'decode-failed'. */
    this.case = error.tag;
    /** The case's payload: a string, or the too-large / invalid-option record. */
    this.detail = detail;
  }
}

function call(f) {
  try {
    return f();
  } catch (e) {
    // jco throws the `err` of a `result` as an error carrying it in `payload`.
    if (e && typeof e === 'object' && 'payload' in e && e.payload?.tag) {
      throw new ImgpipeError(e.payload);
    }
    throw e;
  }
}

/**
 * Decodes, orients, resizes and encodes `image` (a Uint8Array or Buffer).
 * `format` is one of `names.OutputFormat` (default 'jpeg'); the other fields are the WIT
 * `options` record's, in camelCase (maxWidth, quality, fit, ...); a record option is an object
 * of its fields (`extract: { left, top, width, height }`, `focalPoint: { x, y }`,
 * `extend: { top, right, bottom, left }`).
 */
export function process(image, { format = 'jpeg', ...options } = {}) {
  return call(() => processor.processWithFormat(image, options, format));
}

/** Format, stored size, EXIF orientation, alpha and bit depth, from the header. */
export function inspect(image) {
  return call(() => processor.inspect(image));
}

/** This instance's counters (u64 fields are BigInts). */
export function stats() {
  return processor.stats();
}
