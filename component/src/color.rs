//! Colour management: the colour space an input declares (an embedded ICC profile, or PNG's
//! cICP or cHRM+gAMA chunks), the conversion of its pixels to what the output asks for (sRGB by
//! default, Display P3, or left as they are) with moxcms, and the profile the output carries.
//! The usual input, with no profile or an sRGB one, costs nothing: no transform is made.

use std::cell::OnceCell;
use std::sync::Arc;

use moxcms::{
    ColorProfile as Icc, DataColorSpace, Layout, ParsingOptions, RenderingIntent,
    TransformExecutor, TransformOptions,
};

use crate::error::{Error, Result};
use crate::options::{Color, ColorProfile, OptionName, OutputFormat};

/// Display P3 (ArgyllCMS's reference profile, public domain; see `component/icc/README.md`):
/// what `p3` converts to and embeds.
const DISPLAY_P3: &[u8] = include_bytes!("../icc/DisplayP3.icm");

/// The CMYK profile a CMYK JPEG without one is read through: libvips's default ("Chemical
/// proof", public domain), cut to its CMYK-to-PCS table; see `component/icc/README.md`.
const STANDARD_CMYK: &[u8] = include_bytes!("../icc/cmyk.icc");

/// Largest embedded profile read (real CMYK profiles reach 2 MB); a larger one is ignored, as
/// is one that cannot be parsed: the pixels are then taken as sRGB, as browsers take them.
const MAX_PROFILE_BYTES: usize = 4 << 20;

/// The colour space an input declares.
#[derive(Default)]
pub struct Declared {
    /// The parsed profile; `None` means sRGB (no profile, or one that could not be read).
    profile: Option<Icc>,
    /// The profile's bytes as embedded in the input, for `keep`.
    icc: Option<Vec<u8>>,
}

impl Declared {
    /// An embedded ICC profile.
    pub fn from_icc(icc: Vec<u8>) -> Declared {
        let options = ParsingOptions {
            max_profile_size: MAX_PROFILE_BYTES,
            ..ParsingOptions::default()
        };
        match Icc::new_from_slice_with_options(&icc, options) {
            Ok(profile) => Declared {
                profile: Some(profile),
                icc: Some(icc),
            },
            Err(_) => Declared::default(),
        }
    }

    /// The standard CMYK profile, for ink that carries none.
    pub fn standard_cmyk() -> Declared {
        Declared::from_icc(STANDARD_CMYK.to_vec())
    }

    /// A profile made from other metadata (PNG cICP, cHRM+gAMA), which `keep` re-encodes.
    pub fn from_profile(profile: Icc) -> Declared {
        let icc = profile.encode().ok();
        Declared {
            profile: Some(profile),
            icc,
        }
    }

    /// Whether the profile describes CMYK pixels (a CMYK JPEG's).
    pub fn is_cmyk(&self) -> bool {
        self.profile
            .as_ref()
            .is_some_and(|p| p.color_space == DataColorSpace::Cmyk)
    }

    /// The RGB profile, unless it is sRGB (or close enough that no 8-bit value would change).
    fn rgb(&self) -> Option<&Icc> {
        self.profile
            .as_ref()
            .filter(|p| p.color_space == DataColorSpace::Rgb && !is_srgb(p))
    }

    /// The grey profile, for grey pixels (decoded to RGB, each channel alike).
    fn grey(&self) -> Option<&Icc> {
        self.profile
            .as_ref()
            .filter(|p| p.color_space == DataColorSpace::Gray)
    }
}

/// The output colours of the 256 grey levels of `grey`, or `None` when they are the levels
/// themselves (a grey profile with sRGB's curve, into sRGB) or cannot be computed.
fn grey_levels(grey: &Icc, to: &Icc) -> Option<Box<[[u8; 3]; 256]>> {
    let transform = transform_8bit(grey, Layout::Gray, to, Layout::Rgb, options())?;
    let levels: Vec<u8> = (0..=255).collect();
    let mut rgb = vec![0; 256 * 3];
    transform.transform(&levels, &mut rgb).ok()?;
    let mut out = Box::new([[0u8; 3]; 256]);
    for (slot, px) in out.iter_mut().zip(rgb.chunks_exact(3)) {
        slot.copy_from_slice(px);
    }
    let unchanged = out
        .iter()
        .zip(0u8..=255)
        .all(|(px, v)| px.iter().all(|&c| c == v));
    (!unchanged).then_some(out)
}

