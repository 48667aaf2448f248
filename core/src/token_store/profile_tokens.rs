//! Finding a saved profile's kept token without reading its secret. A token's cache key
//! names the credential by a hash (see [`crate::request::Credential::identity`]), so working
//! it out means reading the secret from the Secret Service: the slowest step of a cached
//! `token-desk token --profile`. Instead, after each token the profile got, the key it was
//! kept under is remembered in the kernel's per-login key store ([`KernelKeys`]), named by
//! the profile, its client, its URLs, its kind of credential and the scope set; the next
//! process looks the key up there and asks the cache, and reads the secret only when no
//! fresh token is found.
//!
//! A remembered key never serves a token by itself: it only says where to look. When a
//! profile's secret is replaced, its client's tokens are forgotten, so the old key finds
//! nothing and the next request reads the new secret.

use sha2::{Digest, Sha256};

use crate::engine::{Engine, Outcome};
use crate::keyring::Keyring;
use crate::profiles::Profile;
use crate::scope::Scopes;
use crate::token_store::kernel_keys::KernelKeys;
use crate::token_store::CacheKey;

/// How long a remembered key is kept: a day, far longer than a token lives (Stitch's last an
/// hour), so it outlives every token it points to.
const REMEMBER_SECS: u64 = 24 * 3600;

/// Remembered cache keys of saved profiles, for this login.
#[derive(Debug, Clone)]
pub struct ProfileKeys {
    kernel: KernelKeys,
}

impl ProfileKeys {
    pub fn new(kernel: KernelKeys) -> Self {
        Self { kernel }
    }

    /// The remembered keys of Token Desk's own keyring service, for this login (`None`: this
    /// kernel or sandbox refuses keyutils keys).
    pub fn for_this_login() -> Option<Self> {
        Self::for_keyring(&Keyring::app())
    }

    /// The remembered keys of the profiles whose secrets and tokens `keyring` keeps, for this
    /// login (`None` off Linux).
    pub fn for_keyring(keyring: &Keyring) -> Option<Self> {
        KernelKeys::for_session(keyring.service()).map(Self::new)
    }

    /// `profile`'s fresh kept token for `scopes`, found without reading its secret: the key
    /// last remembered for it, asked of `engine`'s store ([`Engine::kept`]). `None`: nothing
    /// fresh is kept, so the caller reads the secret and may request a token (then
    /// [`ProfileKeys::remember`]s).
    pub async fn kept_token(&self, engine: &Engine, profile: &Profile, scopes: Option<Scopes>) -> Option<Outcome> {
        engine.kept(&self.known_key(profile, scopes)?).await
    }

    /// The cache key a token for `profile` with `scopes` was last kept under, if remembered.
    pub fn known_key(&self, profile: &Profile, scopes: Option<Scopes>) -> Option<CacheKey> {
        let bytes = self.kernel.get(&memo_account(profile, scopes))?;
        serde_json::from_slice::<CacheKey>(&bytes).ok().filter(|k| k.client_id == profile.client_id)
    }

    /// Remembers that tokens for `profile` with `scopes` are kept under `key`.
    pub fn remember(&self, profile: &Profile, scopes: Option<Scopes>, key: &CacheKey) {
        let json = serde_json::to_vec(key).expect("cache keys serialize");
        self.kernel.put(&memo_account(profile, scopes), &json, REMEMBER_SECS);
    }
}

/// The name a profile's key is remembered under: a hash of everything that decides the key
/// except the credential (which is what it stands in for).
fn memo_account(profile: &Profile, scopes: Option<Scopes>) -> String {
    let scopes = profile.scopes_for(scopes).as_set();
    let named = serde_json::json!([
        profile.name,
        profile.client_id,
        profile.token_url,
        profile.audience,
        profile.auth.as_str(),
        scopes,
    ]);
    let digest = Sha256::digest(named.to_string().as_bytes());
    format!("profile-key:{}", hex::encode(&digest[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::AuthMethod;

    fn key(credential: &str) -> CacheKey {
        CacheKey {
            token_url: "http://127.0.0.1:9/connect/token".into(),
            client_id: "test-a".into(),
            credential: credential.into(),
            audience: "http://127.0.0.1:9/connect/token".into(),
            scopes: ["client_paymentrequest".to_owned()].into(),
        }
    }

    #[test]
    fn the_memo_name_changes_with_every_field_that_decides_the_key() {
        let base = Profile::new("shop", "test-a", AuthMethod::Secret);
        let mut others = Vec::new();
        for change in 0..5 {
            let mut p = base.clone();
            match change {
                0 => p.name = "shop 2".into(),
                1 => p.client_id = "test-b".into(),
                2 => p.token_url = "http://127.0.0.1:9/other".into(),
                3 => p.audience = Some("http://127.0.0.1:9/aud".into()),
                _ => p.auth = AuthMethod::Certificate,
            }
            others.push(memo_account(&p, None));
        }
        others.push(memo_account(&base, Some(Scopes::parse(&["client_refund".to_owned()]))));
        let here = memo_account(&base, None);
        assert!(others.iter().all(|o| *o != here), "{others:?}");
    }

    #[test]
    fn requested_scopes_in_another_order_name_the_same_memo() {
        let p = Profile::new("shop", "test-a", AuthMethod::Secret);
        let ab = Scopes::parse(&["client_refund".to_owned(), "client_paymentrequest".to_owned()]);
        let ba = Scopes::parse(&["client_paymentrequest".to_owned(), "client_refund".to_owned()]);
        assert_eq!(memo_account(&p, Some(ab)), memo_account(&p, Some(ba)));
    }

    #[test]
    fn a_remembered_key_comes_back_for_the_same_profile_only() {
        let keys = ProfileKeys::new(KernelKeys::named("token-desk-test", &uuid::Uuid::new_v4().to_string()));
        let p = Profile::new("shop", "test-a", AuthMethod::Secret);
        keys.remember(&p, None, &key("secret-sha256:00"));
        let probe = keys.known_key(&p, None);
        if probe.is_none() {
            println!("skipped: this kernel or sandbox refuses keyutils keys");
            return;
        }
        assert_eq!(probe, Some(key("secret-sha256:00")));
        let other = Profile::new("shop", "test-b", AuthMethod::Secret);
        assert_eq!(keys.known_key(&other, None), None);
    }
}
