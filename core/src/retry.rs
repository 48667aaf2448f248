//! When and how long to wait before trying a token request again: bounded exponential
//! backoff with full jitter for transient failures, the server's `Retry-After` when it gives
//! one, and never for OAuth errors (RFC 6749 §5.2), which a retry cannot fix.

use std::time::Duration;

use crate::failure::Failure;

/// How persistent to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests in all, the first included.
    pub max_attempts: u32,
    /// The backoff before the second attempt; it doubles each time, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited out: the user is told instead.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(3),
            max_retry_after: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn never() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// How long to wait after failed attempt number `attempt` (1-based), or `None` to give
    /// up. `jitter` is a number in `[0, 1)`, passed in so tests can fix it.
    pub fn delay_after(&self, attempt: u32, failure: &Failure, jitter: f64) -> Option<Duration> {
        if attempt >= self.max_attempts || !failure.kind.is_transient() {
            return None;
        }
        if let Some(s) = failure.detail.retry_after_seconds {
            let wait = Duration::from_secs(s);
            return (wait <= self.max_retry_after).then_some(wait);
        }
        let ceiling = self.base_delay.saturating_mul(1 << (attempt - 1).min(16)).min(self.max_delay);
        Some(ceiling.mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{Detail, FailureKind};

    fn failure(kind: FailureKind, retry_after: Option<u64>) -> Failure {
        Failure::new(kind, "x").with_detail(Detail { retry_after_seconds: retry_after, ..Detail::default() })
    }

    #[test]
    fn oauth_errors_are_never_retried() {
        let p = RetryPolicy::default();
        for kind in [
            FailureKind::InvalidClient,
            FailureKind::ScopeNotAllowed,
            FailureKind::MalformedRequest,
            FailureKind::Redirect,
        ] {
            assert_eq!(p.delay_after(1, &failure(kind, None), 0.5), None, "{kind:?}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_ceiling_and_stops_after_the_last_attempt() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            ..RetryPolicy::default()
        };
        let f = failure(FailureKind::ServerError, None);
        assert_eq!(p.delay_after(1, &f, 0.999_999).unwrap().as_millis(), 99);
        assert_eq!(p.delay_after(2, &f, 0.999_999).unwrap().as_millis(), 199);
        assert_eq!(p.delay_after(3, &f, 0.999_999).unwrap().as_millis(), 299);
        assert_eq!(p.delay_after(4, &f, 0.0), Some(Duration::ZERO));
        assert_eq!(p.delay_after(5, &f, 0.5), None);
    }

    #[test]
    fn retry_after_is_honoured_when_short_and_reported_when_long() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1, &failure(FailureKind::RateLimited, Some(2)), 0.1), Some(Duration::from_secs(2)));
        assert_eq!(p.delay_after(1, &failure(FailureKind::RateLimited, Some(3600)), 0.1), None);
    }
}