/// The colour space of H.273 code points (PNG's cICP chunk, HEIF's `nclx`): sRGB itself
/// declares nothing to convert; `None` for HDR transfers and for what has no curve or
/// primaries to convert from, which the caller takes as it would take no code points.
pub fn from_cicp(primaries: u8, transfer: u8) -> Option<Declared> {
    use moxcms::{CicpColorPrimaries, CicpProfile, MatrixCoefficients, TransferCharacteristics};
    // PQ (16), SMPTE ST 428 (17) and HLG (18) are HDR: their values are not display-referred
    // SDR colour, and converting them as such would darken them beyond use.
    if matches!(transfer, 16..=18) {
        return None;
    }
    let cicp = CicpProfile {
        color_primaries: CicpColorPrimaries::try_from(primaries).ok()?,
        transfer_characteristics: TransferCharacteristics::try_from(transfer).ok()?,
        matrix_coefficients: MatrixCoefficients::try_from(0).ok()?,
        full_range: true,
    };
    // Code points without primaries or a curve (HDR transfers among them) leave the colorants
    // or the curves unset.
    let profile = Icc::new_from_cicp(cicp);
    if !(profile.is_matrix_shaper() && profile.red_trc.is_some()) {
        return None;
    }
    Some(if is_srgb(&profile) {
        Declared::default()
    } else {
        Declared::from_profile(profile)
    })
}

/// The profile for PNG's gAMA and cHRM chunks: `gamma` is the file's (1/2.2 for a 2.2 curve),
/// the chromaticities are white, red, green and blue, as (x, y). `None` for values no display
/// could have (outside (0, 1], or primaries on one line), which are then taken as sRGB.
pub fn from_gamma_and_chromaticities(gamma: f32, xy: [(f32, f32); 4]) -> Option<Icc> {
    use moxcms::{Chromaticity, ColorPrimaries, LocalizableString, ProfileText};
    let in_range = |v: f32| v.is_finite() && v > 0.0 && v <= 1.0;
    if !(in_range(gamma) && xy.iter().all(|&(x, y)| in_range(x) && in_range(y))) {
        return None;
    }
    let [_, (rx, ry), (gx, gy), (bx, by)] = xy;
    // Twice the area of the primaries' triangle: zero when they are on one line.
    let area = (gx - rx) * (by - ry) - (bx - rx) * (gy - ry);
    if area.abs() < 1e-4 {
        return None;
    }
    let [white, red, green, blue] = xy.map(|(x, y)| Chromaticity::new(x, y));
    let mut profile = Icc::new_srgb();
    profile.update_rgb_colorimetry(white.to_xyyb(), ColorPrimaries { red, green, blue });
    let curve = moxcms::curve_from_gamma(1.0 / gamma);
    profile.red_trc = Some(curve.clone());
    profile.green_trc = Some(curve.clone());
    profile.blue_trc = Some(curve);
    profile.media_white_point = None;
    // Not sRGB any more, whatever the profile it was built from said.
    profile.description = Some(ProfileText::Localizable(vec![LocalizableString::new(
        "en".to_string(),
        "US".to_string(),
        "PNG cHRM and gAMA".to_string(),
    )]));
    profile.copyright = None;
    Some(profile)
}

/// A conversion of 8-bit (and 16-bit) pixels between two profiles.
struct Conversion {
    from: Icc,
    to: Icc,
    rgb8: Arc<dyn TransformExecutor<u8> + Send + Sync>,
    /// Made on first use: most images have no alpha, and a transform takes a fraction of a
    /// millisecond to build in wasm.
    rgba8: OnceCell<Option<Arc<dyn TransformExecutor<u8> + Send + Sync>>>,
}

impl Conversion {
    fn new(from: &Icc, to: &Icc) -> Option<Conversion> {
        Some(Conversion {
            rgb8: transform_8bit(from, Layout::Rgb, to, Layout::Rgb, options())?,
            rgba8: OnceCell::new(),
            from: from.clone(),
            to: to.clone(),
        })
    }

    fn rgba8(&self) -> Option<&Arc<dyn TransformExecutor<u8> + Send + Sync>> {
        self.rgba8
            .get_or_init(|| {
                transform_8bit(&self.from, Layout::Rgba, &self.to, Layout::Rgba, options())
            })
            .as_ref()
    }
}

/// An 8-bit transform with the intent of `options`, or, where the profile has no table for
/// it (ICC makes only one intent mandatory), relative colorimetric.
fn transform_8bit(
    from: &Icc,
    from_layout: Layout,
    to: &Icc,
    to_layout: Layout,
    options: TransformOptions,
) -> Option<Arc<dyn TransformExecutor<u8> + Send + Sync>> {
    from.create_transform_8bit(from_layout, to, to_layout, options)
        .or_else(|_| {
            let relative = TransformOptions {
                rendering_intent: RenderingIntent::RelativeColorimetric,
                ..options
            };
            from.create_transform_8bit(from_layout, to, to_layout, relative)
        })
        .ok()
}

