//! The simulator the command-line tests get tokens from: on 127.0.0.1, with one secret client
//! and one certificate client whose Stitch-shaped PEM is written next to it.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use token_desk_core::certificate::ClientCertificate;
use token_desk_core::simulator::demo::{self, KeyForm};
use token_desk_core::simulator::{ClientAuth, ClientConfig, Simulator, SimulatorConfig};

use super::Home;

/// The two clients a test's simulator knows.
pub struct Clients<'a> {
    pub secret_client: &'a str,
    pub secret: &'a str,
    /// Scopes the secret client may ask for but is not granted.
    pub withheld: &'a [&'a str],
    pub cert_client: &'a str,
    /// How many days the certificate has left.
    pub cert_days: u64,
}

impl<'a> Clients<'a> {
    /// The two clients with every scope granted and a certificate with 20 days left.
    pub fn new(secret_client: &'a str, secret: &'a str, cert_client: &'a str) -> Self {
        Clients { secret_client, secret, withheld: &[], cert_client, cert_days: 20 }
    }
}

/// A running simulator, the certificate client's PEM file, and the runtime it runs on (kept
/// for as long as the simulator is).
pub struct Stitch {
    pub sim: Simulator,
    pub pem: PathBuf,
    pub rt: tokio::runtime::Runtime,
}

impl Stitch {
    /// Starts the simulator with its data in `dir/sim` and writes the PEM to `dir/client.pem`.
    pub fn start(dir: &Path, clients: &Clients) -> Self {
        Self::start_with(dir, clients, |_| {})
    }

    /// [`Stitch::start`], with the simulator's configuration changed by `adjust` first.
    pub fn start_with(dir: &Path, clients: &Clients, adjust: impl FnOnce(&mut SimulatorConfig)) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let key = demo::generate_key();
        let now = SystemTime::now();
        let until = now + Duration::from_secs(86_400 * clients.cert_days);
        let der = demo::self_signed_der(&key, clients.cert_client, now - Duration::from_secs(60), until);
        let pem_text = demo::stitch_shaped_pem(&key, &der, clients.cert_client, KeyForm::Pkcs8, false);
        let pem = dir.join("client.pem");
        std::fs::write(&pem, &pem_text).unwrap();
        let cert = ClientCertificate::from_pem(pem_text.as_bytes()).unwrap();
        let mut config = SimulatorConfig {
            data_dir: dir.join("sim"),
            clients: vec![
                ClientConfig {
                    client_id: clients.secret_client.into(),
                    auth: ClientAuth::Secret(clients.secret.into()),
                    allowed_scopes: vec!["client_paymentrequest".into(), "client_refund".into()],
                    withheld_scopes: clients.withheld.iter().map(|s| s.to_string()).collect(),
                },
                ClientConfig {
                    client_id: clients.cert_client.into(),
                    auth: ClientAuth::certificate(&cert),
                    allowed_scopes: vec!["client_paymentrequest".into()],
                    withheld_scopes: vec![],
                },
            ],
            ..SimulatorConfig::default()
        };
        adjust(&mut config);
        let sim = rt.block_on(Simulator::start(config)).unwrap();
        Self { sim, pem, rt }
    }
}

/// The command-line tests' one world: a home of folders for the real binary and the simulator
/// it gets tokens from, started in it. A test file adds its own methods (`impl World` in the
/// file); a file that needs more around it (the company network of networks.rs) wraps it.
pub struct World {
    pub stitch: Stitch,
    pub home: Home,
}

impl World {
    pub fn start(home: Home, clients: &Clients) -> Self {
        Self::start_with(home, clients, |_| {})
    }

    /// [`World::start`], with the simulator's configuration changed by `adjust` first.
    pub fn start_with(home: Home, clients: &Clients, adjust: impl FnOnce(&mut SimulatorConfig)) -> Self {
        let stitch = Stitch::start_with(home.path(), clients, adjust);
        World { stitch, home }
    }
}

/// The lines of a PEM file's private key body: none may ever be printed or written.
pub fn key_lines(pem: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(pem).unwrap();
    let body = text.split("-----BEGIN PRIVATE KEY-----").nth(1).unwrap().split("-----END").next().unwrap();
    body.lines().filter(|l| l.len() > 16).map(str::to_owned).collect()
}
