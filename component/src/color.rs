//! Colour management: the colour space an input declares (an embedded ICC profile, or PNG's
//! cICP or cHRM+gAMA chunks), the conversion of its pixels to what the output asks for (sRGB by
//! default, Display P3, or left as they are) with moxcms, and the profile the output carries.
//! The usual input, with no profile or an sRGB one, costs nothing: no transform is made.

use std::sync::Arc;

use moxcms::{
    ColorProfile as Icc, DataColorSpace, Layout, ParsingOptions, RenderingIntent,
    TransformExecutor, TransformOptions,
};

use crate::error::{Error, Result};
use crate::options::{Color, ColorProfile, OptionName, OutputFormat};

/// Display P3 (ArgyllCMS's reference profile, public domain; `component/icc/README.md`): what
/// `p3` converts to and embeds.
const DISPLAY_P3: &[u8] = include_bytes!("../icc/DisplayP3.icm");

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
}

/// The profile for H.273 code points (PNG's cICP chunk); `None` for sRGB itself and for what
/// has no curve or primaries to convert from (HDR transfers among them, left as they are).
pub fn from_cicp(primaries: u8, transfer: u8) -> Option<Icc> {
    use moxcms::{CicpColorPrimaries, CicpProfile, MatrixCoefficients, TransferCharacteristics};
    let cicp = CicpProfile {
        color_primaries: CicpColorPrimaries::try_from(primaries).ok()?,
        transfer_characteristics: TransferCharacteristics::try_from(transfer).ok()?,
        matrix_coefficients: MatrixCoefficients::try_from(0).ok()?,
        full_range: true,
    };
    // Code points without primaries or a curve (HDR transfers among them) leave the colorants
    // or the curves unset.
    let profile = Icc::new_from_cicp(cicp);
    let usable = profile.is_matrix_shaper() && profile.red_trc.is_some();
    (usable && !is_srgb(&profile)).then_some(profile)
}

/// The profile for PNG's gAMA and cHRM chunks: `gamma` is the file's (1/2.2 for a 2.2 curve),
/// the chromaticities are white, red, green and blue, as (x, y).
pub fn from_gamma_and_chromaticities(gamma: f32, xy: [(f32, f32); 4]) -> Icc {
    use moxcms::{Chromaticity, ColorPrimaries};
    let [white, red, green, blue] = xy.map(|(x, y)| Chromaticity::new(x, y));
    let mut profile = Icc::new_srgb();
    profile.update_rgb_colorimetry(white.to_xyyb(), ColorPrimaries { red, green, blue });
    let curve = moxcms::curve_from_gamma(if gamma > 0.0 { 1.0 / gamma } else { 2.2 });
    profile.red_trc = Some(curve.clone());
    profile.green_trc = Some(curve.clone());
    profile.blue_trc = Some(curve);
    profile
}

/// A conversion of 8-bit (and 16-bit) pixels between two profiles.
struct Conversion {
    from: Icc,
    to: Icc,
    rgb8: Arc<dyn TransformExecutor<u8> + Send + Sync>,
    rgba8: Arc<dyn TransformExecutor<u8> + Send + Sync>,
}

impl Conversion {
    fn new(from: &Icc, to: &Icc) -> Option<Conversion> {
        let make = |layout| {
            from.create_transform_8bit(layout, to, layout, options())
                .ok()
        };
        Some(Conversion {
            rgb8: make(Layout::Rgb)?,
            rgba8: make(Layout::Rgba)?,
            from: from.clone(),
            to: to.clone(),
        })
    }
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
    /// The ICC profile the output carries.
    pub embed: Option<Vec<u8>>,
}