fn options() -> TransformOptions {
    // Perceptual, as sharp and libvips convert embedded profiles; matrix-shaper profiles (most
    // RGB ones) have no intents and convert colorimetrically whatever is asked.
    TransformOptions {
        rendering_intent: RenderingIntent::Perceptual,
        ..TransformOptions::default()
    }
}

/// What one call does to colours, decided from the input's declared space and the option.
pub struct Plan {
    /// RGB(A) pixels to convert; `None` when they stay as decoded.
    rgb: Option<Conversion>,
    /// CMYK pixels (a CMYK JPEG with its profile) to convert to RGB.
    cmyk: Option<Arc<dyn TransformExecutor<u8> + Send + Sync>>,
    /// Grey pixels (decoded to RGB) through their grey profile: the output RGB of each of the
    /// 256 grey levels.
    grey: Option<Box<[[u8; 3]; 256]>>,
    /// The output's colour space when it is not sRGB (`p3`, or `keep` of a non-sRGB input):
    /// the sRGB background is converted into it.
    output: Option<Icc>,
    /// The ICC profile the output carries: only ever the space its pixels are in.
    pub embed: Option<Vec<u8>>,
}

impl Plan {
    /// The plan for an input declaring `declared`, written as `format`, with `mode`.
    pub fn new(declared: &Declared, mode: ColorProfile, format: OutputFormat) -> Result<Plan> {
        let srgb = Icc::new_srgb();
        let (rgb, output, embed) = match mode {
            ColorProfile::Srgb => {
                // A profile that cannot be applied leaves the pixels as they are, as a browser
                // shows them.
                let rgb = declared.rgb().and_then(|from| Conversion::new(from, &srgb));
                (rgb, None, None)
            }
            ColorProfile::P3 => {
                let p3 = Icc::new_from_slice(DISPLAY_P3).map_err(cms_error)?;
                // An input profile that cannot be applied is taken as sRGB, so the pixels are
                // always what the embedded profile says.
                let rgb = declared
                    .rgb()
                    .and_then(|from| Conversion::new(from, &p3))
                    .or_else(|| Conversion::new(&srgb, &p3));
                (rgb, Some(p3), Some(DISPLAY_P3.to_vec()))
            }
            ColorProfile::Keep => {
                // CMYK and grey pixels become sRGB (an RGB output cannot keep a CMYK or grey
                // profile); an RGB profile is kept only with its bytes.
                let kept = declared.rgb().zip(declared.icc.clone());
                match kept {
                    Some((profile, icc)) => (None, Some(profile.clone()), Some(icc)),
                    None => (None, None, None),
                }
            }
        };
        let cmyk = declared
            .profile
            .as_ref()
            .filter(|_| declared.is_cmyk())
            .and_then(|from| {
                let to = output.as_ref().unwrap_or(&srgb);
                transform_8bit(from, Layout::Rgba, to, Layout::Rgb, cmyk_options())
            });
        let grey = declared
            .grey()
            .and_then(|from| grey_levels(from, output.as_ref().unwrap_or(&srgb)));
        // GIF has no place for a profile that browsers read.
        if format == OutputFormat::Gif && embed.is_some() {
            return Err(Error::invalid(
                OptionName::ColorProfile,
                format!(
                    "{mode}: {} output carries no colour profile here; ask for {}",
                    format.label(),
                    ColorProfile::Srgb
                ),
            ));
        }
        Ok(Plan {
            rgb,
            cmyk,
            grey,
            output,
            embed,
        })
    }

    /// Converts 8-bit RGB or RGBA pixels (alpha kept) in place.
    pub fn convert_rgb8(&self, data: &mut Vec<u8>, alpha: bool) -> Result<()> {
        if let Some(levels) = &self.grey {
            // Each channel by its level: exact for grey pixels, and a pixel that is not grey
            // (an input's stray colour) keeps its hue rather than becoming grey.
            let channels = if alpha { 4 } else { 3 };
            for px in data.chunks_exact_mut(channels) {
                for (i, v) in px.iter_mut().take(3).enumerate() {
                    if let Some(&out) = levels.get(usize::from(*v)).and_then(|l| l.get(i)) {
                        *v = out;
                    }
                }
            }
            return Ok(());
        }
        let Some(c) = &self.rgb else {
            return Ok(());
        };
        let transform = if alpha {
            c.rgba8()
                .ok_or_else(|| Error::DecodeFailed("colour conversion: no RGBA transform".into()))?
        } else {
            &c.rgb8
        };
        let mut out = vec![0; data.len()];
        transform.transform(data, &mut out).map_err(cms_error)?;
        *data = out;
        Ok(())
    }

