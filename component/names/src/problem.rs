//! Error kinds: the processor's WIT cases, and every kind an HTTP answer can carry, each with
//! the one status it always gets. Bad input is always a 4xx, so a client can tell its own
//! mistakes from the service's.

names! {
    /// The case of a WIT `error`, without its payload; WIT `error-kind`.
    pub enum ErrorKind: "error-kind" {
        EmptyInput = "empty-input",
        UnsupportedFormat = "unsupported-format",
        DecodeFailed = "decode-failed",
        TooLarge = "too-large",
        InvalidOption = "invalid-option",
        EncodeFailed = "encode-failed",
    }
}

impl ErrorKind {
    /// The HTTP status of a request that failed with this kind.
    pub fn status(self) -> u16 {
        Problem::from(self).status()
    }
}

names! {
    /// Which limit an input exceeded; WIT `limit-kind`.
    pub enum LimitKind: "limit-kind" {
        Bytes = "bytes",
        Pixels = "pixels",
        Dimensions = "dimensions",
        Frames = "frames",
    }
}

names! {
    /// The kinds of error only an HTTP answer has: the gateway's own refusals, and the host's
    /// when an instance fails.
    pub enum HttpProblem: "http-problem" {
        /// The JSON body could not be parsed, or lacks `image`.
        BadJson = "bad-json",
        /// The JSON body's `image` is not base64.
        BadBase64 = "bad-base64",
        /// The request body could not be read to its end.
        BadBody = "bad-body",
        /// The request itself could not be represented (its URI, its headers).
        BadRequest = "bad-request",
        /// No such route.
        NotFound = "not-found",
        /// The route exists, not for this method.
        MethodNotAllowed = "method-not-allowed",
        /// Processing ran past the server's time limit and was stopped.
        Timeout = "timeout",
        /// Every slot stayed busy for longer than the queue wait.
        Busy = "busy",
        /// The component failed (trapped) on this request: the service's fault.
        Internal = "internal",
    }
}

/// The `error` of an HTTP error answer (`{"error": ..., "message": ...}`): a processor error
/// kind or one of the HTTP layer's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Problem {
    Error(ErrorKind),
    Http(HttpProblem),
}

impl Problem {
    /// The name in the answer's `error` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Error(kind) => kind.as_str(),
            Problem::Http(problem) => problem.as_str(),
        }
    }

    /// Every problem: the error kinds, then the HTTP layer's.
    pub fn all() -> impl Iterator<Item = Problem> {
        let errors = ErrorKind::ALL.iter().copied().map(Problem::Error);
        errors.chain(HttpProblem::ALL.iter().copied().map(Problem::Http))
    }

    /// The HTTP status this kind always gets: 400 for a request that is wrong whatever the
    /// image, 413 for a limit, 415 for a format not read, 422 for an image that cannot be
    /// decoded, 503 for a server too busy or too slow now, 500 for the service's own failures.
    pub fn status(self) -> u16 {
        match self {
            Problem::Error(kind) => match kind {
                ErrorKind::EmptyInput | ErrorKind::InvalidOption => 400,
                ErrorKind::TooLarge => 413,
                ErrorKind::UnsupportedFormat => 415,
                ErrorKind::DecodeFailed => 422,
                // The input was fine and the encoder failed on it.
                ErrorKind::EncodeFailed => 500,
            },
            Problem::Http(problem) => match problem {
                HttpProblem::BadJson
                | HttpProblem::BadBase64
                | HttpProblem::BadBody
                | HttpProblem::BadRequest => 400,
                HttpProblem::NotFound => 404,
                HttpProblem::MethodNotAllowed => 405,
                HttpProblem::Timeout | HttpProblem::Busy => 503,
                HttpProblem::Internal => 500,
            },
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ErrorKind> for Problem {
    fn from(kind: ErrorKind) -> Problem {
        Problem::Error(kind)
    }
}

impl From<HttpProblem> for Problem {
    fn from(problem: HttpProblem) -> Problem {
        Problem::Http(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_service_s_own_failures_are_5xx() {
        for p in Problem::all() {
            let server_side = matches!(
                p,
                Problem::Error(ErrorKind::EncodeFailed)
                    | Problem::Http(
                        HttpProblem::Internal | HttpProblem::Timeout | HttpProblem::Busy
                    )
            );
            assert_eq!(p.status() >= 500, server_side, "{p}: {}", p.status());
            assert!((400..600).contains(&p.status()), "{p}");
        }
    }

    #[test]
    fn no_two_problems_share_a_name() {
        let names: std::collections::BTreeSet<_> = Problem::all().map(Problem::as_str).collect();
        assert_eq!(names.len(), Problem::all().count());
    }
}
