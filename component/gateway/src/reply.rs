//! Failed requests as JSON, `{"error": kind, "message": ...}`, with the status each kind earns
//! ([`Problem::status`]). The project's host server answers its own refusals (timeout, busy) with
//! the same type, so both servers write one shape.

use imgpipe_names::{ErrorKind, Problem};
use serde::Serialize;

/// A request answered with an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong, as a kind with a fixed status.
    pub problem: Problem,
    /// What went wrong, in a sentence.
    pub message: String,
    /// For `invalid-option`: the option's WIT name.
    pub option: Option<String>,
    /// For `too-large`: the limit that was passed.
    pub limit: Option<u64>,
    /// For `method-not-allowed`: the methods the route takes, for the `Allow` header.
    pub allow: Option<&'static str>,
}

/// The JSON body.
#[derive(Serialize)]
struct Body<'a> {
    error: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    option: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u64>,
}

impl Failure {
    /// A failure of `problem`, with its message.
    pub fn new(problem: impl Into<Problem>, message: impl Into<String>) -> Failure {
        Failure {
            problem: problem.into(),
            message: message.into(),
            option: None,
            limit: None,
            allow: None,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.problem.status()
    }

    /// An option the request could not use; `name` is its WIT name.
    pub fn invalid_option(name: &str, message: impl Into<String>) -> Failure {
        Failure {
            option: Some(name.to_string()),
            ..Failure::new(ErrorKind::InvalidOption, message)
        }
    }

    /// A request body over `limit` bytes.
    pub fn body_too_large(limit: u64, found: Option<u64>) -> Failure {
        let found = found.map_or_else(|| "more".to_string(), |n| n.to_string());
        Failure {
            limit: Some(limit),
            ..Failure::new(
                ErrorKind::TooLarge,
                format!("request body has {found} bytes; the limit is {limit}"),
            )
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        let body = Body {
            error: self.problem.as_str(),
            message: &self.message,
            option: self.option.as_deref(),
            limit: self.limit,
        };
        // Serialising strings and numbers cannot fail; the fallback only satisfies the type.
        serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"error\":\"internal\"}".to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_the_kind_and_its_details() {
        let failure = Failure::invalid_option(
            "quality",
            "invalid option quality (q): must be 1 to 100, got 0",
        );
        assert_eq!(failure.status(), 400);
        let value: serde_json::Value = serde_json::from_slice(&failure.to_json()).unwrap();
        assert_eq!(value["error"], "invalid-option");
        assert_eq!(value["option"], "quality");
        assert!(value.get("limit").is_none());
        let failure = Failure::body_too_large(10, Some(11));
        assert_eq!(failure.status(), 413);
        let value: serde_json::Value = serde_json::from_slice(&failure.to_json()).unwrap();
        assert_eq!(value["error"], "too-large");
        assert_eq!(value["limit"], 10);
    }

    #[test]
    fn every_problem_writes_its_own_name() {
        for problem in Problem::all() {
            let json = Failure::new(problem, "m \"quoted\"").to_json();
            let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
            assert_eq!(value["error"], problem.as_str());
            assert_eq!(value["message"], "m \"quoted\"");
        }
    }
}
