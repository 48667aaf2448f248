//! `token-desk simulate`: the built-in Stitch simulator in the foreground.

use std::process::ExitCode;
use std::time::Duration;

use crate::shown::say;
use token_desk_core::simulator::{Simulator, SimulatorConfig};

pub async fn run(port: u16, lifetime: u64) -> ExitCode {
    let config =
        SimulatorConfig { port, token_lifetime: Duration::from_secs(lifetime.max(1)), ..SimulatorConfig::default() };
    let sim = match Simulator::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            let message = format!("the simulator could not start on 127.0.0.1:{port} ({e}). Try another --port.");
            return crate::exit::end(Err(crate::exit::Failed::Itself(message)));
        }
    };
    let demo = sim.demo();
    say!("Stitch simulator (not Stitch), listening on {}", sim.addr());
    say!("  Token URL:  {}", sim.token_url());
    say!("  API URL:    {}", sim.api_url());
    say!();
    say!("Demo client with a secret (works only with this simulator):");
    say!("  client ID:  {}", demo.secret_client_id);
    say!("  secret:     {}", demo.secret);
    say!("Demo client with a certificate:");
    say!("  client ID:  {}", demo.certificate_client_id);
    say!("  file:       {}", demo.certificate_path.display());
    say!();
    say!("They may use every client scope except client_disbursement (refused, to show an error);");
    say!("the secret client is not granted client_recurringpaymentconsentrequest.");
    say!();
    say!("Try:");
    say!(
        "  printf %s '{}' | token-desk token --token-url {} --client-id {} --scope client_paymentrequest --secret-stdin",
        demo.secret, sim.token_url(), demo.secret_client_id
    );
    say!("Press Ctrl+C to stop.");
    wait_for_stop().await;
    ExitCode::SUCCESS
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
