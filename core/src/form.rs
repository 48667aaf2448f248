//! The window's token form as plain data: the client it names (a profile or the typed client),
//! whose request [`crate::client_request::token_request`] makes and whose token
//! [`crate::client_request::client_token`] gets, and the settings of the code for integrators
//! it describes.

use std::time::SystemTime;

use serde::Deserialize;

use crate::client_request::{client_token, token_request, Client, ClientRequest, ClientToken, Session};
use crate::destination::token_url_or_stitch;
use crate::engine::Engine;
use crate::failure::Failure;
use crate::profiles::AuthMethod;
use crate::scope::Scopes;
use crate::snippet::{Flow, Settings};
use crate::token_store::profile_tokens::ProfileKeys;

/// The form as the window sends it: for a token, for "Find which one", and for the code for
/// integrators (which reads no credential and no profile).
#[derive(Debug, Clone, Deserialize)]
pub struct TokenForm {
    pub client_id: String,
    pub auth: AuthMethod,
    /// Ticked scopes and whatever was typed as another scope.
    pub scopes: Vec<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// The API the code for integrators calls (empty: the one that goes with the token URL).
    #[serde(default)]
    pub api_url: Option<String>,
    /// Ask for a new token even if a cached one is still fresh.
    #[serde(default)]
    pub force: bool,
    /// A saved profile: its client, URLs and keyring credential are used instead of the form's.
    #[serde(default)]
    pub profile: Option<String>,
}

