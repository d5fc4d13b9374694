//! The request's options, from the query string (`?w=720&h=588&q=80&format=webp`) or from the
//! fields of a JSON body: both go through [`Params::set`], so the two ways of asking accept the
//! same names and values and refuse the same mistakes. The names are the WIT `options` fields
//! (`max-width`) or their short aliases (`w`), as `imgpipe-names` defines them; a refusal always
//! names the option by its WIT name.

use std::fmt;

use imgpipe_names::{Name, OptionName, Options, OutputFormat, UnknownName};

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

/// What one request asks for: the WIT `options` (as `imgpipe-names` holds them; `None` leaves
/// the processor's default) and the output format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pub options: Options,
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
        let o = &mut self.options;
        match option {
            OptionName::Quality => o.quality = Some(number(option, value).map_err(refuse)?),
            OptionName::MaxWidth => o.max_width = Some(number(option, value).map_err(refuse)?),
            OptionName::MaxHeight => o.max_height = Some(number(option, value).map_err(refuse)?),
            OptionName::MaxBytes => o.max_bytes = Some(number(option, value).map_err(refuse)?),
            OptionName::Effort => o.effort = Some(number(option, value).map_err(refuse)?),
            OptionName::OptimizeCoding => {
                o.optimize_coding = Some(boolean(value).map_err(refuse)?);
            }
            OptionName::Placeholder => o.placeholder = Some(name_of(value).map_err(refuse)?),
            OptionName::Overlay => o.overlay = Some(parsed(value).map_err(refuse)?),
            OptionName::Fit => o.fit = Some(name_of(value).map_err(refuse)?),
            OptionName::Filter => o.filter = Some(name_of(value).map_err(refuse)?),
            OptionName::ColorProfile => o.color_profile = Some(name_of(value).map_err(refuse)?),
            OptionName::ChromaSubsampling => {
                o.chroma_subsampling = Some(name_of(value).map_err(refuse)?);
            }
            OptionName::Gravity => o.gravity = Some(name_of(value).map_err(refuse)?),
            OptionName::Background => o.background = Some(parsed(value).map_err(refuse)?),
            OptionName::Extract => o.extract = Some(parsed(value).map_err(refuse)?),
            OptionName::FocalPoint => o.focal_point = Some(parsed(value).map_err(refuse)?),
            OptionName::Extend => o.extend = Some(parsed(value).map_err(refuse)?),
            OptionName::AutoOrient => o.auto_orient = Some(boolean(value).map_err(refuse)?),
            OptionName::AllowEnlarge => o.allow_enlarge = Some(boolean(value).map_err(refuse)?),
            OptionName::FastShrinkOnLoad => {
                o.fast_shrink_on_load = Some(boolean(value).map_err(refuse)?);
            }
            OptionName::KeepMetadata => o.keep_metadata = Some(boolean(value).map_err(refuse)?),
            OptionName::Flip => o.flip = Some(boolean(value).map_err(refuse)?),
            OptionName::Flop => o.flop = Some(boolean(value).map_err(refuse)?),
            OptionName::Progressive => o.progressive = Some(boolean(value).map_err(refuse)?),
            OptionName::Animated => o.animated = Some(boolean(value).map_err(refuse)?),
            OptionName::Rotate => o.rotate = Some(fraction(option, value).map_err(refuse)?),
            OptionName::Dpr => o.dpr = Some(fraction(option, value).map_err(refuse)?),
            OptionName::Trim => o.trim = Some(fraction(option, value).map_err(refuse)?),
            OptionName::Blur => o.blur = Some(fraction(option, value).map_err(refuse)?),
            OptionName::Sharpen => o.sharpen = Some(fraction(option, value).map_err(refuse)?),
            OptionName::SharpenFlat => {
                o.sharpen_flat = Some(fraction(option, value).map_err(refuse)?);
            }
            OptionName::SharpenJagged => {
                o.sharpen_jagged = Some(fraction(option, value).map_err(refuse)?);
            }
            // A client may not lift the service's limits (nor is there a reason to lower them).
            OptionName::MaxInputPixels
            | OptionName::MaxInputBytes
            | OptionName::MaxAnimationFrames => {
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

/// A number, checked against the option's range in the processor's words.
fn fraction(option: OptionName, value: &str) -> Result<f32, String> {
    let n: f32 = value
        .trim()
        .parse()
        .map_err(|_| format!("must be a number, got {value:?}"))?;
    option.check_float(n)?;
    Ok(n)
}

/// A value with its own text form: a colour, or a record's comma-separated fields.
fn parsed<T: std::str::FromStr<Err: fmt::Display>>(value: &str) -> Result<T, String> {
    value.parse().map_err(|e: T::Err| e.to_string())
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
    use imgpipe_names::{
        ChromaSubsampling, Color, ColorProfile, Edges, Filter, Fit, Gravity, Overlay, Placeholder,
        Point, Region,
    };

    #[test]
    fn reads_every_option_by_alias() {
        let p = Params::from_query(Some(
            "w=720&h=588&q=80&format=webp&fit=cover&filter=catmull-rom&bg=%23ff000080&enlarge=true&orient=0&g=soea&padding=4",
        ))
        .unwrap();
        assert_eq!(
            p,
            Params {
                options: Options {
                    max_width: Some(720),
                    max_height: Some(588),
                    quality: Some(80),
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
                    gravity: Some(Gravity::SouthEast),
                    extend: Some(Edges {
                        top: 4,
                        right: 4,
                        bottom: 4,
                        left: 4
                    }),
                    ..Options::default()
                },
                format: Some(Format::Fixed(OutputFormat::Webp)),
            }
        );
    }

    #[test]
    fn reads_every_option_by_wit_name() {
        let p = Params::from_query(Some(
            "max-width=10&max-height=20&quality=30&background=102030&allow-enlarge=1&auto-orient=no&fast-shrink-on-load=false&format=auto&icc=p3&keep-metadata=1&rotate=-90&flip=1&flop=0&progressive=1&chroma=4:4:4&dpr=1.5\
             &trim=12.5&extract=1,2,30,40&gravity=attention&fp=0.25,0.75&blur=2&sharpen=1.5&sharpen-flat=0.5&sharpen-jagged=3&extend=1,2,3,4&max-bytes=20000\
             &effort=7&optimize-coding=false&placeholder=thumbhash&overlay=AQI%2B,soea,5,-6,0.5,0.25,1&anim=false",
        ))
        .unwrap();
        let o = &p.options;
        assert_eq!(
            (o.max_width, o.max_height, o.quality, p.format),
            (Some(10), Some(20), Some(30), Some(Format::Auto))
        );
        assert_eq!(o.background.map(Color::rgba), Some([0x10, 0x20, 0x30, 255]));
        assert_eq!(
            (o.allow_enlarge, o.auto_orient, o.fast_shrink_on_load),
            (Some(true), Some(false), Some(false))
        );
        assert_eq!(o.color_profile, Some(ColorProfile::P3));
        assert_eq!(o.keep_metadata, Some(true));
        assert_eq!(
            (o.rotate, o.flip, o.flop),
            (Some(-90.0), Some(true), Some(false))
        );
        assert_eq!(
            (o.progressive, o.chroma_subsampling),
            (Some(true), Some(ChromaSubsampling::Yuv444))
        );
        assert_eq!(o.dpr, Some(1.5));
        assert_eq!(o.trim, Some(12.5));
        assert_eq!(
            o.extract,
            Some(Region {
                left: 1,
                top: 2,
                width: 30,
                height: 40
            })
        );
        assert_eq!(o.gravity, Some(Gravity::Attention));
        assert_eq!(o.focal_point, Some(Point { x: 0.25, y: 0.75 }));
        assert_eq!(
            (o.blur, o.sharpen, o.sharpen_flat, o.sharpen_jagged),
            (Some(2.0), Some(1.5), Some(0.5), Some(3.0))
        );
        assert_eq!(
            o.extend,
            Some(Edges {
                top: 1,
                right: 2,
                bottom: 3,
                left: 4
            })
        );
        assert_eq!(o.max_bytes, Some(20_000));
        assert_eq!(o.animated, Some(false));
        assert_eq!(
            (o.effort, o.optimize_coding, o.placeholder),
            (Some(7), Some(false), Some(Placeholder::Thumbhash))
        );
        assert_eq!(
            o.overlay,
            Some(Overlay {
                image: vec![1, 2, 0x3E],
                gravity: Some(Gravity::SouthEast),
                x: Some(5),
                y: Some(-6),
                opacity: Some(0.5),
                scale: Some(0.25),
                tile: Some(true),
            })
        );
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
            ("format=tiff", "format"),
            ("max-animation-frames=5", "max-animation-frames"),
            ("anim=sometimes", "animated"),
            ("fit=stretch", "fit"),
            ("filter=box", "filter"),
            ("bg=red", "background"),
            ("bg=12345", "background"),
            ("enlarge=maybe", "allow-enlarge"),
            ("max-input-bytes=1", "max-input-bytes"),
            ("icc=cmyk", "color-profile"),
            ("width2=3", "width2"),
            ("blur=0", "blur"),
            ("blur=-1", "blur"),
            ("sharpen=11", "sharpen"),
            ("rotate=nan", "rotate"),
            ("fp=2", "focal-point"),
            ("extract=1,2,3", "extract"),
            ("extend=a", "extend"),
            ("gravity=middle", "gravity"),
            ("max-bytes=0", "max-bytes"),
            ("effort=10", "effort"),
            ("optimize-coding=2", "optimize-coding"),
            ("placeholder=jpeg", "placeholder"),
            ("overlay=***", "overlay"),
            ("watermark=AQI,middle", "overlay"),
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
