// Try it on the API: the payment request card. Create one, read its status (again every few
// seconds while it is pending), simulate the payment and refund it. The payment page (link and
// QR code) is in ui/try-it-link.js; every call goes through ui/try-it-call.js. The backend
// checks, sends and words every answer; this module renders.

import { $, onEnter, revealResult, setAvailable } from "./dom.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";
import { call, showTryFailure, where } from "./try-it-call.js";
import { showPaymentPage } from "./try-it-link.js";

const tryIt = state.tryIt;

// ---------------------------------------------------------------------------------------
// The payment request

const TONES = { pending: "warn", completed: "ok", manually_completed: "ok", cancelled: "bad", expired: "bad" };

/** Writes `summary` into the state line `id` in the tone `tones` gives `name` (warn if none). */
function stateLine(id, summary, tones, name) {
  const line = $(id);
  line.textContent = summary;
  line.className = `pr-state ${tones[name] || "warn"}`;
  return line;
}

function showState(summary, stateName) {
  const line = stateLine("pr-state", summary, TONES, stateName);
  line.dataset.state = stateName;
  tryIt.state = stateName;
  const completed = stateName === "completed" || stateName === "manually_completed";
  $("refund-part").hidden = !completed;
  setAvailable($("simulate-payment"), stateName === "pending");
  if (stateName === "pending") watch();
  else stopWatching();
}

async function createPaymentRequest() {
  const button = $("create-payment-request");
  const made = await call(button, "Creating…", () =>
    invoke("create_payment_request", {
      form: {
        amount: $("pr-amount").value,
        payer_reference: $("pr-payer-reference").value,
        beneficiary_reference: $("pr-beneficiary-reference").value,
        beneficiary_name: $("pr-beneficiary-name").value,
        beneficiary_bank: $("pr-beneficiary-bank").value,
        beneficiary_account_number: $("pr-beneficiary-account").value,
      },
      ...where(),
    }),
  );
  if (!made) return;
  showCreated(made);
  setStatus(made.summary);
}

/** Shows a payment request just made (`made`: the backend's answer) and starts watching it. */
export function showCreated(made) {
  tryIt.request = made.id;
  $("pr-id").textContent = made.id;
  $("pr-amount-shown").textContent = `R${made.amount}`;
  showPaymentPage(made);
  $("refund-amount").value = made.amount;
  $("refund-state").hidden = true;
  $("refund-facts").hidden = true;
  $("check-refund").hidden = true;
  $("pr-card").hidden = false;
  showState(made.summary, "pending");
  revealResult($("pr-state"));
}

async function checkStatus(button = $("check-status")) {
  if (!tryIt.request) return;
  const read = await call(button, "Checking…", () =>
    invoke("payment_request_status", { id: tryIt.request, api_url: where().api_url }),
  );
  if (!read) {
    stopWatching();
    return;
  }
  showState(read.summary, read.state);
  setStatus(`Payment request: ${read.summary}`);
}

async function simulatePayment() {
  if (!tryIt.request || tryIt.state !== "pending") return;
  const done = await call($("simulate-payment"), "Simulating…", () =>
    invoke("simulate_payment", { id: tryIt.request, ...where() }),
  );
  if (!done) return;
  setStatus(done.summary);
  await checkStatus();
}

// A pending request is read again every few seconds (the backend's timers say how often),
// visibly and with a way to stop, until it is no longer pending.

function watch() {
  // No interval from the backend, no automatic check: Check status still reads it.
  if (tryIt.watchTimer !== null || !(state.timers.statusCheckMs > 0)) return;
  const seconds = Math.max(1, Math.round(state.timers.statusCheckMs / 1000));
  $("pr-watch-text").textContent = `Checking the status every ${seconds} s while it is pending.`;
  $("pr-watch").hidden = false;
  // Read quietly: the buttons stay as they are and free for the person's own clicks.
  const tick = async () => {
    tryIt.watchTimer = null;
    const watched = tryIt.request;
    try {
      const read = await invoke("payment_request_status", { id: watched, api_url: where().api_url });
      if (watched !== tryIt.request || $("pr-watch").hidden) return;
      showState(read.summary, read.state);
      if (read.state !== "pending") setStatus(`Payment request: ${read.summary}`);
    } catch (failure) {
      stopWatching();
      showTryFailure(failure);
    }
  };
  tryIt.watchTimer = setTimeout(tick, state.timers.statusCheckMs);
}

export function stopWatching() {
  clearTimeout(tryIt.watchTimer);
  tryIt.watchTimer = null;
  $("pr-watch").hidden = true;
}

// ---------------------------------------------------------------------------------------
// The refund

const REFUND_TONES = { completed: "ok", submitted: "ok", pending: "warn", paused: "warn", error: "bad" };

function showRefund(summary, status) {
  const line = stateLine("refund-state", summary, REFUND_TONES, status);
  line.dataset.status = status;
  line.hidden = false;
}

async function refundIt() {
  if (!tryIt.request) return;
  const started = await call($("refund-payment"), "Refunding…", () =>
    invoke("refund_payment", {
      form: { payment_request_id: tryIt.request, amount: $("refund-amount").value, reason: null, beneficiary_reference: null },
      ...where(),
    }),
  );
  if (!started) return;
  tryIt.refund = started.id;
  $("refund-id").textContent = started.id;
  $("refund-nonce").textContent = started.nonce;
  $("refund-facts").hidden = false;
  $("check-refund").hidden = false;
  showRefund(started.summary, started.status);
  setStatus(started.summary);
  revealResult($("refund-state"));
}

async function checkRefund() {
  if (!tryIt.refund) return;
  const read = await call($("check-refund"), "Checking…", () =>
    invoke("refund_status", { id: tryIt.refund, api_url: where().api_url }),
  );
  if (!read) return;
  showRefund(read.summary, read.status);
  setStatus(`Refund: ${read.summary}`);
}

// ---------------------------------------------------------------------------------------
// Wiring

$("create-payment-request").addEventListener("click", createPaymentRequest);
$("check-status").addEventListener("click", () => checkStatus());
$("simulate-payment").addEventListener("click", simulatePayment);
$("stop-checking").addEventListener("click", () => {
  stopWatching();
  setStatus("Stopped checking the status. Check status reads it again.");
  $("check-status").focus();
});
$("refund-payment").addEventListener("click", refundIt);
$("check-refund").addEventListener("click", checkRefund);
for (const id of ["pr-amount", "pr-payer-reference", "pr-beneficiary-reference", "pr-beneficiary-name", "pr-beneficiary-account"]) {
  onEnter(id, createPaymentRequest);
}
onEnter("refund-amount", refundIt);