    /// Converts 16-bit RGB or RGBA pixels, then reduces them to 8 bits: a wide-gamut 16-bit
    /// input keeps its precision through the conversion. `None` when there is nothing to do.
    /// A few thousand pixels at a time, so the only full-size buffer is the 8-bit result.
    pub fn convert_rgb16(&self, data: &[u16], alpha: bool) -> Result<Option<Vec<u8>>> {
        // Grey levels are converted after the reduction, by their 8-bit table.
        let Some(c) = self.rgb.as_ref().filter(|_| self.grey.is_none()) else {
            return Ok(None);
        };
        let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
        let transform = c
            .from
            .create_transform_16bit(layout, &c.to, layout, options())
            .map_err(cms_error)?;
        let step = 4096 * if alpha { 4 } else { 3 };
        let mut wide = vec![0; step.min(data.len())];
        let mut out = Vec::with_capacity(data.len());
        for chunk in data.chunks(step) {
            let wide = wide.get_mut(..chunk.len()).unwrap_or_default();
            transform.transform(chunk, wide).map_err(cms_error)?;
            out.extend(
                wide.iter()
                    .map(|&v| ((u32::from(v) * 255 + 32_767) / 65_535) as u8),
            );
        }
        Ok(Some(out))
    }

    /// CMYK pixels (ink amounts, 255 = full) as RGB through the input's profile; `None` when
    /// the input has no CMYK profile.
    pub fn convert_cmyk(&self, cmyk: &[u8]) -> Result<Option<Vec<u8>>> {
        let Some(transform) = &self.cmyk else {
            return Ok(None);
        };
        let mut out = vec![0; cmyk.len() / 4 * 3];
        transform.transform(cmyk, &mut out).map_err(cms_error)?;
        Ok(Some(out))
    }

    /// Whether RGB pixels will be converted.
    pub fn converts(&self) -> bool {
        self.rgb.is_some() || self.grey.is_some()
    }

    /// `color` (an sRGB background, padding or flattening) in the output's colour space.
    pub fn background(&self, color: Color) -> Color {
        let Some(output) = &self.output else {
            return color;
        };
        let mut out = [0; 3];
        let converted = transform_8bit(
            &Icc::new_srgb(),
            Layout::Rgb,
            output,
            Layout::Rgb,
            options(),
        )
        .map(|t| t.transform(&[color.r, color.g, color.b], &mut out));
        match converted {
            Some(Ok(())) => {
                let [r, g, b] = out;
                Color {
                    r,
                    g,
                    b,
                    a: color.a,
                }
            }
            _ => color,
        }
    }
}

fn cmyk_options() -> TransformOptions {
    // Floating point: the fixed-point CMYK path rounds differently on x86 and wasm (by up to
    // 2 levels), and every host must write the same bytes.
    TransformOptions {
        prefer_fixed_point: false,
        ..options()
    }
}

fn cms_error(e: moxcms::CmsError) -> Error {
    Error::DecodeFailed(format!("colour conversion: {e}"))
}

