//! Try it acts on test clients only. Stitch's test clients have ids that start with `test-`
//! (Stitch's own example code and every public integration show it; the docs do not state it
//! as a rule), and on a live client a payment request, a refund or an account check would act
//! on real money or cost money. Every operation that creates, completes, refunds or verifies
//! takes a [`TestClient`], which only this module makes, so there is no way to send one for
//! any other client id, and no override.

use crate::failure::Failure;
use crate::profiles::{Environment, Profile};

/// How every test client's id starts.
pub const TEST_PREFIX: &str = "test-";

/// A client id that starts with [`TEST_PREFIX`]: the proof that an operation may be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestClient(String);

impl TestClient {
    /// `client_id` as a test client, or the sentence that says why it is refused (no request
    /// of any kind is sent for it: not even a token request).
    pub fn new(client_id: &str) -> Result<Self, Failure> {
        let id = client_id.trim();
        match id.strip_prefix(TEST_PREFIX) {
            Some(rest) if !rest.is_empty() => Ok(Self(id.to_owned())),
            _ => Err(Failure::bad_input(
                "Try it works only with a test client, whose client ID starts with test-. This client ID does not, \
                 so it may be a live client, where a payment request, a refund or an account check acts on real \
                 money or costs money. Nothing was sent.",
            )),
        }
    }

    /// A saved profile's client, refused also when the profile is marked live, whatever its id.
    pub fn of_profile(profile: &Profile) -> Result<Self, Failure> {
        if profile.environment == Environment::Live {
            return Err(Failure::bad_input(
                "Try it works only with a test client, and this profile is marked live: a payment request, a \
                 refund or an account check on it would act on real money or cost money. Nothing was sent.",
            ));
        }
        Self::new(&profile.client_id)
    }

    pub fn id(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::FailureKind;
    use crate::profiles::AuthMethod;

    #[test]
    fn only_a_client_id_that_starts_with_test_dash_is_a_test_client() {
        assert_eq!(TestClient::new("test-5e1f6c0a").unwrap().id(), "test-5e1f6c0a");
        for live in ["5e1f6c0a", "Test-5e1f6c0a", "test-", "testing-1", "live-test-1", "", " test"] {
            let refused = TestClient::new(live).unwrap_err();
            assert_eq!(refused.kind, FailureKind::BadInput, "{live}");
            assert!(refused.message.contains("only with a test client"), "{live}: {}", refused.message);
            assert!(refused.message.ends_with("Nothing was sent."), "{}", refused.message);
        }
    }

    #[test]
    fn a_profile_marked_live_is_refused_even_with_a_test_looking_id() {
        let mut p = Profile::new("p", "test-a", AuthMethod::Secret);
        assert!(TestClient::of_profile(&p).is_ok());
        p.environment = Environment::Live;
        assert!(TestClient::of_profile(&p).unwrap_err().message.contains("marked live"));
        let mut p = Profile::new("q", "a-live-one", AuthMethod::Secret);
        p.environment = Environment::Test;
        assert!(TestClient::of_profile(&p).unwrap_err().message.contains("starts with test-"));
    }
}
