//! The options record and the small records it holds (a region, a point, four edges), as plain
//! Rust: what every host builds and the processor checks. Each record also reads the text the
//! HTTP query and the CLI use for it: numbers separated by commas, in the record's field order
//! ([`Fields::FIELDS`]), which the JSON body may also give as an array or an object. An
//! overlay's text form starts with its image, in base64.

use std::str::FromStr;

use base64::Engine as _;

use crate::{ChromaSubsampling, Color, ColorProfile, Filter, Fit, Gravity, Name, Placeholder};

/// What a caller asks for: every field optional, as in the WIT `options` record (documented
/// there, field by field).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub quality: Option<u8>,
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    pub fit: Option<Fit>,
    pub filter: Option<Filter>,
    pub background: Option<Color>,
    pub auto_orient: Option<bool>,
    pub allow_enlarge: Option<bool>,
    pub max_input_pixels: Option<u64>,
    pub max_input_bytes: Option<u64>,
    pub fast_shrink_on_load: Option<bool>,
    pub color_profile: Option<ColorProfile>,
    pub keep_metadata: Option<bool>,
    pub rotate: Option<f32>,
    pub flip: Option<bool>,
    pub flop: Option<bool>,
    pub progressive: Option<bool>,
    pub chroma_subsampling: Option<ChromaSubsampling>,
    pub dpr: Option<f32>,
    pub trim: Option<f32>,
    pub extract: Option<Region>,
    pub gravity: Option<Gravity>,
    pub focal_point: Option<Point>,
    pub blur: Option<f32>,
    pub sharpen: Option<f32>,
    pub sharpen_flat: Option<f32>,
    pub sharpen_jagged: Option<f32>,
    pub extend: Option<Edges>,
    pub max_bytes: Option<u64>,
    pub effort: Option<u8>,
    pub optimize_coding: Option<bool>,
    pub placeholder: Option<Placeholder>,
    pub overlay: Option<Overlay>,
    pub animated: Option<bool>,
    pub max_animation_frames: Option<u32>,
}

/// A record written as comma-separated numbers in the order of its fields.
pub trait Fields: Sized {
    /// The WIT record's field names, in the order the text form takes them.
    const FIELDS: &'static [&'static str];
}

/// A rectangle of an image in pixels, from its top-left corner; WIT `region`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Region {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// A point as fractions (0 to 1) of an image's width and height; WIT `point`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// Widths of an image's four borders in pixels; WIT `edges`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edges {
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
}

/// A second image drawn over the result; WIT `overlay`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overlay {
    pub image: Vec<u8>,
    pub gravity: Option<Gravity>,
    pub x: Option<i32>,
    pub y: Option<i32>,
    pub opacity: Option<f32>,
    pub scale: Option<f32>,
    pub tile: Option<bool>,
}

impl Fields for Overlay {
    const FIELDS: &'static [&'static str] =
        &["image", "gravity", "x", "y", "opacity", "scale", "tile"];
}

impl Fields for Region {
    const FIELDS: &'static [&'static str] = &["left", "top", "width", "height"];
}

impl Fields for Point {
    const FIELDS: &'static [&'static str] = &["x", "y"];
}

impl Fields for Edges {
    // CSS's order (and imgproxy's `padding`).
    const FIELDS: &'static [&'static str] = &["top", "right", "bottom", "left"];
}

/// Splits `text` into exactly `count` numbers; the error says what was expected.
fn numbers<T: FromStr, R: Fields>(text: &str, count: usize) -> Result<Vec<T>, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let values: Option<Vec<T>> = parts.iter().map(|p| p.parse().ok()).collect();
    match values {
        Some(values) if values.len() == count => Ok(values),
        _ => Err(format!(
            "must be {count} numbers separated by commas ({}), got {text:?}",
            R::FIELDS.join(",")
        )),
    }
}

impl FromStr for Region {
    type Err = String;

    /// `left,top,width,height`.
    fn from_str(text: &str) -> Result<Region, String> {
        match numbers::<u32, Region>(text, 4)?.as_slice() {
            &[left, top, width, height] => Ok(Region {
                left,
                top,
                width,
                height,
            }),
            _ => Err(format!("must be left,top,width,height, got {text:?}")),
        }
    }
}

impl FromStr for Point {
    type Err = String;

    /// `x,y`.
    fn from_str(text: &str) -> Result<Point, String> {
        match numbers::<f32, Point>(text, 2)?.as_slice() {
            &[x, y] => Ok(Point { x, y }),
            _ => Err(format!("must be x,y, got {text:?}")),
        }
    }
}

impl FromStr for Edges {
    type Err = String;

    /// One number for all four edges, or `top,right,bottom,left`.
    fn from_str(text: &str) -> Result<Edges, String> {
        if let Ok(all) = text.trim().parse::<u32>() {
            return Ok(Edges {
                top: all,
                right: all,
                bottom: all,
                left: all,
            });
        }
        match numbers::<u32, Edges>(text, 4)
            .map_err(|why| format!("{why}, or one number for all four"))?
            .as_slice()
        {
            &[top, right, bottom, left] => Ok(Edges {
                top,
                right,
                bottom,
                left,
            }),
            _ => Err(format!("must be top,right,bottom,left, got {text:?}")),
        }
    }
}