impl Plan {
    /// The plan for an input declaring `declared`, written as `format`, with `mode`.
    pub fn new(declared: &Declared, mode: ColorProfile, format: OutputFormat) -> Result<Plan> {
        let srgb = Icc::new_srgb();
        let p3 = || Icc::new_from_slice(DISPLAY_P3).ok();
        let target = match mode {
            ColorProfile::Srgb => Some(srgb.clone()),
            ColorProfile::P3 => p3(),
            ColorProfile::Keep => None,
        };
        let rgb = match (&target, mode) {
            (Some(to), ColorProfile::Srgb) => {
                declared.rgb().and_then(|from| Conversion::new(from, to))
            }
            (Some(to), _) => Conversion::new(declared.rgb().unwrap_or(&srgb), to),
            (None, _) => None,
        };
        // CMYK becomes RGB whatever the mode: `keep` can only keep an RGB profile.
        let cmyk = declared
            .profile
            .as_ref()
            .filter(|_| declared.is_cmyk())
            .and_then(|from| {
                let to = target.as_ref().unwrap_or(&srgb);
                from.create_transform_8bit(Layout::Rgba, to, Layout::Rgb, cmyk_options())
                    .or_else(|_| {
                        // A CMYK profile need not have every intent's table.
                        from.create_transform_8bit(Layout::Rgba, to, Layout::Rgb, options())
                    })
                    .ok()
            });
        let embed = match mode {
            ColorProfile::Srgb => None,
            ColorProfile::P3 => Some(DISPLAY_P3.to_vec()),
            ColorProfile::Keep if declared.is_cmyk() => None,
            ColorProfile::Keep => declared.rgb().and(declared.icc.clone()),
        };
        // The AVIF encoder (ravif) writes the sRGB code points and nothing else: no ICC
        // profile, no other primaries.
        if format == OutputFormat::Avif && embed.is_some() {
            return Err(Error::invalid(
                OptionName::ColorProfile,
                format!("{mode}: AVIF output carries no colour profile here; ask for srgb"),
            ));
        }
        Ok(Plan { rgb, cmyk, embed })
    }

    /// Converts 8-bit RGB or RGBA pixels (alpha kept) in place.
    pub fn convert_rgb8(&self, data: &mut Vec<u8>, alpha: bool) -> Result<()> {
        let Some(c) = &self.rgb else {
            return Ok(());
        };
        let transform = if alpha { &c.rgba8 } else { &c.rgb8 };
        let mut out = vec![0; data.len()];
        transform.transform(data, &mut out).map_err(cms_error)?;
        *data = out;
        Ok(())
    }

    /// Converts 16-bit RGB or RGBA pixels, then reduces them to 8 bits: a wide-gamut 16-bit
    /// input keeps its precision through the conversion. `None` when there is nothing to do.
    pub fn convert_rgb16(&self, data: &[u16], alpha: bool) -> Result<Option<Vec<u8>>> {
        let Some(c) = &self.rgb else {
            return Ok(None);
        };
        let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
        let transform = c
            .from
            .create_transform_16bit(layout, &c.to, layout, options())
            .map_err(cms_error)?;
        let mut out = vec![0; data.len()];
        transform.transform(data, &mut out).map_err(cms_error)?;
        Ok(Some(
            out.iter()
                .map(|&v| ((u32::from(v) * 255 + 32_767) / 65_535) as u8)
                .collect(),
        ))
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
        self.rgb.is_some()
    }

    /// `color` (an sRGB background, padding or flattening) in the output's colour space.
    pub fn background(&self, color: Color) -> Color {
        let Some(c) = &self.rgb else {
            return color;
        };
        // The background is sRGB whatever the input declared.
        let from_srgb = Icc::new_srgb()
            .create_transform_8bit(Layout::Rgb, &c.to, Layout::Rgb, options())
            .ok();
        let mut out = [0; 3];
        match from_srgb.map(|t| t.transform(&[color.r, color.g, color.b], &mut out)) {
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
/// colorants are sRGB's and whose curves stay within half a level of sRGB's. Most cameras and
/// editors embed such a profile; converting through it would only cost time.
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
    fn avif_carries_no_profile() {
        let declared = Declared::from_icc(DISPLAY_P3.to_vec());
        assert!(Plan::new(&declared, ColorProfile::Keep, OutputFormat::Avif).is_err());
        assert!(Plan::new(&declared, ColorProfile::P3, OutputFormat::Avif).is_err());
        assert!(Plan::new(&declared, ColorProfile::Srgb, OutputFormat::Avif).is_ok());
        // Keeping an sRGB input's (absent) profile needs nothing AVIF lacks.
        let plan = Plan::new(&Declared::default(), ColorProfile::Keep, OutputFormat::Avif);
        assert!(plan.is_ok());
    }
}
