//! The token last shown, the API it is for (what Copy and Reveal use) and how it was asked for
//! (what the token test's one-click fix extends): always set together, forgotten when the
//! client or profile changes, so nothing of the previous client stays to be copied, revealed
//! or tested.

use std::sync::Mutex;
use std::time::SystemTime;

use token_desk_core::client_request::Asked;
use token_desk_core::token::AccessToken;
use token_desk_core::usage::Copyable;
use token_desk_core::{Failure, Token};

use crate::guard::lock;

/// See the module's documentation.
#[derive(Default)]
pub struct LastToken {
    last: Mutex<Option<(Token, String, Asked)>>,
}

impl LastToken {
    /// Keeps the token just shown with its API URL and how it was asked for.
    pub fn remember(&self, token: Token, api_url: String, asked: Asked) {
        *lock(&self.last) = Some((token, api_url, asked));
    }

    /// Forgets the token last shown.
    pub fn forget(&self) {
        *lock(&self.last) = None;
    }

    /// The token last shown, the API URL that goes with it, and how it was asked for.
    pub fn with_asked(&self) -> Result<(Token, String, Asked), Failure> {
        let no_token = || Failure::bad_input("There is no token to test yet. Choose Get token first.");
        lock(&self.last).clone().ok_or_else(no_token)
    }

    /// The client the last request was for (what presenter mode shortens).
    pub fn client_id(&self) -> Option<String> {
        lock(&self.last).as_ref().map(|(_, _, asked)| asked.client_id().to_owned())
    }

    /// The token last shown.
    pub fn token(&self) -> Result<AccessToken, Failure> {
        lock(&self.last)
            .as_ref()
            .map(|(t, _, _)| t.access_token.clone())
            .ok_or_else(|| Failure::bad_input("There is no token yet. Choose Get token first."))
    }

    /// The text of `what` about the last token, to copy: none once it has expired at `now`.
    pub fn text_to_copy(&self, what: Copyable, now: SystemTime) -> Result<String, Failure> {
        let (token, api_url) = lock(&self.last)
            .as_ref()
            .map(|(t, api, _)| (t.clone(), api.clone()))
            .ok_or_else(|| Failure::bad_input("There is no token to copy yet. Choose Get token first."))?;
        if token.expires_at <= now {
            return Err(Failure::bad_input("This token has expired. Choose Get new token, then copy."));
        }
        Ok(what.text(&token.access_token, &api_url))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use token_desk_core::request::{Credential, RequestInput, TokenRequest};
    use token_desk_core::scope::Scopes;
    use token_desk_core::secret::ClientSecret;

    use super::*;

    const NOW: Duration = Duration::from_secs(1_800_000_000);

    fn last(expires_at: SystemTime) -> LastToken {
        let scopes = Scopes::parse(["client_paymentrequest"]);
        let input = RequestInput {
            client_id: "test-a".into(),
            scopes: scopes.clone(),
            token_url: Some("http://127.0.0.1:9/connect/token".into()),
            audience: None,
            credential: Credential::secret(ClientSecret::new("s3cret")),
        };
        let (request, _) = TokenRequest::check(input, UNIX_EPOCH + NOW).unwrap();
        let token = Token {
            access_token: AccessToken::new("tok-123"),
            token_type: "Bearer".into(),
            expires_in: 3600,
            lifetime_assumed: false,
            issued_at: UNIX_EPOCH + NOW,
            expires_at,
            granted: scopes.clone(),
            requested: scopes,
        };
        let last = LastToken::default();
        last.remember(token, "http://127.0.0.1:9/graphql".into(), Asked::Request(Box::new(request)));
        last
    }

    #[test]
    fn a_token_is_copied_until_it_expires_and_never_after() {
        let last = last(UNIX_EPOCH + NOW + Duration::from_secs(60));
        assert_eq!(last.text_to_copy(Copyable::Header, UNIX_EPOCH + NOW).unwrap(), "Authorization: Bearer tok-123");
        let late = last.text_to_copy(Copyable::Token, UNIX_EPOCH + NOW + Duration::from_secs(60)).unwrap_err();
        assert!(late.message.starts_with("This token has expired"), "{}", late.message);
    }

    #[test]
    fn once_forgotten_there_is_nothing_to_copy_reveal_or_test() {
        let last = last(UNIX_EPOCH + NOW + Duration::from_secs(60));
        assert_eq!(last.client_id().as_deref(), Some("test-a"));
        last.forget();
        assert!(last.text_to_copy(Copyable::Token, UNIX_EPOCH + NOW).unwrap_err().message.contains("no token to copy"));
        assert!(last.token().is_err() && last.with_asked().is_err() && last.client_id().is_none());
    }
}
