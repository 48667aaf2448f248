//! The token request in flight, so Cancel can stop it. A new one stops the one before (the
//! page shows one answer), and a finished request never clears the handle of a newer one.
//! A run is the command's own future, not a task: it may borrow the window's state (the
//! session a saved profile's token is asked through), and stopping it drops it where it
//! waits, as aborting a task would.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::task::{Context, Poll};

use token_desk_core::failure::Detail;
use token_desk_core::{Failure, FailureKind};
use tokio::sync::oneshot;

use crate::guard::lock;

/// See the module's documentation.
#[derive(Default)]
pub struct Runs {
    /// The run in flight, numbered, with what stops it.
    running: Mutex<Option<(u64, oneshot::Sender<()>)>>,
    count: AtomicU64,
}

impl Runs {
    /// Runs `work` until it ends or [`Runs::cancel`] (or the next run) stops it: it then
    /// fails as [`FailureKind::Cancelled`]. A panic in `work` answers as an internal error,
    /// as a task's would.
    pub async fn run<T>(&self, work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
        let (stop, stopped) = oneshot::channel();
        let run = self.count.fetch_add(1, Ordering::AcqRel) + 1;
        if let Some((_, earlier)) = lock(&self.running).replace((run, stop)) {
            let _ = earlier.send(());
        }
        let result = tokio::select! {
            biased;
            _ = stopped => None,
            ended = Unwinding(Box::pin(work)) => Some(ended),
        };
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|(r, _)| *r == run) {
            *running = None;
        }
        match result {
            Some(Ok(outcome)) => outcome,
            None => Err(Failure::new(
                FailureKind::Cancelled,
                "Cancelled. No token was received; choose Get token when you are ready.",
            )),
            Some(Err(panic)) => {
                Err(Failure::new(FailureKind::UnexpectedResponse, "Token Desk hit an internal error. Try again.")
                    .with_detail(Detail { cause: Some(panic), ..Default::default() }))
            }
        }
    }

    /// Stops the run in flight; returns whether there was one.
    pub fn cancel(&self) -> bool {
        match lock(&self.running).take() {
            Some((_, stop)) => {
                let _ = stop.send(());
                true
            }
            None => false,
        }
    }
}

/// A future whose panic ends it with the panic's message instead of unwinding further; it is
/// not polled again after that.
struct Unwinding<F>(Pin<Box<F>>);

impl<F: Future> Future for Unwinding<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.0.as_mut().poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(panic) => Poll::Ready(Err(panic_message(panic.as_ref()))),
        }
    }
}

/// What a panic said, as a task's join error reports it.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let said = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
    format!("task panicked with message {:?}", said.unwrap_or_default())
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

    #[tokio::test]
    async fn a_run_that_panics_answers_as_an_internal_error() {
        let runs = Runs::default();
        let failure = runs
            .run(async {
                if runs.count.load(Ordering::Acquire) > 0 {
                    panic!("a bug");
                }
                Ok(())
            })
            .await
            .unwrap_err();
        assert_eq!(failure.kind, FailureKind::UnexpectedResponse);
        assert!(failure.detail.cause.as_deref().unwrap_or_default().contains("a bug"), "{failure:?}");
        assert!(lock(&runs.running).is_none());
    }
}
