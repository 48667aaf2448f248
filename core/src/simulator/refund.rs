//! A refund as Stitch's API shows it: `Refund` and its `status` union.

use std::time::SystemTime;

use async_graphql::{Object, SimpleObject, Union, ID};

use super::payments::{self, node_id};
use super::types::{Date, Money, RefundReason};

pub(crate) struct Refund {
    refund: payments::Refund,
    now: SystemTime,
}

impl Refund {
    /// `refund` as it reads at `now` (its status moves on with the clock).
    pub(crate) fn new(refund: payments::Refund, now: SystemTime) -> Self {
        Self { refund, now }
    }
}

#[Object]
impl Refund {
    pub(crate) async fn id(&self) -> ID {
        ID(node_id("refund", &self.refund.uuid))
    }

    async fn amount(&self) -> Money {
        Money(self.refund.new.amount)
    }

    async fn reason(&self) -> RefundReason {
        RefundReason::from_name(self.refund.new.reason)
    }

    async fn nonce(&self) -> &str {
        &self.refund.new.nonce
    }

    async fn beneficiary_reference(&self) -> &str {
        &self.refund.new.beneficiary_reference
    }

    async fn created(&self) -> Date {
        Date(self.refund.created)
    }

    async fn payment_request_id(&self) -> ID {
        ID(node_id("payreq", &self.refund.new.payment_uuid))
    }

    /// `RefundPending`, then `RefundCompleted` once the bank has settled it.
    async fn status(&self) -> RefundStatus {
        let date = Date(self.refund.created);
        if self.refund.settled(self.now) {
            RefundStatus::Completed(RefundCompleted { date: Date(self.refund.created + payments::REFUND_SETTLES) })
        } else {
            RefundStatus::Pending(RefundPending { date })
        }
    }
}

#[derive(Union)]
pub(crate) enum RefundStatus {
    Pending(RefundPending),
    Submitted(RefundSubmitted),
    Completed(RefundCompleted),
    Error(RefundError),
    Paused(RefundPaused),
}

#[derive(SimpleObject)]
pub(crate) struct RefundPending {
    date: Date,
}

/// Sent to the bank; the simulator goes from pending straight to completed.
#[derive(SimpleObject)]
pub(crate) struct RefundSubmitted {
    date: Date,
}

#[derive(SimpleObject)]
pub(crate) struct RefundCompleted {
    date: Date,
}

/// Failed at the bank; never reached in the simulator.
#[derive(SimpleObject)]
pub(crate) struct RefundError {
    date: Date,
    reason: String,
}

/// Held for review; never reached in the simulator.
#[derive(SimpleObject)]
pub(crate) struct RefundPaused {
    date: Date,
    reason: String,
}
