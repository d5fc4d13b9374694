//! JPEG XL input through jxl-oxide (pure Rust, one thread): the header is read and the size
//! checked before any frame is rendered; the first frame is rendered upright (JPEG XL stores its
//! orientation in the header and the decoder applies it), 8-bit or 16-bit by the file's depth.
//!
//! Colour is left to the pipeline: the pixels come out in the colour space jxl-oxide renders to
//! (the file's own enumerated space, or its embedded ICC profile), and that space, as an ICC
//! profile, is what [`Jxl::declared`] reports for [`crate::color`] to convert.

use image::{DynamicImage, ImageBuffer, Luma, LumaA, Pixel, Rgb, Rgba};
use jxl_oxide::{
    AllocTracker, InitializeResult, JxlImage, JxlThreadPool, PixelFormat, UninitializedJxlImage,
};

use crate::color::Declared;
use crate::error::{Error, InputFormat, Result};

fn fail(cause: impl std::fmt::Display) -> Error {
    Error::decode(InputFormat::Jxl, cause)
}

/// An opened JPEG XL file: header read and its size checked; frames not rendered.
pub struct Jxl {
    image: JxlImage,
    pub width: u32,
    pub height: u32,
    pub bit_depth: u8,
    pub has_alpha: bool,
}

impl Jxl {
    pub fn open(bytes: &[u8], max_pixels: u64, max_bytes: u64) -> Result<Jxl> {
        let builder = JxlImage::builder()
            .pool(JxlThreadPool::none())
            .alloc_tracker(AllocTracker::with_limit(
                usize::try_from(max_bytes).unwrap_or(usize::MAX),
            ));
        let (mut image, rest) = read_header(builder.build_uninit(), bytes)?;
        let (width, height) = (image.width(), image.height());
        crate::decode::check_pixels(InputFormat::Jxl, width, height, max_pixels)?;
        // Only the frames' headers and table of contents are read here; pixels are decoded
        // when a frame is rendered.
        feed_all(rest, |chunk| image.feed_bytes(chunk))?;
        image.finalize().map_err(fail)?;
        if let jxl_oxide::color::ColourEncoding::Enum(e) =
            &image.image_header().metadata.colour_encoding
            && !describable(e)
        {
            return Err(fail(
                "the header's colour encoding names no space a profile can describe",
            ));
        }
        let format = image.pixel_format();
        if format.has_black() {
            return Err(Error::UnsupportedFormat(
                "CMYK JPEG XL input is not supported".into(),
            ));
        }
        let bits = match image.image_header().metadata.bit_depth {
            jxl_oxide::image::BitDepth::IntegerSample { bits_per_sample } => bits_per_sample,
            jxl_oxide::image::BitDepth::FloatSample { .. } => 16,
        };
        Ok(Jxl {
            image,
            width,
            height,
            bit_depth: if bits > 8 { 16 } else { 8 },
            has_alpha: format.has_alpha(),
        })
    }

    /// The colour space the rendered pixels are in.
    pub fn declared(&self) -> Declared {
        match self.image.rendered_cicp() {
            // sRGB primaries, D65 white, sRGB transfer: nothing to convert.
            Some([1, 13, 0, _]) => Declared::default(),
            _ => Declared::from_icc(self.image.rendered_icc()),
        }
    }

    /// EXIF from the container's `Exif` box, when there is one.
    pub fn exif(&self) -> Option<Vec<u8>> {
        match self.image.aux_boxes().first_exif() {
            // The payload is the TIFF block (after its offset field), as EXIF is kept elsewhere.
            Ok(jxl_oxide::AuxBoxData::Data(exif)) => exif
                .payload()
                .get(exif.tiff_header_offset() as usize..)
                .map(<[u8]>::to_vec),
            _ => None,
        }
    }

    /// XMP from the container's `xml ` box, when there is one.
    pub fn xmp(&self) -> Option<Vec<u8>> {
        match self.image.aux_boxes().first_xml() {
            jxl_oxide::AuxBoxData::Data(xml) => Some(xml.to_vec()),
            _ => None,
        }
    }

