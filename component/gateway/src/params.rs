//! The request's options, from the query string (`?w=720&h=588&q=80&format=webp`) or from the
//! fields of a JSON body: both go through [`Params::set`], so the two ways of asking accept the
//! same names and values and refuse the same mistakes. The names are the WIT `options` fields
//! (`max-width`) or their short aliases (`w`), as `imgpipe-names` defines them; a refusal always
//! names the option by its WIT name.

use std::fmt;

use imgpipe_names::{
    ChromaSubsampling, Color, ColorProfile, Filter, Fit, Name, OptionName, OutputFormat,
    UnknownName,
};

/// The query's name for the output format (a parameter of `process-with-format`, not an option).
pub const FORMAT: &str = "format";
/// The `format` value that picks the format from the `Accept` header.
pub const AUTO: &str = "auto";

/// Output format asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Settled against the `Accept` header.
    Auto,
    Fixed(OutputFormat),
}

/// What one request asks for, with the WIT `options` field names. `None` leaves the
/// processor's default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pub quality: Option<u8>,
    pub max_width: Option<u32>,
    pub max_height: Option<u32>,
    pub fit: Option<Fit>,
    pub filter: Option<Filter>,
    pub background: Option<Color>,
    pub auto_orient: Option<bool>,
    pub allow_enlarge: Option<bool>,
    pub fast_shrink_on_load: Option<bool>,
    pub color_profile: Option<ColorProfile>,
    pub keep_metadata: Option<bool>,
    pub rotate: Option<i32>,
    pub flip: Option<bool>,
    pub flop: Option<bool>,
    pub progressive: Option<bool>,
    pub chroma_subsampling: Option<ChromaSubsampling>,
    pub dpr: Option<f32>,
    /// Default JPEG, as the processor's `process`.
    pub format: Option<Format>,
}

/// An option the gateway cannot read; answered with 400 `invalid-option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    /// The WIT name of the option (or `format`, or the unknown name as given).
    pub name: String,
    /// The whole sentence, the option's name included.
    pub message: String,
}

impl fmt::Display for BadParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

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

    /// Sets option `name` (a WIT name or its alias) from its text form.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), BadParam> {
        if name.eq_ignore_ascii_case(FORMAT) {
            self.format = Some(format(value).map_err(|why| BadParam {
                name: FORMAT.to_string(),
                message: format!("invalid option {FORMAT}: {why}"),
            })?);
            return Ok(());
        }
        let option = OptionName::parse(name).map_err(|_| BadParam {
            name: name.to_string(),
            message: format!("unknown option {name:?}; known: {}", known()),
        })?;
        let refuse = |why: String| BadParam {
            name: option.as_str().to_string(),
            message: option.refusal(&why),
        };
        match option {
            OptionName::Quality => self.quality = Some(number(option, value).map_err(refuse)?),
            OptionName::MaxWidth => self.max_width = Some(number(option, value).map_err(refuse)?),
            OptionName::MaxHeight => {
                self.max_height = Some(number(option, value).map_err(refuse)?);
            }
            OptionName::Fit => self.fit = Some(name_of(value).map_err(refuse)?),
            OptionName::Filter => self.filter = Some(name_of(value).map_err(refuse)?),
            OptionName::Background => {
                self.background = Some(value.parse().map_err(|e| refuse(format!("{e}")))?);
            }
            OptionName::AutoOrient => self.auto_orient = Some(boolean(value).map_err(refuse)?),
            OptionName::AllowEnlarge => {
                self.allow_enlarge = Some(boolean(value).map_err(refuse)?);
            }
            OptionName::FastShrinkOnLoad => {
                self.fast_shrink_on_load = Some(boolean(value).map_err(refuse)?);
            }
            OptionName::ColorProfile => self.color_profile = Some(name_of(value).map_err(refuse)?),
            OptionName::KeepMetadata => self.keep_metadata = Some(boolean(value).map_err(refuse)?),
            OptionName::Rotate => {
                let degrees: i32 = value
                    .parse()
                    .map_err(|_| refuse(format!("must be a whole number, got {value:?}")))?;
                self.rotate = Some(degrees);
            }
            OptionName::Flip => self.flip = Some(boolean(value).map_err(refuse)?),
            OptionName::Flop => self.flop = Some(boolean(value).map_err(refuse)?),
            OptionName::Progressive => self.progressive = Some(boolean(value).map_err(refuse)?),
            OptionName::Dpr => {
                let ratio: f32 = value
                    .parse()
                    .map_err(|_| refuse(format!("must be a number, got {value:?}")))?;
                self.dpr = Some(ratio);
            }
            OptionName::ChromaSubsampling => {
                self.chroma_subsampling = Some(name_of(value).map_err(refuse)?);
            }
            // A client may not lift the service's limits (nor is there a reason to lower them).
            OptionName::MaxInputPixels | OptionName::MaxInputBytes => {
                return Err(refuse(
                    "is the server's limit, set by its operator, not by a request".to_string(),
                ));
            }
        }
        Ok(())
    }
}

