//! Using a token once it is here: the texts people copy (the token, the `Authorization`
//! header, a cURL command that calls Stitch's GraphQL API with it) and how close it is to
//! expiry. Pure functions of their inputs, so the window and the tests agree on every byte.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::known_scopes::CLIENT_QUERY;
use crate::loopback::strict_url as is_loopback;
use crate::token::AccessToken;

/// At or below this much time left, the countdown turns amber.
pub const SOON: Duration = Duration::from_secs(5 * 60);

/// At or below this much time left, the countdown turns red.
pub const CRITICAL: Duration = Duration::from_secs(60);

/// What a person can copy about a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Copyable {
    /// The access token alone.
    Token,
    /// `Authorization: Bearer <token>` (RFC 6750 §2.1).
    Header,
    /// A cURL command that runs [`CLIENT_QUERY`] against the API with the token.
    Curl,
}

impl Copyable {
    /// The text to copy for `token`, calling the API at `api_url` for [`Copyable::Curl`].
    pub fn text(self, token: &AccessToken, api_url: &str) -> String {
        match self {
            Copyable::Token => token.as_str().to_owned(),
            Copyable::Header => authorization_header(token),
            Copyable::Curl => curl_command(api_url, token),
        }
    }
}

/// `Authorization: Bearer <token>`, the header the API expects (RFC 6750 §2.1).
pub fn authorization_header(token: &AccessToken) -> String {
    format!("Authorization: Bearer {}", token.as_str())
}

/// The GraphQL API that accepts tokens from `token_url`: the simulator's own `/graphql` when
/// the token came from a simulator on this computer, Stitch's API otherwise.
pub fn api_url_for(token_url: &str) -> String {
    let Ok(mut url) = url::Url::parse(token_url) else {
        return crate::STITCH_API_URL.to_owned();
    };
    let loopback = is_loopback(&url);
    match url.path().strip_suffix("/connect/token") {
        Some(base) if loopback => {
            let path = format!("{base}/graphql");
            url.set_path(&path);
            url.set_query(None);
            url.set_fragment(None);
            url.to_string()
        }
        _ => crate::STITCH_API_URL.to_owned(),
    }
}

/// The API URL a token test (and the cURL command) sends the token to, decided here so every
/// front end decides alike: the one the user gave for this test, else the profile's (its hosts
/// were typed by the user or trusted at import, see [`crate::profiles::transfer`]), else the
/// usual API for the token URL ([`api_url_for`]).
pub fn api_url_to_call(given: Option<&str>, profile_api_url: Option<&str>, token_url: &str) -> String {
    match (given.map(str::trim).filter(|g| !g.is_empty()), profile_api_url) {
        (Some(url), _) => url.to_owned(),
        (None, Some(api_url)) => api_url.to_owned(),
        (None, None) => api_url_for(token_url),
    }
}

/// A cURL command that POSTs [`CLIENT_QUERY`] as JSON to `api_url` with the token, one option
/// per line, every value single-quoted for POSIX shells.
pub fn curl_command(api_url: &str, token: &AccessToken) -> String {
    let body = serde_json::json!({ "query": CLIENT_QUERY }).to_string();
    [
        format!("curl -sS {}", shell_quote(api_url)),
        format!("  -H {}", shell_quote(&authorization_header(token))),
        format!("  -H {}", shell_quote("Content-Type: application/json")),
        format!("  --data {}", shell_quote(&body)),
    ]
    .join(" \\\n")
}

/// `text` as one POSIX shell word: single-quoted, with `'` written as `'\''`.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Where a token came from, in words, by the host that answered: "new from Stitch", "new from
/// the built-in simulator" (the one this app started, at `built_in`'s origin), "new from
/// 127.0.0.1:56253" (any other server, by host and port), or "reused from earlier (no request
/// sent)" for a cached one.
pub fn source_words(from_cache: bool, token_url: &str, built_in: Option<&str>) -> String {
    if from_cache {
        return "reused from earlier (no request sent)".to_owned();
    }
    let Ok(url) = url::Url::parse(token_url) else {
        return "new from the token URL".to_owned();
    };
    let host = url.host_str().unwrap_or_default();
    let built_in = built_in.and_then(|b| url::Url::parse(b).ok());
    if built_in.is_some_and(|b| b.origin() == url.origin()) {
        "new from the built-in simulator".to_owned()
    } else if host == "stitch.money" || host.ends_with(".stitch.money") {
        "new from Stitch".to_owned()
    } else {
        match url.port() {
            Some(port) => format!("new from {host}:{port}"),
            None => format!("new from {host}"),
        }
    }
}

/// How urgent a token's expiry is, for the countdown's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// More than [`SOON`] left.
    Normal,
    /// At most [`SOON`] left.
    Soon,
    /// At most [`CRITICAL`] left.
    Critical,
    Expired,
}

/// The countdown to a token's expiry at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Countdown {
    /// Whole seconds left, rounded down; zero once expired.
    pub remaining_seconds: u64,
    pub urgency: Urgency,
}

