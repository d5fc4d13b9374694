//! Per-instance counters: what `stats` reports. Kept apart from the bindings so that the
//! arithmetic is tested natively.

use std::collections::VecDeque;

use crate::error::{Error, ErrorKind};

/// How many failed calls `recent_errors` keeps.
pub const RECENT_ERRORS: usize = 5;

/// One failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRecord {
    pub call: u64,
    pub kind: ErrorKind,
    pub message: String,
    pub input_bytes: u64,
}

/// The counters of one instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub calls: u64,
    pub successes: u64,
    /// Indexed like [`ErrorKind::ALL`].
    pub errors: [u64; ErrorKind::ALL.len()],
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub total_time_ns: u64,
    pub max_time_ns: u64,
    pub memory_bytes: u64,
    pub peak_memory_bytes: u64,
    pub recent_errors: VecDeque<ErrorRecord>,
}

impl Stats {
    /// Records one call of `process` or `process-with-format`.
    pub fn record(
        &mut self,
        input_bytes: u64,
        outcome: Result<u64, &Error>,
        elapsed_ns: u64,
        memory_bytes: u64,
    ) {
        self.calls += 1;
        self.bytes_in += input_bytes;
        self.total_time_ns += elapsed_ns;
        self.max_time_ns = self.max_time_ns.max(elapsed_ns);
        self.observe_memory(memory_bytes);
        match outcome {
            Ok(output_bytes) => {
                self.successes += 1;
                self.bytes_out += output_bytes;
            }
            Err(error) => {
                let kind = error.kind();
                if let Some(slot) = ErrorKind::ALL
                    .iter()
                    .position(|k| *k == kind)
                    .and_then(|i| self.errors.get_mut(i))
                {
                    *slot += 1;
                }
                if self.recent_errors.len() == RECENT_ERRORS {
                    self.recent_errors.pop_front();
                }
                self.recent_errors.push_back(ErrorRecord {
                    call: self.calls,
                    kind,
                    message: error.message(),
                    input_bytes,
                });
            }
        }
    }

    /// Updates the current and peak memory figures.
    pub fn observe_memory(&mut self, memory_bytes: u64) {
        self.memory_bytes = memory_bytes;
        self.peak_memory_bytes = self.peak_memory_bytes.max(memory_bytes);
    }

    /// Failed calls of one kind.
    pub fn errors_of(&self, kind: ErrorKind) -> u64 {
        ErrorKind::ALL
            .iter()
            .position(|k| *k == kind)
            .and_then(|i| self.errors.get(i))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_last_five_errors() {
        let mut s = Stats::default();
        s.record(10, Ok(5), 100, 1 << 20);
        for i in 0..7 {
            s.record(i, Err(&Error::EmptyInput), 10, 2 << 20);
        }
        s.record(3, Err(&Error::DecodeFailed("x".into())), 300, 1 << 20);
        assert_eq!(s.calls, 9);
        assert_eq!(s.successes, 1);
        assert_eq!(s.errors_of(ErrorKind::EmptyInput), 7);
        assert_eq!(s.errors_of(ErrorKind::DecodeFailed), 1);
        assert_eq!(s.bytes_in, 10 + 21 + 3);
        assert_eq!(s.bytes_out, 5);
        assert_eq!(s.total_time_ns, 100 + 70 + 300);
        assert_eq!(s.max_time_ns, 300);
        assert_eq!(s.memory_bytes, 1 << 20);
        assert_eq!(s.peak_memory_bytes, 2 << 20);
        let calls: Vec<u64> = s.recent_errors.iter().map(|e| e.call).collect();
        assert_eq!(calls, vec![5, 6, 7, 8, 9]);
        assert_eq!(
            s.recent_errors.back().unwrap().kind,
            ErrorKind::DecodeFailed
        );
    }
}
