//! A keyring of each test's own. Every test shares one Secret Service (and one kernel key
//! store), and a kept token is found by its token URL, client and scopes: a later test whose
//! simulator got a port an earlier one used would be served that earlier simulator's token,
//! which the new one refuses ("API did not accept this token"). A namespace of its own
//! (`TOKEN_DESK_KEYRING_NAMESPACE` for a process, [`service`] in the test's own process) keeps
//! each test's secrets and tokens, and their kernel copies, apart from every other test's.

/// The variable the app and the command line read (core's `keyring::NAMESPACE_ENV`).
pub const NAMESPACE_ENV: &str = "TOKEN_DESK_KEYRING_NAMESPACE";

/// The app's keyring service, as core's `keyring::APP_ID`.
const APP_ID: &str = "money.tokendesk.desk";

/// A namespace no other test (or earlier run) uses: `t-` and 12 hex digits.
pub fn namespace() -> String {
    format!("t-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

/// The keyring service a process given `namespace` in [`NAMESPACE_ENV`] keeps its entries under.
pub fn service(namespace: &str) -> String {
    format!("{APP_ID}.{namespace}")
}
