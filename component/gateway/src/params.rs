//! The request's options, from the query string (`?w=720&h=588&q=80&format=webp`) or from the
//! fields of a JSON body: both go through [`Params::set`], so the two ways of asking accept the
//! same names and values and refuse the same mistakes.

use std::fmt;

/// Output format asked for; `Auto` is settled against the `Accept` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    WebpLossless,
    Avif,
    Auto,
}

/// The processor's fit modes, by their WIT names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Inside,
    Cover,
    Contain,
    Fill,
}

/// The processor's resampling filters, by their WIT names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Lanczos3,
    Nearest,
    Bilinear,
    CatmullRom,
    Mitchell,
}

/// What one request asks for. `None` leaves the processor's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub quality: Option<u8>,
    /// Default JPEG, as the processor's `process`.
    pub format: Option<Format>,
    pub fit: Option<Fit>,
    pub filter: Option<Filter>,
    /// RGBA.
    pub background: Option<[u8; 4]>,
    pub enlarge: Option<bool>,
    pub orient: Option<bool>,
}

/// An option the gateway cannot read; answered with 400 `invalid-option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    pub name: String,
    pub message: String,
}

impl fmt::Display for BadParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// The names `set` knows, for error messages.
pub const NAMES: &str = "w, h, q, format, fit, filter, bg, enlarge, orient";

impl Params {
    /// Parses a query string; an empty or absent one asks for the defaults.
    pub fn from_query(query: Option<&str>) -> Result<Params, BadParam> {
        let mut params = Params::default();
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            params.set(&percent_decode(name), &percent_decode(value))?;
        }
        Ok(params)
    }

    /// Sets option `name` from its text form. Numbers out of the processor's range are left for
    /// the processor to refuse, so its messages (and limits) stay the one source of truth.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), BadParam> {
        let bad = |message: String| BadParam {
            name: name.to_string(),
            message,
        };
        match name {
            "w" | "width" => self.width = Some(number(value).map_err(bad)?),
            "h" | "height" => self.height = Some(number(value).map_err(bad)?),
            "q" | "quality" => self.quality = Some(number(value).map_err(bad)?),
            "format" => {
                self.format = Some(match value {
                    "jpeg" | "jpg" => Format::Jpeg,
                    "png" => Format::Png,
                    "webp" => Format::Webp,
                    "webp-lossless" => Format::WebpLossless,
                    "avif" => Format::Avif,
                    "auto" => Format::Auto,
                    _ => {
                        return Err(bad(format!(
                            "must be jpeg, png, webp, webp-lossless, avif or auto, got {value:?}"
                        )));
                    }
                })
            }
            "fit" => {
                self.fit = Some(match value {
                    "inside" => Fit::Inside,
                    "cover" => Fit::Cover,
                    "contain" => Fit::Contain,
                    "fill" => Fit::Fill,
                    _ => {
                        return Err(bad(format!(
                            "must be inside, cover, contain or fill, got {value:?}"
                        )));
                    }
                })
            }
            "filter" => {
                self.filter = Some(match value {
                    "lanczos3" => Filter::Lanczos3,
                    "nearest" => Filter::Nearest,
                    "bilinear" => Filter::Bilinear,
                    "catmull-rom" => Filter::CatmullRom,
                    "mitchell" => Filter::Mitchell,
                    _ => {
                        return Err(bad(format!(
                            "must be lanczos3, nearest, bilinear, catmull-rom or mitchell, got {value:?}"
                        )));
                    }
                })
            }
            "bg" | "background" => self.background = Some(color(value).map_err(bad)?),
            "enlarge" => self.enlarge = Some(boolean(value).map_err(bad)?),
            "orient" => self.orient = Some(boolean(value).map_err(bad)?),
            _ => {
                return Err(bad(format!("unknown option; known: {NAMES}")));
            }
        }
        Ok(())
    }
}

fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("must be a whole number in range, got {value:?}"))
}

fn boolean(value: &str) -> Result<bool, String> {
    match value {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("must be true or false, got {value:?}")),
    }
}

/// `rrggbb` or `rrggbbaa`, with or without a leading `#` (which a query must write as `%23`).
fn color(value: &str) -> Result<[u8; 4], String> {
    let hex = value.strip_prefix('#').unwrap_or(value);
    let refuse = || format!("must be a hex colour rrggbb or rrggbbaa, got {value:?}");
    if !(hex.len() == 6 || hex.len() == 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refuse());
    }
    let mut rgba = [0, 0, 0, 255];
    for (slot, i) in rgba.iter_mut().zip((0..hex.len()).step_by(2)) {
        let pair = hex.get(i..i + 2).ok_or_else(refuse)?;
        *slot = u8::from_str_radix(pair, 16).map_err(|_| refuse())?;
    }
    Ok(rgba)
}

/// Decodes `%XX` escapes and `+` (a space in forms). Invalid escapes are kept as written, so
/// they reach the option parser and are refused there with the text the client sent.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // Exactly two hex digits (from_str_radix alone would take "+f").
        let escaped = (b == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, escaped) {
            (_, Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (_, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_option() {
        let p = Params::from_query(Some(
            "w=720&h=588&q=80&format=webp&fit=cover&filter=catmull-rom&bg=%23ff000080&enlarge=true&orient=0",
        ))
        .unwrap();
        assert_eq!(
            p,
            Params {
                width: Some(720),
                height: Some(588),
                quality: Some(80),
                format: Some(Format::Webp),
                fit: Some(Fit::Cover),
                filter: Some(Filter::CatmullRom),
                background: Some([255, 0, 0, 128]),
                enlarge: Some(true),
                orient: Some(false),
            }
        );
    }

    #[test]
    fn empty_query_is_all_defaults() {
        assert_eq!(Params::from_query(None).unwrap(), Params::default());
        assert_eq!(Params::from_query(Some("")).unwrap(), Params::default());
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for (query, name) in [
            ("w=abc", "w"),
            ("w=-1", "w"),
            ("q=300", "q"),
            ("format=gif", "format"),
            ("fit=stretch", "fit"),
            ("filter=box", "filter"),
            ("bg=red", "bg"),
            ("bg=12345", "bg"),
            ("enlarge=maybe", "enlarge"),
            ("width2=3", "width2"),
        ] {
            let err = Params::from_query(Some(query)).unwrap_err();
            assert_eq!(err.name, name, "{query}");
            assert!(!err.message.is_empty());
        }
    }

    #[test]
    fn background_without_alpha_is_opaque() {
        let p = Params::from_query(Some("bg=102030")).unwrap();
        assert_eq!(p.background, Some([0x10, 0x20, 0x30, 255]));
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b+c"), "a b c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        // "%+f" is not an escape: the "%" stays and the "+" is a space.
        assert_eq!(percent_decode("%+f"), "% f");
    }
}