/// The countdown for a token expiring at `expires_at`, seen at `now`.
pub fn countdown(expires_at: SystemTime, now: SystemTime) -> Countdown {
    let left = expires_at.duration_since(now).unwrap_or_default();
    let urgency = if left.is_zero() {
        Urgency::Expired
    } else if left <= CRITICAL {
        Urgency::Critical
    } else if left <= SOON {
        Urgency::Soon
    } else {
        Urgency::Normal
    };
    Countdown { remaining_seconds: left.as_secs(), urgency }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_url_called_is_the_one_given_else_the_profiles_else_the_usual_one() {
        let profiles = Some("https://api.example/graphql");
        assert_eq!(
            api_url_to_call(Some(" https://given.example/graphql "), profiles, ""),
            "https://given.example/graphql"
        );
        assert_eq!(api_url_to_call(None, profiles, crate::STITCH_TOKEN_URL), "https://api.example/graphql");
        assert_eq!(api_url_to_call(Some(""), None, crate::STITCH_TOKEN_URL), crate::STITCH_API_URL);
        assert_eq!(api_url_to_call(None, None, "http://127.0.0.1:8555/connect/token"), "http://127.0.0.1:8555/graphql");
    }

    #[test]
    fn a_token_says_whether_it_is_new_and_from_where_or_reused() {
        let sim = Some("http://127.0.0.1:8555/connect/token");
        assert_eq!(source_words(false, crate::STITCH_TOKEN_URL, sim), "new from Stitch");
        assert_eq!(source_words(false, "http://127.0.0.1:8555/connect/token", sim), "new from the built-in simulator");
        assert_eq!(source_words(false, "http://127.0.0.1:56253/connect/token", sim), "new from 127.0.0.1:56253");
        assert_eq!(source_words(false, "http://127.0.0.1:8555/connect/token", None), "new from 127.0.0.1:8555");
        assert_eq!(source_words(false, "https://auth.example.com/connect/token", None), "new from auth.example.com");
        assert_eq!(source_words(true, crate::STITCH_TOKEN_URL, sim), "reused from earlier (no request sent)");
    }

    fn token() -> AccessToken {
        AccessToken::new("udfc_WxDqxwfs5IKNHYohqGDZ9vwmyENvQYN7_cjW6M")
    }

    #[test]
    fn copying_the_token_copies_it_alone() {
        assert_eq!(Copyable::Token.text(&token(), crate::STITCH_API_URL), token().as_str());
    }

    #[test]
    fn the_header_is_a_bearer_authorization_header() {
        assert_eq!(
            Copyable::Header.text(&token(), crate::STITCH_API_URL),
            "Authorization: Bearer udfc_WxDqxwfs5IKNHYohqGDZ9vwmyENvQYN7_cjW6M"
        );
    }

    #[test]
    fn the_curl_command_posts_the_client_query_as_json_with_the_token() {
        let curl = Copyable::Curl.text(&token(), crate::STITCH_API_URL);
        assert_eq!(
            curl,
            "curl -sS 'https://api.stitch.money/graphql' \\\n  \
             -H 'Authorization: Bearer udfc_WxDqxwfs5IKNHYohqGDZ9vwmyENvQYN7_cjW6M' \\\n  \
             -H 'Content-Type: application/json' \\\n  \
             --data '{\"query\":\"query { client { id clientId } }\"}'"
        );
    }

    #[test]
    fn a_token_with_a_quote_cannot_break_out_of_the_curl_command() {
        let curl = curl_command(crate::STITCH_API_URL, &AccessToken::new("a'b; rm -rf ~"));
        assert!(curl.contains(r"-H 'Authorization: Bearer a'\''b; rm -rf ~'"), "{curl}");
    }

    #[test]
    fn stitch_tokens_call_stitchs_api() {
        assert_eq!(api_url_for(crate::STITCH_TOKEN_URL), crate::STITCH_API_URL);
        assert_eq!(api_url_for("https://example.com/connect/token"), crate::STITCH_API_URL);
        assert_eq!(api_url_for("not a url"), crate::STITCH_API_URL);
    }

    #[test]
    fn simulator_tokens_call_the_simulators_api() {
        assert_eq!(api_url_for("http://127.0.0.1:8555/connect/token"), "http://127.0.0.1:8555/graphql");
        assert_eq!(api_url_for("http://localhost:9000/sim/connect/token"), "http://localhost:9000/sim/graphql");
        assert_eq!(api_url_for("http://[::1]:9000/connect/token"), "http://[::1]:9000/graphql");
    }

    #[test]
    fn the_countdown_changes_urgency_at_five_minutes_one_minute_and_expiry() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let at = |secs: u64| countdown(now + Duration::from_secs(secs), now);
        assert_eq!(at(3600), Countdown { remaining_seconds: 3600, urgency: Urgency::Normal });
        assert_eq!(at(301).urgency, Urgency::Normal);
        assert_eq!(at(300).urgency, Urgency::Soon);
        assert_eq!(at(61).urgency, Urgency::Soon);
        assert_eq!(at(60).urgency, Urgency::Critical);
        assert_eq!(at(1).urgency, Urgency::Critical);
        assert_eq!(at(0), Countdown { remaining_seconds: 0, urgency: Urgency::Expired });
    }

    #[test]
    fn a_token_past_its_expiry_has_no_time_left() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let past = countdown(now - Duration::from_secs(5), now);
        assert_eq!(past, Countdown { remaining_seconds: 0, urgency: Urgency::Expired });
    }

    #[test]
    fn partial_seconds_round_down() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(countdown(now + Duration::from_millis(59_900), now).remaining_seconds, 59);
    }
}
