// Types of imgpipe.mjs; the WIT types come from jco's declarations in ./generated.
import type {
  Options,
  OutputFormat,
  Processed,
  ImageInfo,
  InstanceStats,
  Error as WitError,
} from './generated/interfaces/imgpipe-image-types.js';

export type { Options, OutputFormat, Processed, ImageInfo, InstanceStats };

/** A failure the component reported. */
export declare class ImgpipeError extends Error {
  /** The WIT error case, e.g. 'decode-failed'. */
  readonly case: WitError['tag'];
  /** The case's payload. */
  readonly detail: WitError['val'];
}

/** Decodes, orients, resizes and encodes `image`; throws ImgpipeError. */
export declare function process(
  image: Uint8Array,
  options?: Options & { format?: OutputFormat },
): Processed;

/** Reads the header of `image`; throws ImgpipeError. */
export declare function inspect(image: Uint8Array): ImageInfo;

/** This instance's counters. */
export declare function stats(): InstanceStats;

/** The WIT's enums by TypeScript name, read from the component: e.g. `names.OutputFormat`. */
export declare const names: Readonly<Record<string, readonly string[]>>;
