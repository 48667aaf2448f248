//! The clock, passed in rather than read deep inside logic, so expiry is tested on fixed times.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Where the engine reads "now" from.
pub trait Clock: Send + Sync {
    fn now(&self) -> SystemTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that only moves when told to; for tests and for the simulator's fault scenarios.
#[derive(Debug)]
pub struct FixedClock(Mutex<SystemTime>);

impl FixedClock {
    pub fn at(time: SystemTime) -> Self {
        Self(Mutex::new(time))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }

    pub fn set(&self, time: SystemTime) {
        *self.0.lock().unwrap() = time;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// Formats a time as RFC 3339 in UTC, e.g. `2026-11-29T09:36:04Z`.
pub fn rfc3339(time: SystemTime) -> String {
    let t = time::OffsetDateTime::from(time).replace_nanosecond(0).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| String::from("(unrepresentable time)"))
}

/// Seconds since the Unix epoch, as JWT claims count them (RFC 7519 §2 NumericDate).
pub fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}
