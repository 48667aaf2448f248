//! The window's "Save profile" form as plain data, and the profile it describes, checked
//! before anything is written: a date that is not one is refused, a client id that looks
//! live is never saved as a Test profile by accident (a live client moves real money), and
//! every field has the shape [`Profile::checked`] allows.

use serde::Deserialize;

use super::{AuthMethod, Environment, IssuedOn, Profile};
use crate::failure::Failure;
use crate::scope::Scopes;

/// The form as "Save profile" sends it. The secret itself is not in it: it is the one entered
/// for this client and token URL before.
#[derive(Debug, Clone, Deserialize)]
pub struct NewProfileForm {
    pub name: String,
    pub live: bool,
    pub client_id: String,
    pub auth: AuthMethod,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// Keep the secret in the OS keyring (otherwise it is used for this session only).
    pub save_secret: bool,
    #[serde(default)]
    pub secret_issued_on: Option<String>,
}

impl NewProfileForm {
    /// The profile this form describes: Stitch's token URL when none is given, no audience
    /// when it is the token URL, the API that goes with the token URL, and the environment
    /// ticked, which must not be Test for a client id that looks live.
    pub fn profile(&self) -> Result<Profile, Failure> {
        let mut profile = Profile::new(&self.name, &self.client_id, self.auth);
        profile.scopes = Scopes::parse(&self.scopes);
        if let Some(url) = typed(&self.token_url) {
            profile.token_url = url.to_owned();
        }
        profile.audience = typed(&self.audience).filter(|a| *a != profile.token_url).map(str::to_owned);
        profile.api_url = crate::usage::api_url_for(&profile.token_url);
        profile.secret_issued_on = match typed(&self.secret_issued_on) {
            None => None,
            Some(text) => Some(IssuedOn::parse(text).ok_or_else(|| {
                Failure::bad_input(format!(
                    "\"{text}\" is not a date. Give the day Stitch issued the secret as YYYY-MM-DD."
                ))
            })?),
        };
        let suggested = profile.environment;
        profile.environment = if self.live { Environment::Live } else { Environment::Test };
        if !self.live && suggested == Environment::Live {
            return Err(Failure::bad_input(format!(
                "The client ID \"{}\" does not start with test-, so it looks like a live client. \
                 Tick \"Live client\" to save it as a live profile.",
                profile.client_id
            )));
        }
        // Every field of the shape allowed, the URLs as they will be kept (re-serialised).
        profile.checked().map_err(|e| Failure::bad_input(e.to_string()))
    }
}

/// A field the user filled in, trimmed, unless blank.
fn typed(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(client_id: &str) -> NewProfileForm {
        NewProfileForm {
            name: " Shop ".into(),
            live: false,
            client_id: client_id.into(),
            auth: AuthMethod::Secret,
            scopes: vec!["client_paymentrequest, client_refund".into()],
            token_url: None,
            audience: None,
            save_secret: true,
            secret_issued_on: None,
        }
    }

    #[test]
    fn a_form_with_blank_urls_makes_a_profile_for_stitch() {
        let p = form("test-shop").profile().unwrap();
        assert_eq!(p.name, "Shop");
        assert_eq!(p.environment, Environment::Test);
        assert_eq!(p.token_url, crate::STITCH_TOKEN_URL);
        assert_eq!(p.audience, None);
        assert_eq!(p.api_url, crate::STITCH_API_URL);
        assert_eq!(p.scopes.to_field(), "client_paymentrequest client_refund");
    }

    #[test]
    fn an_audience_equal_to_the_token_url_is_not_kept_and_a_loopback_token_url_gets_its_own_api() {
        let url = "http://127.0.0.1:9/connect/token";
        let same =
            NewProfileForm { token_url: Some(format!(" {url} ")), audience: Some(url.into()), ..form("test-shop") };
        let p = same.profile().unwrap();
        assert_eq!((p.token_url.as_str(), p.audience.as_deref()), (url, None));
        assert_eq!(p.api_url, "http://127.0.0.1:9/graphql");

        let other = NewProfileForm { audience: Some(" https://example.com/aud ".into()), ..form("test-shop") };
        assert_eq!(other.profile().unwrap().audience.as_deref(), Some("https://example.com/aud"));
    }

    #[test]
    fn a_secret_issue_date_that_is_not_a_date_is_refused_and_a_blank_one_is_none() {
        let bad = NewProfileForm { secret_issued_on: Some("31/12/2025".into()), ..form("test-shop") };
        let failure = bad.profile().unwrap_err();
        assert_eq!(
            failure.message,
            "\"31/12/2025\" is not a date. Give the day Stitch issued the secret as YYYY-MM-DD."
        );
        let blank = NewProfileForm { secret_issued_on: Some("  ".into()), ..form("test-shop") };
        assert_eq!(blank.profile().unwrap().secret_issued_on, None);
        let good = NewProfileForm { secret_issued_on: Some("2025-12-31".into()), ..form("test-shop") };
        assert_eq!(good.profile().unwrap().secret_issued_on.map(|d| d.to_string()).as_deref(), Some("2025-12-31"));
    }

    #[test]
    fn a_form_with_template_code_in_any_field_is_refused_naming_the_field() {
        let cases: [(NewProfileForm, &str); 5] = [
            (NewProfileForm { name: "Shop {{7*7}}".into(), ..form("test-shop") }, "The profile name"),
            (form("test-{{require('child_process')}}"), "The client ID of profile \"Shop\""),
            (NewProfileForm { scopes: vec!["client_refund ${X}".into()], ..form("test-shop") }, "has a scope \"${X}\""),
            (
                NewProfileForm { token_url: Some("https://h.example/?q=`id`".into()), ..form("test-shop") },
                "The token URL",
            ),
            (
                NewProfileForm { audience: Some("https://secure.stitch.money/$(id)".into()), ..form("test-shop") },
                "The audience",
            ),
        ];
        for (form, field) in cases {
            let failure = form.profile().unwrap_err();
            assert!(failure.message.contains(field), "{field}: {}", failure.message);
        }
    }

    #[test]
    fn a_typed_token_url_is_kept_re_serialised() {
        let typed =
            NewProfileForm { token_url: Some("HTTP://LOCALHOST:9/a/../connect/token".into()), ..form("test-shop") };
        assert_eq!(typed.profile().unwrap().token_url, "http://localhost:9/connect/token");
    }

    #[test]
    fn a_client_that_looks_live_is_never_saved_as_test_but_live_may_be_ticked_for_any() {
        let failure = form("5e1f-live-client").profile().unwrap_err();
        assert!(failure.message.contains("looks like a live client"), "{}", failure.message);
        let live = NewProfileForm { live: true, ..form("5e1f-live-client") };
        assert_eq!(live.profile().unwrap().environment, Environment::Live);
        let ticked = NewProfileForm { live: true, ..form("test-shop") };
        assert_eq!(ticked.profile().unwrap().environment, Environment::Live);
    }
}