/// Whether `p` is sRGB in all but name: an RGB matrix-shaper profile (no tables) whose
/// colorants are sRGB's and whose curves, encoded back with sRGB's, move no 8-bit value by
/// half a level. Most cameras and editors embed such a profile; converting through it would
/// only cost time.
fn is_srgb(p: &Icc) -> bool {
    let srgb = Icc::new_srgb();
    let has_tables = p.lut_a_to_b_perceptual.is_some()
        || p.lut_a_to_b_colorimetric.is_some()
        || p.lut_a_to_b_saturation.is_some();
    if p.pcs != DataColorSpace::Xyz || !p.is_matrix_shaper() || has_tables {
        return false;
    }
    let close = |a: moxcms::Xyzd, b: moxcms::Xyzd| {
        (a.x - b.x).abs() < 2e-3 && (a.y - b.y).abs() < 2e-3 && (a.z - b.z).abs() < 2e-3
    };
    if !(close(p.red_colorant, srgb.red_colorant)
        && close(p.green_colorant, srgb.green_colorant)
        && close(p.blue_colorant, srgb.blue_colorant))
    {
        return false;
    }
    let srgb_to_linear = |v: f32| {
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    [&p.red_trc, &p.green_trc, &p.blue_trc]
        .into_iter()
        .all(|trc| {
            trc.as_ref()
                .and_then(|t| t.make_linear_evaluator().ok())
                .is_some_and(|curve| {
                    (0..=255u16).all(|i| {
                        let v = f32::from(i) / 255.0;
                        (curve.evaluate_value(v) - srgb_to_linear(v)).abs() <= 0.5 / 255.0
                    })
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_is_recognised_and_p3_is_not() {
        assert!(is_srgb(&Icc::new_srgb()));
        assert!(!is_srgb(&Icc::new_from_slice(DISPLAY_P3).unwrap()));
        assert!(!is_srgb(&Icc::new_adobe_rgb()));
    }

    #[test]
    fn no_profile_and_srgb_cost_nothing() {
        let srgb = Declared::from_icc(Icc::new_srgb().encode().unwrap());
        for declared in [Declared::default(), srgb] {
            let plan = Plan::new(&declared, ColorProfile::Srgb, OutputFormat::Jpeg).unwrap();
            assert!(!plan.converts() && plan.embed.is_none());
        }
    }

    #[test]
    fn p3_red_becomes_out_of_gamut_srgb_red() {
        let declared = Declared::from_icc(DISPLAY_P3.to_vec());
        let plan = Plan::new(&declared, ColorProfile::Srgb, OutputFormat::Png).unwrap();
        let mut px = vec![255, 0, 0, 128, 128, 128];
        plan.convert_rgb8(&mut px, false).unwrap();
        // P3's red lies outside sRGB: clipped to full red; a neutral grey stays grey.
        assert_eq!(&px[..3], &[255, 0, 0]);
        assert!(px[3..].iter().all(|&v| v.abs_diff(128) <= 1), "{px:?}");
        // And sRGB red in P3 is less saturated than P3's own.
        let plan = Plan::new(&Declared::default(), ColorProfile::P3, OutputFormat::Png).unwrap();
        let mut px = vec![255, 0, 0];
        plan.convert_rgb8(&mut px, false).unwrap();
        assert!(px[0] < 250 && px[1] > 40, "{px:?}");
        assert_eq!(plan.embed.as_deref(), Some(DISPLAY_P3));
    }

    #[test]
    fn an_unreadable_profile_is_ignored() {
        let declared = Declared::from_icc(b"not a profile".to_vec());
        let plan = Plan::new(&declared, ColorProfile::Keep, OutputFormat::Jpeg).unwrap();
        assert!(!plan.converts() && plan.embed.is_none());
    }

    #[test]
    fn gif_carries_no_profile() {
        let declared = Declared::from_icc(DISPLAY_P3.to_vec());
        assert!(Plan::new(&declared, ColorProfile::Keep, OutputFormat::Gif).is_err());
        assert!(Plan::new(&declared, ColorProfile::P3, OutputFormat::Gif).is_err());
        assert!(Plan::new(&declared, ColorProfile::Srgb, OutputFormat::Gif).is_ok());
        assert!(Plan::new(&declared, ColorProfile::P3, OutputFormat::Avif).is_ok());
        // Keeping an sRGB input's (absent) profile needs nothing GIF lacks.
        let plan = Plan::new(&Declared::default(), ColorProfile::Keep, OutputFormat::Gif);
        assert!(plan.is_ok());
    }

    #[test]
    fn cicp_srgb_declares_nothing_and_hdr_is_left_alone() {
        let srgb = from_cicp(1, 13).expect("sRGB code points");
        assert!(srgb.profile.is_none());
        let p3 = from_cicp(12, 13).expect("Display P3 code points");
        let plan = Plan::new(&p3, ColorProfile::Srgb, OutputFormat::Png).unwrap();
        assert!(plan.converts());
        assert!(from_cicp(9, 16).is_none(), "PQ is HDR");
    }

    #[test]
    fn ink_without_a_profile_reads_through_the_standard_one() {
        let declared = Declared::standard_cmyk();
        assert!(declared.is_cmyk());
        let plan = Plan::new(&declared, ColorProfile::Srgb, OutputFormat::Jpeg).unwrap();
        // No ink is paper white, full black ink is near black.
        let rgb = plan
            .convert_cmyk(&[0, 0, 0, 0, 0, 0, 0, 255])
            .unwrap()
            .unwrap();
        assert!(rgb[..3].iter().all(|&v| v >= 235), "{rgb:?}");
        assert!(rgb[3..].iter().all(|&v| v <= 60), "{rgb:?}");
    }
}
