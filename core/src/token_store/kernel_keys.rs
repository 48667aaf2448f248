//! A per-login copy of kept tokens in the Linux kernel's key store (keyrings(7)), in front of
//! the Secret Service. A Secret Service look-up costs a D-Bus connection and a few
//! milliseconds; a kernel key is one system call. So a cached token is served without
//! D-Bus, while the OS keyring stays the only place tokens live: kernel keys are held in
//! kernel memory (never on disk), readable only by this user, and the kernel drops each one
//! when its token expires.
//!
//! Keys sit in the user keyring (`@u`) and are named per Secret Service session (the D-Bus
//! session bus address): two logins, or two test sessions with keyrings of their own, never
//! see each other's copies. Where the kernel refuses (no keyutils, a quota, a sandbox), every
//! call quietly does nothing and the Secret Service answers alone.

use sha2::{Digest, Sha256};

use crate::keyring::account_name;

/// Token copies in the kernel key store for one Secret Service service and session.
#[derive(Debug, Clone)]
pub struct KernelKeys {
    prefix: String,
}

/// The largest copy kept: tokens are a few kilobytes, and a normal user's kernel key quota
/// is about 20 kB in all.
const MAX_BYTES: usize = 16 * 1024;

impl KernelKeys {
    /// Copies for `service`, named for the current D-Bus session. `None` off Linux.
    pub fn for_session(service: &str) -> Option<Self> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
        Some(Self::named(service, &bus))
    }

    /// Copies for `service` in the session called `session` (tests name their own). The
    /// service is encoded ([`account_name::part`]) and the session hashed, so no service or
    /// session can make its prefix another's; the account comes last, after a fixed-length hash.
    pub fn named(service: &str, session: &str) -> Self {
        let digest = Sha256::digest(session.as_bytes());
        Self { prefix: format!("token-desk:{}:{}:", account_name::part(service), hex::encode(&digest[..8])) }
    }

    fn description(&self, account: &str) -> String {
        format!("{}{account}", self.prefix)
    }

    /// The copy kept under `account`, if the kernel has one.
    pub fn get(&self, account: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        sys::get(&self.description(account))
    }

    /// Keeps `bytes` under `account` for `seconds` (at least one).
    pub fn put(&self, account: &str, bytes: &[u8], seconds: u64) {
        if bytes.len() <= MAX_BYTES {
            sys::put(&self.description(account), bytes, seconds.max(1));
        }
    }

    /// Drops the copy kept under `account`, if any.
    pub fn remove(&self, account: &str) {
        sys::remove(&self.description(account));
    }
}

#[cfg(target_os = "linux")]
mod sys {
    use linux_keyutils::{KeyPermissionsBuilder, KeyRing, KeyRingIdentifier, Permission};

    fn user_keyring() -> Option<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, false).ok()
    }

    pub fn get(description: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let key = user_keyring()?.search(description).ok()?;
        key.read_to_vec().ok().map(zeroize::Zeroizing::new)
    }

    pub fn put(description: &str, bytes: &[u8], seconds: u64) {
        let Some(ring) = user_keyring() else { return };
        let Ok(key) = ring.add_key(description, bytes) else { return };
        // This user only (possessor and owner); nobody else may even see that it exists.
        let perms = KeyPermissionsBuilder::builder().posessor(Permission::ALL).user(Permission::ALL).build();
        if key.set_perms(perms).is_err() || key.set_timeout(seconds.try_into().unwrap_or(usize::MAX)).is_err() {
            let _ = key.invalidate();
        }
    }

    pub fn remove(description: &str) {
        if let Some(key) = user_keyring().and_then(|r| r.search(description).ok()) {
            let _ = key.invalidate();
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    pub fn get(_: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        None
    }
    pub fn put(_: &str, _: &[u8], _: u64) {}
    pub fn remove(_: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys of a session of their own, or `None` (said) where the kernel or a sandbox
    /// refuses keyutils keys.
    fn session_keys() -> Option<KernelKeys> {
        let keys = KernelKeys::named("token-desk-test", &uuid::Uuid::new_v4().to_string());
        keys.put("probe", b"x", 5);
        let ok = keys.get("probe").is_some();
        keys.remove("probe");
        if !ok {
            println!("skipped: this kernel or sandbox refuses keyutils keys");
        }
        ok.then_some(keys)
    }

    #[test]
    fn a_copy_comes_back_until_it_is_removed() {
        let Some(keys) = session_keys() else { return };
        keys.put("token:abc", b"{\"kept\":1}", 60);
        assert_eq!(keys.get("token:abc").as_deref().map(|v| v.as_slice()), Some(&b"{\"kept\":1}"[..]));
        keys.remove("token:abc");
        assert!(keys.get("token:abc").is_none());
    }

    #[test]
    fn another_session_does_not_see_a_copy() {
        let (Some(here), Some(there)) = (session_keys(), session_keys()) else { return };
        here.put("token:same", b"mine", 60);
        assert!(there.get("token:same").is_none());
        here.remove("token:same");
    }

    #[test]
    fn the_kernel_drops_a_copy_when_its_time_is_up() {
        let Some(keys) = session_keys() else { return };
        keys.put("token:short", b"brief", 1);
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert!(keys.get("token:short").is_none());
    }

    #[test]
    fn a_service_holding_a_separator_cannot_take_another_services_prefix() {
        let session = "unix:path=/run/user/1000/bus";
        let hash = hex::encode(&Sha256::digest(session.as_bytes())[..8]);
        let plain = KernelKeys::named("a", session);
        let odd = KernelKeys::named(&format!("a:{hash}"), session);
        assert_eq!(plain.description("token:1"), format!("token-desk:a:{hash}:token:1"));
        assert!(!odd.description("token:1").starts_with(&plain.prefix), "{}", odd.description("token:1"));
    }

    #[test]
    fn an_oversized_copy_is_not_kept() {
        let keys = KernelKeys::named("token-desk-test", &uuid::Uuid::new_v4().to_string());
        keys.put("token:big", &vec![b'x'; MAX_BYTES + 1], 60);
        assert!(keys.get("token:big").is_none());
    }
}
