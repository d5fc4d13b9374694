//! HEIF containers: HEIC (HEVC pictures) and AVIF (AV1 pictures). heic-rs reads the container for
//! both (items, grids, alpha, colour, rotation and mirroring) and decodes HEVC; AV1 pictures go
//! through [`crate::av1`] and then the same grid, colour and transform steps.
//!
//! The size is checked from `ispe` (or the grid's declared size) before any picture is decoded.
//! `irot` and `imir` are applied here, as the container requires; the result is upright, so
//! HEIF inputs report orientation 1 and any EXIF orientation in them is ignored (as libheif does).

use std::borrow::Cow;

use heic_rs::context::Context;
use heic_rs::ftyp::{Brand, FileType};
use heic_rs::props::ItemProps;
use heic_rs::{Image, PixelLayout};
#[cfg(feature = "avif-input")]
use heic_rs::{MatrixCoefficients, Nclx, Range, hevc::Frame};

use crate::color::Declared;
use crate::error::{Error, InputFormat, Result};
use crate::metadata::Metadata;

/// An opened HEIF file: container read, primary item found, its size checked.
pub struct Heif<'a> {
    format: InputFormat,
    context: Context<'a>,
    props: ItemProps<'a>,
    /// Size after `clap`, `irot` and `imir`.
    pub width: u32,
    pub height: u32,
    pub bit_depth: u8,
    pub has_alpha: bool,
}