    /// Renders the first frame: grey is widened to RGB, alpha kept.
    pub fn decode(self) -> Result<DynamicImage> {
        if self.image.num_loaded_keyframes() == 0 {
            return Err(fail("the file holds no complete frame"));
        }
        let render = self.image.render_frame(0).map_err(fail)?;
        let mut stream = render.stream();
        let (width, height) = (stream.width(), stream.height());
        let channels = stream.channels() as usize;
        let samples = width as usize * height as usize * channels;
        let grey = matches!(
            self.image.pixel_format(),
            PixelFormat::Gray | PixelFormat::Graya
        );
        let image = if self.bit_depth > 8 {
            let mut data = vec![0u16; samples];
            stream.write_to_buffer(&mut data);
            image_of(width, height, grey, self.has_alpha, data)
        } else {
            let mut data = vec![0u8; samples];
            stream.write_to_buffer(&mut data);
            image_of(width, height, grey, self.has_alpha, data)
        };
        image.ok_or_else(|| fail("rendered frame is smaller than its header says"))
    }
}

/// Samples of any depth as the image of their channel layout.
fn image_of<T: image::Primitive>(
    width: u32,
    height: u32,
    grey: bool,
    alpha: bool,
    data: Vec<T>,
) -> Option<DynamicImage>
where
    Rgb<T>: Pixel<Subpixel = T>,
    Rgba<T>: Pixel<Subpixel = T>,
    Luma<T>: Pixel<Subpixel = T>,
    LumaA<T>: Pixel<Subpixel = T>,
    DynamicImage: From<ImageBuffer<Rgb<T>, Vec<T>>>
        + From<ImageBuffer<Rgba<T>, Vec<T>>>
        + From<ImageBuffer<Luma<T>, Vec<T>>>
        + From<ImageBuffer<LumaA<T>, Vec<T>>>,
{
    match (grey, alpha) {
        (false, false) => ImageBuffer::<Rgb<T>, _>::from_raw(width, height, data).map(Into::into),
        (false, true) => ImageBuffer::<Rgba<T>, _>::from_raw(width, height, data).map(Into::into),
        (true, false) => ImageBuffer::<Luma<T>, _>::from_raw(width, height, data).map(Into::into),
        (true, true) => ImageBuffer::<LumaA<T>, _>::from_raw(width, height, data).map(Into::into),
    }
}

/// Whether jxl-oxide can write an ICC profile for the encoding: it panics on the XYB and unknown
/// colour spaces (XYB names how pixels are coded, not a space to show them in), an unknown
/// transfer function and a zero gamma, none of which a valid file asks for.
fn describable(e: &jxl_oxide::color::EnumColourEncoding) -> bool {
    use jxl_oxide::color::{ColourSpace, TransferFunction};
    matches!(e.colour_space, ColourSpace::Rgb | ColourSpace::Grey)
        && !matches!(
            e.tf,
            TransferFunction::Unknown | TransferFunction::Gamma { g: 0, .. }
        )
}

/// Feeds the file until its image header (and ICC profile) is read; returns the image and the
/// bytes not yet fed.
fn read_header(mut uninit: UninitializedJxlImage, bytes: &[u8]) -> Result<(JxlImage, &[u8])> {
    // Small steps, so that a header near the start is read without feeding the whole file;
    // doubled whenever a step is too short to hold the next box's header.
    let mut step: usize = 16 << 10;
    let mut at: usize = 0;
    loop {
        let end = bytes.len().min(at.saturating_add(step));
        let chunk = bytes.get(at..end).unwrap_or_default();
        if chunk.is_empty() {
            return Err(fail("the file ends before its image header"));
        }
        let consumed = uninit.feed_bytes(chunk).map_err(fail)?;
        at += consumed;
        match uninit.try_init().map_err(fail)? {
            InitializeResult::Initialized(image) => {
                return Ok((image, bytes.get(at..).unwrap_or_default()));
            }
            InitializeResult::NeedMoreData(more) => uninit = more,
        }
        if consumed == 0 {
            if end == bytes.len() {
                return Err(fail("the file ends before its image header"));
            }
            step = step.saturating_mul(2);
        }
    }
}

/// Feeds `bytes` through `feed`, which may leave a partial box for the next call.
fn feed_all(bytes: &[u8], mut feed: impl FnMut(&[u8]) -> jxl_oxide::Result<usize>) -> Result<()> {
    let mut at = 0;
    while at < bytes.len() {
        let consumed = feed(bytes.get(at..).unwrap_or_default()).map_err(fail)?;
        if consumed == 0 {
            // A truncated box: the rest can never be read.
            break;
        }
        at += consumed;
    }
    Ok(())
}
