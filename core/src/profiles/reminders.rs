//! Reminders before credentials expire: a certificate on its `notAfter` date, a client secret
//! two years after Stitch issued it. Both are announced 30 days ahead, in the window and in
//! `token-desk profile list`. A pure function of the profile's facts and the time given.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::{IssuedOn, Profile};

/// How far ahead a reminder is given.
pub const AHEAD: Duration = Duration::from_secs(30 * 86_400);
/// How long a Stitch client secret lasts after it is issued.
pub const SECRET_LIFETIME_YEARS: i32 = 2;

/// Which credential is expiring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiring {
    Certificate,
    Secret,
}

/// A credential that expires within [`AHEAD`], or already has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub profile: String,
    pub expiring: Expiring,
    /// `YYYY-MM-DD` (UTC).
    pub expires_on: String,
    /// Whole days left; negative once expired.
    pub days_left: i64,
    pub expired: bool,
    pub message: String,
}

/// The day a secret issued on `issued` expires: the same date two years on (29 February
/// becomes 28 February, erring early).
pub fn secret_expires_on(issued: IssuedOn) -> time::Date {
    let d = issued.0;
    let year = d.year() + SECRET_LIFETIME_YEARS;
    d.replace_year(year).unwrap_or_else(|_| {
        time::Date::from_calendar_date(year, d.month(), d.day() - 1).expect("28 February exists every year")
    })
}

/// The reminders due for `profile` at `now`, certificate first.
pub fn reminders(profile: &Profile, now: SystemTime) -> Vec<Reminder> {
    let mut out = Vec::new();
    if let Some(cert) = &profile.certificate {
        out.extend(reminder(profile, Expiring::Certificate, cert.not_after, now));
    }
    if let Some(issued) = profile.secret_issued_on {
        let day = secret_expires_on(issued).midnight().assume_utc();
        out.extend(reminder(profile, Expiring::Secret, day.into(), now));
    }
    out
}

fn reminder(profile: &Profile, expiring: Expiring, at: SystemTime, now: SystemTime) -> Option<Reminder> {
    if now + AHEAD < at {
        return None;
    }
    let date = |t: SystemTime| time::OffsetDateTime::from(t).date();
    // Calendar days (UTC), as people count them: "tomorrow" is the next date, not 24 hours.
    let days_left = (date(at) - date(now)).whole_days();
    let expired = now >= at;
    let day = IssuedOn(date(at)).to_string();
    let what = match expiring {
        Expiring::Certificate => "certificate",
        Expiring::Secret => "client secret",
    };
    let name = &profile.name;
    let message = if expired {
        format!("The {what} of profile \"{name}\" expired on {day}; Stitch will refuse it. Ask Stitch for a new one.")
    } else {
        let when = match days_left {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            n => format!("in {n} days"),
        };
        format!("The {what} of profile \"{name}\" expires on {day} ({when}). Ask Stitch for a new one.")
    };
    Some(Reminder { profile: name.clone(), expiring, expires_on: day, days_left, expired, message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::{AuthMethod, CertificateSummary};

    fn at(text: &str) -> SystemTime {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap().into()
    }

    fn secret_profile(issued: &str) -> Profile {
        let mut p = Profile::new("shop", "test-a", AuthMethod::Secret);
        p.secret_issued_on = IssuedOn::parse(issued);
        p
    }

    #[test]
    fn a_secret_expires_two_years_after_it_was_issued() {
        assert_eq!(secret_expires_on(IssuedOn::parse("2024-05-10").unwrap()).to_string(), "2026-05-10");
        assert_eq!(secret_expires_on(IssuedOn::parse("2024-02-29").unwrap()).to_string(), "2026-02-28");
    }

    #[test]
    fn a_secret_is_reminded_of_thirty_days_ahead_and_not_before() {
        let p = secret_profile("2024-05-10");
        assert!(reminders(&p, at("2026-04-09T23:59:59Z")).is_empty());
        let due = reminders(&p, at("2026-04-10T00:00:00Z"));
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].expiring, due[0].days_left, due[0].expired), (Expiring::Secret, 30, false));
        assert!(due[0].message.contains("expires on 2026-05-10 (in 30 days)"), "{}", due[0].message);
        let last = reminders(&p, at("2026-05-09T12:00:00Z"));
        assert!(last[0].message.contains("(tomorrow)"), "{}", last[0].message);
        assert!(reminders(&p, at("2026-05-10T00:00:00Z"))[0].expired);
    }

    #[test]
    fn an_expired_certificate_says_stitch_will_refuse_it() {
        let mut p = Profile::new("payouts", "live-a", AuthMethod::Certificate);
        p.certificate = Some(CertificateSummary {
            subject: "CN=x".into(),
            thumbprint: "A".repeat(40),
            not_after: at("2026-01-31T10:00:00Z"),
        });
        let due = reminders(&p, at("2026-02-02T10:00:00Z"));
        assert_eq!((due[0].expiring, due[0].days_left, due[0].expired), (Expiring::Certificate, -2, true));
        assert!(due[0].message.contains("expired on 2026-01-31"));
        assert!(reminders(&p, at("2025-12-01T10:00:00Z")).is_empty());
    }
}