impl<'a> Heif<'a> {
    pub fn open(bytes: &'a [u8], format: InputFormat, max_pixels: u64) -> Result<Heif<'a>> {
        let fail = |e: heic_rs::Error| Error::decode(format, e);
        let meta = heic_rs::meta::parse(bytes).map_err(fail)?;
        let brand = match format {
            InputFormat::Avif => Brand::Avif,
            _ => Brand::Heic,
        };
        // heic-rs's own `ftyp` reader refuses AVIF brands (it decodes HEVC only); the brand was
        // read by `detect`, and the rest of the context is codec-neutral.
        let context = Context {
            file: bytes,
            ftyp: FileType {
                major: brand,
                effective: brand,
                minor_version: 0,
                compatible_count: 0,
            },
            meta,
        };
        let primary = context.meta.primary;
        let item = context
            .meta
            .item(primary)
            .ok_or_else(|| Error::decode(format, "the primary item is missing"))?;
        let coded = matches!(
            (&item.item_type, format),
            (b"grid", _) | (b"av01", InputFormat::Avif) | (b"hvc1", InputFormat::Heic)
        );
        if !coded {
            let kind = String::from_utf8_lossy(&item.item_type).into_owned();
            return Err(Error::UnsupportedFormat(format!(
                "{} primary item of type `{kind}` is not supported",
                format.label()
            )));
        }
        let props = context.props(primary).map_err(fail)?;
        let (coded_width, coded_height) = context.coded_size(primary, &props).map_err(fail)?;
        crate::decode::check_pixels(format, coded_width, coded_height, max_pixels)?;
        let (width, height) =
            heic_rs::transform::transformed_size(coded_width, coded_height, &props.transforms)
                .map_err(fail)?;
        crate::decode::check_pixels(format, width, height, max_pixels)?;
        let bit_depth = props
            .pixi
            .as_ref()
            .and_then(|p| p.bits_per_channel.first().copied())
            .unwrap_or(8);
        let has_alpha = context.alpha_item(primary).map_err(fail)?.is_some();
        Ok(Heif {
            format,
            context,
            props,
            width,
            height,
            bit_depth,
            has_alpha,
        })
    }

    /// The colour space: the ICC profile where there is one, else the `nclx` primaries and
    /// transfer; unlabelled files are sRGB.
    pub fn declared(&self) -> Declared {
        if let Some(icc) = self.props.icc {
            return Declared::from_icc(icc.to_vec());
        }
        self.props
            .nclx
            .and_then(|n| {
                crate::color::from_cicp(
                    u8::try_from(n.primaries).ok()?,
                    u8::try_from(n.transfer).ok()?,
                )
            })
            .unwrap_or_default()
    }

    /// EXIF and XMP items attached to the primary image.
    pub fn metadata(&self) -> Metadata {
        let primary = self.context.meta.primary;
        // Unreadable metadata is no metadata, as for the other formats.
        // Read whole, not borrowed: a writer may store the item in two extents (its offset
        // field, then the TIFF block), as avif-serialize does.
        let exif = self
            .context
            .exif_item(primary)
            .and_then(|id| self.context.item_data(id).ok())
            .and_then(|item| heic_rs::metadata::exif_tiff(&item).ok().map(<[u8]>::to_vec));
        let xmp = self
            .context
            .xmp_item(primary)
            .and_then(|id| self.context.item_data(id).ok())
            .map(Cow::into_owned);
        Metadata::new(exif, xmp)
    }

    /// Decodes to 8-bit samples, or 16-bit ones for deeper pictures (so that a colour
    /// conversion happens before the reduction), with alpha where the file has it.
    pub fn decode(self, max_pixels: u64) -> Result<Image> {
        let wide = self.bit_depth > 8;
        let layout = match (wide, self.has_alpha) {
            (false, false) => PixelLayout::Rgb8,
            (false, true) => PixelLayout::Rgba8,
            (true, false) => PixelLayout::Rgb16,
            (true, true) => PixelLayout::Rgba16,
        };
        match self.format {
            #[cfg(feature = "avif-input")]
            InputFormat::Avif => self.decode_avif(layout, max_pixels),
            #[cfg(not(feature = "avif-input"))]
            InputFormat::Avif => Err(Error::UnsupportedFormat(
                "AVIF input is not built into this component".into(),
            )),
            #[cfg(feature = "heic")]
            format => {
                let fail = |e: heic_rs::Error| Error::decode(format, e);
                let options = heic_rs::DecodeOptions::default()
                    .with_layout(layout)
                    .with_max_pixels(Some(max_pixels))
                    .with_threads(None);
                heic_rs::decode(self.context.file, &options).map_err(fail)
            }
            // HEVC left out: `decode::open_heif` refuses HEIC before it gets here.
            #[cfg(not(feature = "heic"))]
            _ => Err(Error::UnsupportedFormat(
                "HEIC input is not built into this component".into(),
            )),
        }
    }

    #[cfg(feature = "avif-input")]
    /// heic-rs's own order of steps for HEVC, with AV1 pictures: tiles (composed when a grid),
    /// the alpha item, YCbCr to RGB by the container's `nclx` (else the sequence header's),
    /// then the transforms.
    fn decode_avif(self, layout: PixelLayout, max_pixels: u64) -> Result<Image> {
        let fail = |e: heic_rs::Error| Error::decode(InputFormat::Avif, e);
        let primary = self.context.meta.primary;
        let (frame, cicp) = self.decode_item(primary, max_pixels)?;
        let alpha = match self.context.alpha_item(primary).map_err(fail)? {
            Some(id) if layout.has_alpha() => Some(self.decode_item(id, max_pixels)?.0),
            _ => None,
        };
        let nclx = self.props.nclx.unwrap_or_else(|| nclx_of(cicp));
        let image = heic_rs::color::convert(
            &frame,
            alpha.as_ref(),
            avif_matrix(nclx),
            layout,
            max_pixels,
            None,
        )
        .map_err(fail)?;
        heic_rs::transform::apply_all(image, &self.props.transforms).map_err(fail)
    }

    #[cfg(feature = "avif-input")]
    /// One AV1 item, or the tiles of a grid composed into one frame.
    fn decode_item(&self, id: u32, max_pixels: u64) -> Result<(Frame, crate::av1::Cicp)> {
        let fail = |e: heic_rs::Error| Error::decode(InputFormat::Avif, e);
        let picture = |id: u32| -> Result<crate::av1::Picture> {
            let data = self.context.item_data(id).map_err(fail)?;
            crate::av1::decode(&data, max_pixels).map_err(|e| Error::decode(InputFormat::Avif, e))
        };
        match self.context.grid(id).map_err(fail)? {
            None => {
                let p = picture(id)?;
                Ok((p.frame, p.cicp))
            }
            Some((grid, tiles)) => {
                let mut frames = Vec::with_capacity(tiles.len());
                let mut cicp = None;
                for tile in tiles {
                    let p = picture(tile)?;
                    cicp.get_or_insert(p.cicp);
                    frames.push(p.frame);
                }
                let frame = heic_rs::grid::compose(&grid, &frames, max_pixels).map_err(fail)?;
                let cicp = cicp.ok_or_else(|| Error::decode(InputFormat::Avif, "empty grid"))?;
                Ok((frame, cicp))
            }
        }
    }
}

#[cfg(feature = "avif-input")]
/// The sequence header's colour description, for an AVIF without `colr nclx`.
fn nclx_of(cicp: crate::av1::Cicp) -> Nclx {
    Nclx {
        primaries: cicp.primaries,
        transfer: cicp.transfer,
        matrix: MatrixCoefficients::from_code(cicp.matrix),
        matrix_code: cicp.matrix,
        range: if cicp.full_range {
            Range::Full
        } else {
            Range::Limited
        },
    }
}

#[cfg(feature = "avif-input")]
/// An unspecified matrix in AVIF means BT.601, as libavif reads it (heic-rs takes BT.709, the
/// HEIC habit).
fn avif_matrix(nclx: Nclx) -> Nclx {
    match nclx.matrix {
        MatrixCoefficients::Unspecified => Nclx {
            matrix: MatrixCoefficients::Bt601,
            ..nclx
        },
        _ => nclx,
    }
}