/// The names [`Params::set`] takes, for the message about an unknown one.
fn known() -> String {
    let mut names = vec![FORMAT.to_string()];
    for &option in OptionName::ALL {
        if !option.is_operator_limit() {
            names.push(match option.alias() {
                Some(alias) => format!("{option} ({alias})"),
                None => option.to_string(),
            });
        }
    }
    names.join(", ")
}

fn format(value: &str) -> Result<Format, String> {
    if value.eq_ignore_ascii_case(AUTO) {
        return Ok(Format::Auto);
    }
    value.parse().map(Format::Fixed).map_err(|e: UnknownName| {
        format!(
            "must be one of {}, or {AUTO}; got {:?}",
            e.expected.join(", "),
            e.got
        )
    })
}

fn name_of<T: Name>(value: &str) -> Result<T, String> {
    T::parse(value).map_err(|e| e.to_string())
}

/// A whole number in the option's range, checked here with the processor's own words, so a
/// value too large for the WIT type (`q=300`) is refused like one merely out of range.
fn number<T: TryFrom<u64>>(option: OptionName, value: &str) -> Result<T, String> {
    let n: u64 = value
        .parse()
        .map_err(|_| format!("must be a whole number, got {value:?}"))?;
    option.check_range(n)?;
    T::try_from(n).map_err(|_| format!("is out of range, got {n}"))
}

fn boolean(value: &str) -> Result<bool, String> {
    match value {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("must be true or false, got {value:?}")),
    }
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
    fn reads_every_option_by_alias() {
        let p = Params::from_query(Some(
            "w=720&h=588&q=80&format=webp&fit=cover&filter=catmull-rom&bg=%23ff000080&enlarge=true&orient=0",
        ))
        .unwrap();
        assert_eq!(
            p,
            Params {
                max_width: Some(720),
                max_height: Some(588),
                quality: Some(80),
                format: Some(Format::Fixed(OutputFormat::Webp)),
                fit: Some(Fit::Cover),
                filter: Some(Filter::CatmullRom),
                background: Some(Color {
                    r: 255,
                    g: 0,
                    b: 0,
                    a: 128
                }),
                allow_enlarge: Some(true),
                auto_orient: Some(false),
                fast_shrink_on_load: None,
                color_profile: None,
                keep_metadata: None,
                rotate: None,
                flip: None,
                flop: None,
                progressive: None,
                chroma_subsampling: None,
                dpr: None,
            }
        );
    }

    #[test]
    fn reads_every_option_by_wit_name() {
        let p = Params::from_query(Some(
            "max-width=10&max-height=20&quality=30&background=102030&allow-enlarge=1&auto-orient=no&fast-shrink-on-load=false&format=auto&icc=p3&keep-metadata=1&rotate=-90&flip=1&flop=0&progressive=1&chroma=4:4:4&dpr=1.5",
        ))
        .unwrap();
        assert_eq!(
            (p.max_width, p.max_height, p.quality, p.format),
            (Some(10), Some(20), Some(30), Some(Format::Auto))
        );
        assert_eq!(p.background.map(Color::rgba), Some([0x10, 0x20, 0x30, 255]));
        assert_eq!(
            (p.allow_enlarge, p.auto_orient, p.fast_shrink_on_load),
            (Some(true), Some(false), Some(false))
        );
        assert_eq!(p.color_profile, Some(ColorProfile::P3));
        assert_eq!(p.keep_metadata, Some(true));
        assert_eq!(
            (p.rotate, p.flip, p.flop),
            (Some(-90), Some(true), Some(false))
        );
        assert_eq!(
            (p.progressive, p.chroma_subsampling),
            (Some(true), Some(ChromaSubsampling::Yuv444))
        );
        assert_eq!(p.dpr, Some(1.5));
    }

    #[test]
    fn empty_query_is_all_defaults() {
        assert_eq!(Params::from_query(None).unwrap(), Params::default());
        assert_eq!(Params::from_query(Some("")).unwrap(), Params::default());
    }

    #[test]
    fn refuses_under_the_wit_name() {
        for (query, name) in [
            ("w=abc", "max-width"),
            ("w=-1", "max-width"),
            ("width=70000", "max-width"),
            ("q=300", "quality"),
            ("q=0", "quality"),
            ("quality=0", "quality"),
            ("format=gif", "format"),
            ("fit=stretch", "fit"),
            ("filter=box", "filter"),
            ("bg=red", "background"),
            ("bg=12345", "background"),
            ("enlarge=maybe", "allow-enlarge"),
            ("max-input-bytes=1", "max-input-bytes"),
            ("icc=cmyk", "color-profile"),
            ("width2=3", "width2"),
        ] {
            let err = Params::from_query(Some(query)).unwrap_err();
            assert_eq!(err.name, name, "{query}");
            assert!(err.message.contains(name), "{query}: {}", err.message);
        }
        // The alias the client used is named in the sentence too.
        let err = Params::from_query(Some("q=300")).unwrap_err();
        assert_eq!(
            err.message,
            "invalid option quality (q): must be 1 to 100, got 300"
        );
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
