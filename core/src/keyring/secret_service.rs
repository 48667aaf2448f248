//! The freedesktop.org Secret Service (gnome-keyring, KeePassXC, KWallet's bridge) over ONE
//! D-Bus connection per process.
//!
//! The `keyring` crate opens a new session bus connection, and negotiates a new encrypted
//! session (`OpenSession` with a Diffie-Hellman exchange), for every call: about 9 ms each, more
//! than the token request a cache hit saves. Here the connection and its session are made on
//! first use and kept for the life of the process, behind one lock (a connection is not shared
//! between threads, and holding the lock through a search-then-create makes each write atomic
//! within the process; across processes `CreateItem` with `replace` keeps one item per entry).
//!
//! Items carry the attributes the `keyring` crate (3.x) gives them — `service`, `username`,
//! `target` = `default` — so entries written by either are found by the other. A connection that
//! stops working (the keyring daemon restarted, the bus went away) is dropped and made again
//! once; when none can be made the caller is told the keyring is unreachable, every time (the
//! failure is not remembered: a keyring started later is used).

use std::collections::HashMap;
use std::sync::Mutex;

use dbus_secret_service::{EncryptionType, Error as ServiceError, Item, SecretService};

/// The process's one connection; `None` until first use or after it failed.
static CONNECTION: Mutex<Option<SecretService>> = Mutex::new(None);

/// The collection new items go to (the `default` alias, as the `keyring` crate uses).
const TARGET: &str = "default";

/// Why a Secret Service call failed.
#[derive(Debug, thiserror::Error)]
pub enum SecretServiceError {
    /// The service (or the bus) failed, refused, or asked for a prompt that was dismissed.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// More than one item answers to one entry: not something we wrote.
    #[error("{0} keyring items match this one entry")]
    Ambiguous(usize),
}

/// The secret of the item for (`service`, `account`), or `None` when there is none.
pub fn read(service: &str, account: &str) -> Result<Option<Vec<u8>>, SecretServiceError> {
    with_connection(|ss| match unique_item(ss, service, account)? {
        Some(item) => Ok(Some(item.get_secret()?)),
        None => Ok(None),
    })
}

/// Sets the secret of the item for (`service`, `account`), creating it in the default
/// collection when there is none.
pub fn write(service: &str, account: &str, secret: &[u8]) -> Result<(), SecretServiceError> {
    with_connection(|ss| {
        if let Some(item) = unique_item(ss, service, account)? {
            return Ok(item.set_secret(secret, "text/plain")?);
        }
        let collection = ss.get_default_collection()?;
        if collection.is_locked()? {
            collection.unlock()?;
        }
        let label = format!("{account}@{service}:{TARGET} (Token Desk)");
        collection.create_item(&label, attributes(service, account), secret, true, "text/plain")?;
        Ok(())
    })
}

/// Deletes the item for (`service`, `account`); none there is success.
pub fn delete(service: &str, account: &str) -> Result<(), SecretServiceError> {
    with_connection(|ss| match unique_item(ss, service, account)? {
        Some(item) => Ok(item.delete()?),
        None => Ok(()),
    })
}

fn attributes<'a>(service: &'a str, account: &'a str) -> HashMap<&'a str, &'a str> {
    HashMap::from([("service", service), ("username", account), ("target", TARGET), ("application", "rust-keyring")])
}

/// The one item for the entry, unlocked (the service prompts when its collection is locked).
fn unique_item<'a>(
    ss: &'a SecretService,
    service: &str,
    account: &str,
) -> Result<Option<Item<'a>>, SecretServiceError> {
    let search = HashMap::from([("service", service), ("username", account), ("target", TARGET)]);
    let found = ss.search_items(search)?;
    let count = found.unlocked.len() + found.locked.len();
    if count > 1 {
        return Err(SecretServiceError::Ambiguous(count));
    }
    if let Some(item) = found.unlocked.into_iter().next() {
        return Ok(Some(item));
    }
    match found.locked.into_iter().next() {
        Some(item) => {
            item.unlock()?;
            Ok(Some(item))
        }
        None => Ok(None),
    }
}

/// Runs `op` on the process's connection, making it first if needed. A D-Bus failure on a
/// connection kept from before may only mean that connection went stale, so it is dropped
/// and `op` runs once more on a new one (every `op` here is safe to repeat).
fn with_connection<T>(op: impl Fn(&SecretService) -> Result<T, SecretServiceError>) -> Result<T, SecretServiceError> {
    let mut held = CONNECTION.lock().unwrap_or_else(|p| p.into_inner());
    let kept = held.is_some();
    let outcome = op(connected(&mut held)?);
    match outcome {
        Err(SecretServiceError::Service(ServiceError::Dbus(_))) if kept => {
            *held = None;
            op(connected(&mut held)?)
        }
        other => other,
    }
}

fn connected(held: &mut Option<SecretService>) -> Result<&SecretService, ServiceError> {
    if held.is_none() {
        // Dh: secrets cross the bus encrypted, as with the `keyring` crate's crypto-rust.
        *held = Some(SecretService::connect(EncryptionType::Dh)?);
    }
    Ok(held.as_ref().expect("just connected"))
}