impl FromStr for Overlay {
    type Err = String;

    /// `image,gravity,x,y,opacity,scale,tile`: the image in base64 (standard or URL-safe
    /// alphabet, or a `data:` URL), the rest as the fields' own text; any after the image may be
    /// empty or left off.
    fn from_str(text: &str) -> Result<Overlay, String> {
        // Not spaces: a query's `+` in base64 may have become one.
        let text = text.trim_matches(['\n', '\r', '\t']);
        // A data URL's own comma comes before the image's bytes.
        let text = match text.split_once(";base64,") {
            Some((prefix, rest)) if prefix.starts_with("data:") => rest,
            _ => text,
        };
        // The fields after the image.
        let placement = Overlay::FIELDS
            .split_first()
            .map_or(&[][..], |(_, rest)| rest);
        let mut parts = text.split(',');
        let encoded = parts.next().unwrap_or_default();
        let mut parts = parts.map(str::trim);
        let image = decode_base64(encoded).map_err(|why| {
            format!(
                "must start with the image in base64 (image,{}): {why}",
                placement.join(",")
            )
        })?;
        let mut overlay = Overlay {
            image,
            ..Overlay::default()
        };
        for (field, value) in placement.iter().zip(parts.by_ref()) {
            if value.is_empty() {
                continue;
            }
            let bad = |what: &str| format!("field {field} must be {what}, got {value:?}");
            match *field {
                "gravity" => {
                    overlay.gravity =
                        Some(Gravity::parse(value).map_err(|e| format!("field gravity {e}"))?);
                }
                "x" => overlay.x = Some(value.parse().map_err(|_| bad("a whole number"))?),
                "y" => overlay.y = Some(value.parse().map_err(|_| bad("a whole number"))?),
                "opacity" => overlay.opacity = Some(value.parse().map_err(|_| bad("a number"))?),
                "scale" => overlay.scale = Some(value.parse().map_err(|_| bad("a number"))?),
                _ => {
                    overlay.tile = Some(match value {
                        "true" | "1" | "yes" => true,
                        "false" | "0" | "no" => false,
                        _ => return Err(bad("true or false")),
                    });
                }
            }
        }
        if parts.next().is_some() {
            return Err(format!(
                "has more than its {} fields ({})",
                Overlay::FIELDS.len(),
                Overlay::FIELDS.join(",")
            ));
        }
        Ok(overlay)
    }
}

/// Base64 as clients write it: either alphabet, padding optional, a query's `+` possibly
/// turned into a space on the way.
fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let standard = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let url_safe = GeneralPurpose::new(&base64::alphabet::URL_SAFE, config);
    let text = text.replace(' ', "+");
    standard
        .decode(&text)
        .or_else(|_| url_safe.decode(&text))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_their_text_form() {
        assert_eq!(
            "10, 20,300,400".parse::<Region>(),
            Ok(Region {
                left: 10,
                top: 20,
                width: 300,
                height: 400
            })
        );
        assert!("10,20,300".parse::<Region>().is_err());
        assert!("-1,0,1,1".parse::<Region>().is_err());
        assert_eq!("0.25,1".parse::<Point>(), Ok(Point { x: 0.25, y: 1.0 }));
        assert_eq!(
            "5".parse::<Edges>(),
            Ok(Edges {
                top: 5,
                right: 5,
                bottom: 5,
                left: 5
            })
        );
        assert_eq!(
            "1,2,3,4".parse::<Edges>(),
            Ok(Edges {
                top: 1,
                right: 2,
                bottom: 3,
                left: 4
            })
        );
        let why = "1,2".parse::<Edges>().unwrap_err();
        assert!(why.contains("top,right,bottom,left"), "{why}");
    }

    #[test]
    fn overlays_read_their_text_form() {
        let o: Overlay = "AQID,soea,-4,5,0.5,0.25,true".parse().unwrap();
        assert_eq!(
            o,
            Overlay {
                image: vec![1, 2, 3],
                gravity: Some(Gravity::SouthEast),
                x: Some(-4),
                y: Some(5),
                opacity: Some(0.5),
                scale: Some(0.25),
                tile: Some(true),
            }
        );
        let o: Overlay = "data:image/png;base64,AQI,,,,0.5".parse().unwrap();
        assert_eq!(
            (o.image, o.gravity, o.opacity),
            (vec![1, 2], None, Some(0.5))
        );
        // URL-safe alphabet, and a query's `+` read as a space.
        assert_eq!("-_8".parse::<Overlay>().unwrap().image, [0xfb, 0xff]);
        assert_eq!(
            "+/8".replace('+', " ").parse::<Overlay>().unwrap().image,
            [0xfb, 0xff]
        );
        assert!("***".parse::<Overlay>().unwrap_err().contains("base64"));
        assert!(
            "AQI,sideways"
                .parse::<Overlay>()
                .unwrap_err()
                .contains("gravity")
        );
        assert!(
            "AQI,,,,,,,extra"
                .parse::<Overlay>()
                .unwrap_err()
                .contains("fields")
        );
    }
}
