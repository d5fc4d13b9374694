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
        let text = text_form(name, value).map_err(|why| match OptionName::parse(name) {
            Ok(option) => Failure::invalid_option(option.as_str(), option.refusal(&why)),
            Err(_) => Failure::invalid_option(name, format!("invalid option {name}: {why}")),
        })?;
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

/// A JSON value as the query would write it: strings, numbers and booleans as they are; a
/// record (`extract`, `focal-point`, `extend`, `overlay`) as an array of its fields in order, or
/// an object of them (a field left out is empty, its default where the record has one), joined
/// by commas.
fn text_form(name: &str, value: &serde_json::Value) -> Result<String, String> {
    use serde_json::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    if let Some(text) = scalar(value) {
        return Ok(text);
    }
    let fields = OptionName::parse(name).ok().and_then(OptionName::fields);
    let joined = match (value, fields) {
        (Value::Array(items), Some(_)) => items.iter().map(scalar).collect::<Option<Vec<_>>>(),
        (Value::Object(map), Some(fields)) => fields
            .iter()
            .map(|f| map.get(*f).map_or(Some(String::new()), scalar))
            .collect::<Option<Vec<_>>>(),
        _ => None,
    };
    joined
        .map(|parts| parts.join(","))
        .ok_or_else(|| match fields {
            Some(fields) => format!(
                "must be \"{}\", an array or an object of {}; got {value}",
                fields.join(","),
                fields.join(", ")
            ),
            None => format!("must be a string, number or boolean, got {value}"),
        })
}

/// A processed image as the JSON answer.
#[derive(Serialize)]
pub struct Answer<'a> {
    pub image: String,
    pub width: u32,
    pub height: u32,
    pub format: &'a str,
    pub bytes: usize,
    /// `options.placeholder`'s result, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
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
            placeholder: None,
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
        assert_eq!(params.options.max_width, Some(720));
        assert_eq!(params.options.quality, Some(80));
        assert_eq!(params.format, Some(Format::Fixed(OutputFormat::Png)));
        assert_eq!(params.options.allow_enlarge, Some(true));
    }

    #[test]
    fn records_come_as_text_arrays_or_objects() {
        let region = imgpipe_names::Region {
            left: 1,
            top: 2,
            width: 3,
            height: 4,
        };
        for body in [
            br#"{"image":"AQI=","extract":"1,2,3,4"}"#.as_slice(),
            br#"{"image":"AQI=","extract":[1,2,3,4]}"#,
            br#"{"image":"AQI=","extract":{"height":4,"width":3,"top":2,"left":1}}"#,
        ] {
            assert_eq!(parse_alone(body).unwrap().1.options.extract, Some(region));
        }
        let (_, p) = parse_alone(br#"{"image":"AQI=","fp":{"x":0.5,"y":0.25}}"#).unwrap();
        assert_eq!(
            p.options.focal_point,
            Some(imgpipe_names::Point { x: 0.5, y: 0.25 })
        );
        let (_, p) = parse_alone(
            br#"{"image":"AQI=","overlay":{"image":"data:image/png;base64,AQID","gravity":"soea","opacity":0.5}}"#,
        )
        .unwrap();
        assert_eq!(
            p.options.overlay,
            Some(imgpipe_names::Overlay {
                image: vec![1, 2, 3],
                gravity: Some(imgpipe_names::Gravity::SouthEast),
                opacity: Some(0.5),
                ..Default::default()
            })
        );
        let e = parse_alone(br#"{"image":"AQI=","extract":{"left":1}}"#).unwrap_err();
        assert_eq!(e.option.as_deref(), Some("extract"));
        assert!(e.message.contains("left,top,width,height"), "{}", e.message);
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
