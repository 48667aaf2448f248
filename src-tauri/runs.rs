//! The token request in flight, so Cancel can stop it. Each request runs in a task of its
//! own; a new one stops the one before (the page shows one answer), and a finished request
//! never clears the handle of a newer one.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use token_desk_core::failure::Detail;
use token_desk_core::{Failure, FailureKind};
use tokio::task::AbortHandle;

use crate::guard::lock;

/// See the module's documentation.
#[derive(Default)]
pub struct Runs {
    /// The run in flight, numbered.
    running: Mutex<Option<(u64, AbortHandle)>>,
    count: AtomicU64,
}

impl Runs {
    /// Runs `work` in a task of its own, which [`Runs::cancel`] (or the next run) can stop: it
    /// then fails as [`FailureKind::Cancelled`].
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, Failure>> + Send + 'static,
    ) -> Result<T, Failure> {
        let task = tokio::spawn(work);
        let run = self.count.fetch_add(1, Ordering::AcqRel) + 1;
        if let Some((_, earlier)) = lock(&self.running).replace((run, task.abort_handle())) {
            earlier.abort();
        }
        let result = task.await;
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|(r, _)| *r == run) {
            *running = None;
        }
        match result {
            Ok(outcome) => outcome,
            Err(e) if e.is_cancelled() => Err(Failure::new(
                FailureKind::Cancelled,
                "Cancelled. No token was received; choose Get token when you are ready.",
            )),
            Err(e) => {
                Err(Failure::new(FailureKind::UnexpectedResponse, "Token Desk hit an internal error. Try again.")
                    .with_detail(Detail { cause: Some(e.to_string()), ..Default::default() }))
            }
        }
    }

    /// Stops the run in flight; returns whether there was one.
    pub fn cancel(&self) -> bool {
        match lock(&self.running).take() {
            Some((_, handle)) => {
                handle.abort();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn cancelling_stops_the_run_in_flight_which_then_says_cancelled() {
        let runs = Arc::new(Runs::default());
        assert!(!runs.cancel(), "nothing runs yet");
        let waiting = tokio::spawn({
            let runs = runs.clone();
            async move { runs.run(std::future::pending::<Result<(), Failure>>()).await }
        });
        while lock(&runs.running).is_none() {
            tokio::task::yield_now().await;
        }
        assert!(runs.cancel());
        let failure = waiting.await.unwrap().unwrap_err();
        assert_eq!(failure.kind, FailureKind::Cancelled);
        assert!(!runs.cancel(), "the cancelled run is gone");
    }

    #[tokio::test]
    async fn a_finished_run_clears_its_own_handle_only() {
        let runs = Runs::default();
        assert_eq!(runs.run(async { Ok(7) }).await.unwrap(), 7);
        assert!(lock(&runs.running).is_none());
        assert!(!runs.cancel());
    }
}
