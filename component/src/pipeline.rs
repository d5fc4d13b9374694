//! The whole operation: limits, decode (reduced where it is free), resize, orient, pad,
//! flatten, encode. Each stage is its own module; this one only orders them.

use crate::decode::{Info, Source};
use crate::error::{Error, Result};
use crate::metadata::{Embedded, Metadata};
use crate::options::{Fit, Options, OutputFormat};
use crate::raster::Raster;
use crate::{color, encode, orient, resize};

/// An encoded result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub image: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
}

/// Decodes `input`, orients, resizes and encodes it as `format`.
pub fn process(input: &[u8], options: &Options, format: OutputFormat) -> Result<Processed> {
    let opts = options.resolve()?;
    if input.is_empty() {
        return Err(Error::EmptyInput);
    }
    let found = input.len() as u64;
    if found > opts.max_input_bytes {
        return Err(Error::too_many_bytes(found, opts.max_input_bytes));
    }
    let mut source = Source::open(input, opts.max_input_pixels)?;
    let info = source.info();

    let exif_orientation = if opts.auto_orient {
        info.orientation
    } else {
        1
    };
    // The file's orientation and the caller's, as one: applied in one step after resizing.
    let orientation = orient::compose(exif_orientation, opts.flip, opts.flop, opts.quarter_turns);
    let transposed = orient::transposes(orientation);
    let (ow, oh) = if transposed {
        (info.height, info.width)
    } else {
        (info.width, info.height)
    };
    // Plan in the upright frame, then resize in the stored frame: rotating the small result is
    // cheaper than rotating the decoded original.
    let upright = resize::plan(ow, oh, &opts);
    let (width, height) = upright.output();
    if width.max(height) > format.max_dimension() {
        return Err(Error::too_large_for(format, width, height));
    }
    let stored = if transposed {
        upright.transposed()
    } else {
        upright
    };

    let colour = color::Plan::new(source.declared(), opts.color_profile, format)?;
    let mut metadata = if opts.keep_metadata {
        source.metadata()
    } else {
        Metadata::default()
    };
    if exif_orientation != 1 {
        // The pixels will be upright: an orientation kept with them would turn them again.
        metadata.reset_orientation();
    }

    let at_least = (opts.fast_shrink_on_load && stored.resamples(info.width, info.height))
        .then_some(stored.scaled);
    let (raster, converted) = source.decode(at_least, &colour)?;
    let mut raster = resize::resize(raster, &stored, opts.filter)?;
    // An 8-bit RGB conversion waits for the resized raster: it costs per pixel, and the resize
    // works on the encoded values either way, so the order changes no colour measurably.
    if !converted {
        colour.convert_rgb8(&mut raster.data, raster.alpha)?;
    }
    let raster = orient::apply(raster, orientation)?;

    let bg = colour.background(opts.background);
    let raster = if opts.fit == Fit::Contain && upright.output() != (raster.width, raster.height) {
        let c = upright.canvas;
        raster.pad(c.width, c.height, c.x, c.y, [bg.r, bg.g, bg.b, bg.a])
    } else {
        raster
    };
    let raster: Raster = if format.supports_alpha() {
        raster
    } else {
        raster.flatten([bg.r, bg.g, bg.b])
    };
    let extra = Embedded {
        icc: colour.embed.as_deref(),
        exif: metadata.exif.as_deref(),
        xmp: metadata.xmp.as_deref(),
    };
    let settings = encode::Settings {
        quality: opts.quality,
        progressive: opts.progressive,
        chroma: opts.chroma_subsampling,
    };
    let image = encode::encode(&raster, format, settings, extra)?;
    Ok(Processed {
        image,
        width: raster.width,
        height: raster.height,
        format,
    })
}

/// Reads the header of `input`: format, size, orientation, alpha, depth.
pub fn inspect(input: &[u8]) -> Result<Info> {
    Source::open(input, u64::MAX).map(|s| s.info())
}
