//! Failed requests as JSON, `{"error": kind, "message": ...}`, with the status each kind earns:
//! bad input is always a 4xx, so a client can tell its own mistakes from the service's.

use serde::Serialize;

/// A request the gateway answers with an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The HTTP status.
    #[serde(skip)]
    pub status: u16,
    /// The error's kind: a processor error case (`decode-failed`, ...) or one of the gateway's
    /// own (`bad-json`, `bad-base64`, `not-found`, `method-not-allowed`).
    pub error: &'static str,
    /// What went wrong, in a sentence.
    pub message: String,
    /// For `invalid-option`: the option's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// For `too-large`: the limit that was passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// For `method-not-allowed`: the methods the route takes, for the `Allow` header.
    #[serde(skip)]
    pub allow: Option<&'static str>,
}

impl Failure {
    /// A failure of `kind` (a processor error case or one of the gateway's), with the status that
    /// kind always gets.
    pub fn new(kind: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status: status_for(kind),
            error: kind,
            message: message.into(),
            option: None,
            limit: None,
            allow: None,
        }
    }

    /// An option the request could not use.
    pub fn invalid_option(name: &str, message: impl Into<String>) -> Failure {
        Failure {
            option: Some(name.to_string()),
            ..Failure::new("invalid-option", message)
        }
    }

    /// A request body over `limit` bytes.
    pub fn body_too_large(limit: u64, found: Option<u64>) -> Failure {
        let found = found.map_or_else(|| "more".to_string(), |n| n.to_string());
        Failure {
            limit: Some(limit),
            ..Failure::new(
                "too-large",
                format!("request body has {found} bytes; the limit is {limit}"),
            )
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|_| b"{\"error\":\"internal\"}".to_vec())
    }
}

/// The status for an error kind: 400 for a request that is wrong whatever the image, 413 for
/// a limit, 415 for a format the processor does not read, 422 for an image it cannot decode.
pub fn status_for(kind: &str) -> u16 {
    match kind {
        "empty-input" | "invalid-option" | "bad-json" | "bad-base64" | "bad-body"
        | "bad-request" => 400,
        "not-found" => 404,
        "method-not-allowed" => 405,
        "too-large" => 413,
        "unsupported-format" => 415,
        "decode-failed" => 422,
        // encode-failed: the input was fine and the service could not write it.
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_never_a_server_error() {
        for kind in [
            "empty-input",
            "invalid-option",
            "bad-json",
            "bad-base64",
            "bad-request",
            "too-large",
            "unsupported-format",
            "decode-failed",
        ] {
            assert!((400..500).contains(&status_for(kind)), "{kind}");
        }
        assert_eq!(status_for("encode-failed"), 500);
    }

    #[test]
    fn json_names_the_kind_and_its_details() {
        let json = Failure::invalid_option("q", "must be 1 to 100, got 0").to_json();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["error"], "invalid-option");
        assert_eq!(value["option"], "q");
        assert!(value.get("limit").is_none());
        let json = Failure::body_too_large(10, Some(11)).to_json();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(value["error"], "too-large");
        assert_eq!(value["limit"], 10);
    }
}