impl TokenForm {
    /// Which client this form names: its profile, or the client typed into it.
    pub fn client(&self) -> Client<'_> {
        match self.profile.as_deref() {
            Some(name) => Client::Profile(name),
            None => Client::Typed {
                client_id: &self.client_id,
                auth: self.auth,
                token_url: self.token_url.as_deref(),
                audience: self.audience.as_deref(),
            },
        }
    }

    /// The checked request this form describes (see [`token_request`]): the form's scopes,
    /// the profile's own when none are ticked.
    pub fn request(&self, session: &impl Session, now: SystemTime) -> Result<ClientRequest, Failure> {
        token_request(self.client(), Scopes::parse(&self.scopes), session, now)
    }

    /// The token this form asks for (see [`client_token`]): its profile's kept one when fresh
    /// and not forced, else through the request [`TokenForm::request`] describes.
    pub async fn token(
        &self,
        engine: &Engine,
        keys: Option<&ProfileKeys>,
        session: &impl Session,
    ) -> Result<ClientToken, Failure> {
        client_token(engine, keys, self.client(), Scopes::parse(&self.scopes), self.force, session).await
    }

    /// The settings of the code for integrators in `flow`: the typed client and scopes, the
    /// token URL (Stitch's when empty), the audience (the token URL when empty) and the API
    /// (the one that goes with the token URL when empty). Holds no secret.
    pub fn snippet_settings(&self, flow: Flow) -> Settings {
        let token_url = token_url_or_stitch(self.token_url.as_deref());
        let (audience, api_url) = (self.audience.as_deref(), self.api_url.as_deref());
        Settings::typed(&self.client_id, Scopes::parse(&self.scopes), token_url, audience, api_url, flow)
    }

    /// Both flows of the code for integrators, the form's own first.
    pub fn flows(&self) -> [Flow; 2] {
        match self.auth {
            AuthMethod::Secret => [Flow::Secret, Flow::Certificate],
            AuthMethod::Certificate => [Flow::Certificate, Flow::Secret],
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::client_request::Face;
    use crate::failure::FailureKind;
    use crate::keyring::profile_secrets::SecretError;
    use crate::keyring::KeyringError;
    use crate::profiles::{Environment, Profile};
    use crate::request::{Credential, TokenRequest};
    use crate::secret::ClientSecret;

    const NOW: Duration = Duration::from_secs(1_800_000_000);

    /// A session held in memory: one saved profile (with or without its secret), one entered
    /// secret bound to `test-typed` at Stitch, and a count of keyring reads.
    struct Memory {
        face: Face,
        given: Option<&'static str>,
        profile: Profile,
        saved: Result<Option<&'static str>, KeyringError>,
        confirmed: bool,
        keyring_reads: Cell<u32>,
    }

    impl Memory {
        fn with(profile: Profile) -> Self {
            let saved = Ok(Some("saved-secret"));
            Self { face: Face::Window, given: None, profile, saved, confirmed: false, keyring_reads: Cell::new(0) }
        }
    }

    impl Session for Memory {
        fn face(&self) -> Face {
            self.face
        }
        fn given_credential(&self) -> Result<Option<Credential>, Failure> {
            Ok(self.given.map(|s| Credential::secret(ClientSecret::new(s))))
        }
        fn profile(&self, name: &str) -> Result<Profile, Failure> {
            (name == self.profile.name)
                .then(|| self.profile.clone())
                .ok_or_else(|| Failure::bad_input(format!("There is no profile {name:?}.")))
        }
        fn live_confirmed(&self, _: &str) -> bool {
            self.confirmed
        }
        fn saved_credential(&self, _: &Profile) -> Result<Option<Credential>, SecretError> {
            self.keyring_reads.set(self.keyring_reads.get() + 1);
            match &self.saved {
                Ok(s) => Ok(s.map(|s| Credential::secret(ClientSecret::new(s)))),
                Err(e) => Err(SecretError::Keyring(e.clone())),
            }
        }
        fn entered_credential(&self, _: AuthMethod, client_id: &str, token_url: &str) -> Result<Credential, Failure> {
            match (client_id, token_url) {
                ("test-typed", crate::STITCH_TOKEN_URL) => Ok(Credential::secret(ClientSecret::new("typed-secret"))),
                _ => Err(Failure::bad_input("This secret was entered for test-typed. Enter it again.")),
            }
        }
    }

    fn form(client_id: &str, scopes: &[&str]) -> TokenForm {
        TokenForm {
            client_id: client_id.into(),
            auth: AuthMethod::Secret,
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            token_url: None,
            audience: None,
            api_url: None,
            force: false,
            profile: None,
        }
    }

    fn shop() -> Profile {
        let mut p = Profile::new("Shop", "test-shop", AuthMethod::Secret);
        p.scopes = Scopes::parse(["client_paymentrequest"]);
        p.token_url = "http://127.0.0.1:9/connect/token".into();
        p.api_url = "http://127.0.0.1:9/graphql".into();
        p
    }

    fn profile_form(scopes: &[&str]) -> TokenForm {
        TokenForm { profile: Some("Shop".into()), ..form("ignored-client", scopes) }
    }

    fn field(request: &TokenRequest, name: &str) -> String {
        request.shown_fields().into_iter().find(|(k, _)| *k == name).map(|(_, v)| v).unwrap_or_default()
    }

    #[test]
    fn a_typed_form_uses_the_secret_entered_for_its_client_at_stitch_and_stitchs_api() {
        let session = Memory::with(shop());
        let made = form("test-typed", &["client_paymentrequest"]).request(&session, UNIX_EPOCH + NOW).unwrap();
        assert_eq!(made.request.token_url().as_str(), crate::STITCH_TOKEN_URL);
        assert_eq!(field(&made.request, "client_id"), "test-typed");
        assert_eq!(made.api_url, crate::STITCH_API_URL);
        assert_eq!(session.keyring_reads.get(), 0, "a typed form never reads the keyring");
    }

    #[test]
    fn a_typed_form_for_another_client_than_the_secret_was_entered_for_is_refused() {
        let failure = form("test-other", &["client_paymentrequest"])
            .request(&Memory::with(shop()), UNIX_EPOCH + NOW)
            .unwrap_err();
        assert_eq!(failure.kind, FailureKind::BadInput);
        assert!(failure.message.contains("entered for test-typed"), "{}", failure.message);
    }

    #[test]
    fn a_typed_form_with_template_code_or_control_in_any_field_is_refused_naming_the_field() {
        let session = Memory::with(shop());
        let cases = [
            (form("test-{{require('child_process').execSync('id')}}", &["client_paymentrequest"]), "The client ID"),
            (form("test-typed", &["client_paymentrequest", "${X}"]), "The scope \"${X}\""),
            (
                TokenForm {
                    token_url: Some("https://secure.stitch.money/connect/token?x=`id`".into()),
                    ..form("test-typed", &["client_paymentrequest"])
                },
                "The token URL",
            ),
            (
                TokenForm {
                    audience: Some("https://secure.stitch.money/\u{1b}[2J".into()),
                    ..form("test-typed", &["client_paymentrequest"])
                },
                "The audience",
            ),
        ];
        for (typed, field) in cases {
            let failure = typed.request(&session, UNIX_EPOCH + NOW).unwrap_err();
            assert_eq!(failure.kind, FailureKind::BadInput);
            assert!(failure.message.starts_with(field), "{field}: {}", failure.message);
            assert!(!failure.message.contains('\u{1b}'), "{}", failure.message);
        }
        assert_eq!(session.keyring_reads.get(), 0);
    }

    #[test]
    fn a_profile_form_uses_the_profiles_client_urls_saved_secret_and_api() {
        let made = profile_form(&[]).request(&Memory::with(shop()), UNIX_EPOCH + NOW).unwrap();
        assert_eq!(field(&made.request, "client_id"), "test-shop");
        assert_eq!(made.request.token_url().as_str(), "http://127.0.0.1:9/connect/token");
        assert_eq!(field(&made.request, "scope"), "client_paymentrequest", "no ticked scope: the profile's");
        assert_eq!(made.api_url, "http://127.0.0.1:9/graphql");
    }

    #[test]
    fn the_scopes_ticked_in_a_profile_form_replace_the_profiles_own() {
        let made = profile_form(&["client_refund"]).request(&Memory::with(shop()), UNIX_EPOCH + NOW).unwrap();
        assert_eq!(field(&made.request, "scope"), "client_refund");
    }

    #[test]
    fn a_profile_without_a_saved_secret_asks_for_one_and_names_its_host() {
        let session = Memory { saved: Ok(None), ..Memory::with(shop()) };
        let failure = profile_form(&[]).request(&session, UNIX_EPOCH + NOW).unwrap_err();
        assert_eq!(failure.kind, FailureKind::BadInput);
        assert_eq!(failure.message, "Profile \"Shop\" has no saved secret for 127.0.0.1: choose Replace secret.");
    }

    #[test]
    fn a_profile_whose_keyring_cannot_be_reached_says_no_keyring() {
        let session =
            Memory { saved: Err(KeyringError::Unavailable { cause: "no D-Bus".into() }), ..Memory::with(shop()) };
        let failure = profile_form(&[]).request(&session, UNIX_EPOCH + NOW).unwrap_err();
        assert_eq!(failure.kind, FailureKind::NoKeyring);
        assert!(failure.message.starts_with("The secret of profile \"Shop\" cannot be read"), "{}", failure.message);
    }

    #[test]
    fn a_live_profile_not_confirmed_this_session_is_refused_before_its_secret_is_read() {
        let mut live = shop();
        live.environment = Environment::Live;
        let session = Memory::with(live);
        let failure = profile_form(&[]).request(&session, UNIX_EPOCH + NOW).unwrap_err();
        assert!(failure.message.contains("is a LIVE profile"), "{}", failure.message);
        assert_eq!(session.keyring_reads.get(), 0);

        let confirmed = Memory { confirmed: true, ..session };
        assert!(profile_form(&[]).request(&confirmed, UNIX_EPOCH + NOW).is_ok());
    }

    #[test]
    fn a_form_naming_a_profile_that_does_not_exist_is_refused() {
        let gone = TokenForm { profile: Some("Gone".into()), ..form("test-typed", &[]) };
        let failure = gone.request(&Memory::with(shop()), UNIX_EPOCH + NOW).unwrap_err();
        assert!(failure.message.contains("\"Gone\""), "{}", failure.message);
    }

    #[test]
    fn on_the_command_line_a_secret_given_with_a_profile_replaces_the_saved_one_unread() {
        let session = Memory { face: Face::CommandLine, given: Some("given-secret"), ..Memory::with(shop()) };
        let made = token_request(Client::Profile("Shop"), Scopes::default(), &session, UNIX_EPOCH + NOW).unwrap();
        assert_eq!(field(&made.request, "client_id"), "test-shop");
        assert_eq!(made.profile.map(|p| p.name), Some("Shop".to_owned()));
        assert_eq!(session.keyring_reads.get(), 0, "the saved secret is not read");
    }

    #[test]
    fn each_face_says_how_to_save_a_missing_secret_in_its_own_terms() {
        let command_line = Memory { face: Face::CommandLine, saved: Ok(None), ..Memory::with(shop()) };
        let failure = profile_form(&[]).request(&command_line, UNIX_EPOCH + NOW).unwrap_err();
        assert_eq!(
            failure.message,
            "Profile \"Shop\" has no saved client secret for test-shop at http://127.0.0.1:9. Save it first (it is \
             kept in the OS keyring). Use: token-desk profile set-secret \"Shop\" --secret-stdin"
        );
        let unreachable = Err(KeyringError::Unavailable { cause: "no D-Bus".into() });
        let no_keyring = Memory { face: Face::CommandLine, saved: unreachable, ..Memory::with(shop()) };
        let failure = profile_form(&[]).request(&no_keyring, UNIX_EPOCH + NOW).unwrap_err();
        assert_eq!(failure.kind, FailureKind::NoKeyring);
        assert!(failure.message.starts_with("The secret of profile \"Shop\" cannot be read"), "{}", failure.message);
        assert!(failure.message.ends_with("token-desk token --profile \"Shop\" --secret-stdin"), "{}", failure.message);
    }

    #[test]
    fn snippet_settings_fill_blank_fields_from_the_token_url() {
        let loopback = TokenForm {
            token_url: Some(" http://127.0.0.1:9/connect/token ".into()),
            audience: Some("  ".into()),
            ..form(" test-typed ", &["client_paymentrequest"])
        };
        let s = loopback.snippet_settings(Flow::Certificate);
        assert_eq!(s.client_id, "test-typed");
        assert_eq!(s.token_url, "http://127.0.0.1:9/connect/token");
        assert_eq!(s.audience, s.token_url);
        assert_eq!(s.api_url, "http://127.0.0.1:9/graphql");
        assert_eq!(s.flow, Flow::Certificate);

        let stitch = form("test-typed", &[]).snippet_settings(Flow::Secret);
        assert_eq!(
            (stitch.token_url.as_str(), stitch.api_url.as_str()),
            (crate::STITCH_TOKEN_URL, crate::STITCH_API_URL)
        );
    }

    #[test]
    fn the_forms_own_flow_comes_first() {
        assert_eq!(form("c", &[]).flows(), [Flow::Secret, Flow::Certificate]);
        let certificate = TokenForm { auth: AuthMethod::Certificate, ..form("c", &[]) };
        assert_eq!(certificate.flows(), [Flow::Certificate, Flow::Secret]);
    }
}
