//! The JSON contract of the service this replaces: `POST /process` with
//! `{"image": "<base64>", ...options}` answers `{"image": "<base64>", "width", "height",
//! "format", "bytes"}`. Options take the same names as in the query string.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::{Deserialize, Serialize};

use crate::params::Params;
use crate::reply::Failure;
use imgpipe_names::{HttpProblem, Name, OptionName};

/// Standard alphabet; padding optional on input (clients differ), always written on output.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[derive(Deserialize)]
struct Body<'a> {
    /// Borrowed from the request body when it has no escapes (base64 never does), so a large
    /// image is not copied before it is decoded.
    #[serde(borrow)]
    image: Option<Cow<'a, str>>,
    #[serde(flatten)]
    options: BTreeMap<String, serde_json::Value>,
}

/// The image and options of a JSON request; its fields override the query's `params`.
pub fn parse(body: &[u8], mut params: Params) -> Result<(Vec<u8>, Params), Failure> {
    let parsed: Body<'_> = serde_json::from_slice(body).map_err(|e| {
        Failure::new(
            HttpProblem::BadJson,
            format!("request body is not valid JSON: {e}"),
        )
    })?;
    let Some(image) = parsed.image else {
        return Err(Failure::new(
            HttpProblem::BadJson,
            "request body has no \"image\" field (base64 of the image's bytes)",
        ));
    };
    for (name, value) in &parsed.options {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => {
                let why = format!("must be a string, number or boolean, got {value}");
                return Err(match OptionName::parse(name) {
                    Ok(option) => Failure::invalid_option(option.as_str(), option.refusal(&why)),
                    Err(_) => {
                        Failure::invalid_option(name, format!("invalid option {name}: {why}"))
                    }
                });
            }
        };
        params
            .set(name, &text)
            .map_err(|e| Failure::invalid_option(&e.name, e.message))?;
    }
    // A data URL ("data:image/png;base64,....") is accepted as what browsers hand out.
    let encoded = match image.split_once(";base64,") {
        Some((prefix, rest)) if prefix.starts_with("data:") => rest,
        _ => &image,
    };
    let bytes = BASE64.decode(encoded.trim()).map_err(|e| {
        Failure::new(
            HttpProblem::BadBase64,
            format!("\"image\" is not valid base64: {e}"),
        )
    })?;
    Ok((bytes, params))
}

/// A processed image as the JSON answer.
#[derive(Serialize)]
pub struct Answer<'a> {
    pub image: String,
    pub width: u32,
    pub height: u32,
    pub format: &'a str,
    pub bytes: usize,
}

impl<'a> Answer<'a> {
    /// The answer for `image`, encoded as `format` (its WIT name, e.g. "webp").
    pub fn new(image: &[u8], width: u32, height: u32, format: &'a str) -> Answer<'a> {
        Answer {
            image: BASE64.encode(image),
            width,
            height,
            format,
            bytes: image.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Format;
    use imgpipe_names::{ErrorKind, OutputFormat, Problem};

    fn parse_alone(body: &[u8]) -> Result<(Vec<u8>, Params), Failure> {
        parse(body, Params::default())
    }

    #[test]
    fn reads_image_and_options() {
        let (image, params) =
            parse_alone(br#"{"image":"AQID","w":720,"q":"80","format":"png","enlarge":true}"#)
                .unwrap();
        assert_eq!(image, [1, 2, 3]);
        assert_eq!(params.max_width, Some(720));
        assert_eq!(params.quality, Some(80));
        assert_eq!(params.format, Some(Format::Fixed(OutputFormat::Png)));
        assert_eq!(params.allow_enlarge, Some(true));
    }

    #[test]
    fn accepts_data_urls_and_missing_padding() {
        assert_eq!(
            parse_alone(br#"{"image":"data:image/png;base64,AQI="}"#)
                .unwrap()
                .0,
            [1, 2]
        );
        assert_eq!(parse_alone(br#"{"image":"AQI"}"#).unwrap().0, [1, 2]);
    }

    #[test]
    fn refuses_with_the_right_kind() {
        assert_eq!(
            parse_alone(b"not json").unwrap_err().problem,
            Problem::from(HttpProblem::BadJson)
        );
        assert_eq!(
            parse_alone(br#"{"w":1}"#).unwrap_err().problem,
            Problem::from(HttpProblem::BadJson)
        );
        assert_eq!(
            parse_alone(br#"{"image":"***"}"#).unwrap_err().problem,
            Problem::from(HttpProblem::BadBase64)
        );
        let e = parse_alone(br#"{"image":"AQI=","w":[1]}"#).unwrap_err();
        assert_eq!(
            (e.problem, e.option.as_deref()),
            (Problem::from(ErrorKind::InvalidOption), Some("max-width"))
        );
        let e = parse_alone(br#"{"image":"AQI=","zoom":2}"#).unwrap_err();
        assert_eq!(
            (e.problem, e.option.as_deref()),
            (Problem::from(ErrorKind::InvalidOption), Some("zoom"))
        );
    }

    #[test]
    fn answer_round_trips() {
        let answer = Answer::new(&[9, 8, 7, 6], 2, 1, "png");
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["image"], "CQgHBg==");
        assert_eq!(json["bytes"], 4);
        assert_eq!(json["format"], "png");
    }
}
