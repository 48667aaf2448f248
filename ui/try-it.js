// Try it on the API (issue 25): with the token on screen, on a test client, a payment request
// and its payment page (link, Copy link, Open, QR code), its status watched while pending, the
// simulated payment, a refund, and a bank account check; and Test token's optional proof that
// the token can create a payment request. The backend checks, sends and words every answer,
// keeps the link (Copy link and Open act on it) and draws the QR code; this module renders.

import { refreshInspector } from "./check.js";
import { $, available, el, onEnter, revealResult, setAvailable, showCopied } from "./dom.js";
import { EVENTS, emit, on } from "./events.js";
import { asFailure, hideFailure, showFailure, toggleDetails } from "./failure.js";
import { apiUrl, checkedScopes, form, snippetSettings } from "./form.js";
import { invoke } from "./invoke.js";
import { selectedProfileName, state } from "./state.js";
import { setStatus } from "./status.js";
import { showToken } from "./token.js";

const tryIt = state.tryIt;
const section = $("try-it");
const fixButton = $("try-it-fix");

/** The page's part of every call: the API URL typed under Advanced and the profile chosen. */
const where = () => ({ api_url: apiUrl.value.trim() || null, profile: selectedProfileName() });

// ---------------------------------------------------------------------------------------
// Offered or not

function fillBanks(select, banks, chosen) {
  select.replaceChildren(...banks.map((b) => Object.assign(el("option", "", b.name), { value: b.id })));
  select.value = chosen;
}

/** The demo values, once: what a person changed stays. */
function prefill(offer) {
  if (tryIt.prefilled) return;
  tryIt.prefilled = true;
  $("pr-amount").value = offer.amount;
  $("pr-payer-reference").value = offer.payer_reference;
  $("pr-beneficiary-reference").value = offer.beneficiary_reference;
  $("pr-beneficiary-name").value = offer.beneficiary_name;
  fillBanks($("pr-beneficiary-bank"), offer.banks, offer.beneficiary_bank);
  $("pr-beneficiary-account").value = offer.beneficiary_account_number;
  fillBanks($("bav-bank"), offer.banks, "fnb");
  $("bav-account-number").value = offer.verified_account_number;
  $("bav-account-number-hint").textContent =
    `Demo accounts on the simulator: ${offer.verified_account_number} is verified, ` +
    `${offer.refuted_account_number} is refuted, any other is unknown.`;
  $("bav-id-number").value = offer.id_number;
  $("bav-family-name").value = offer.family_name;
}

/** Shows the section for the token on screen: the forms on a test client, one sentence on any other. */
async function offer() {
  try {
    const view = await invoke("try_it_offer", { profile: selectedProfileName() });
    tryIt.offered = view.offered;
    $("try-it-live").textContent = view.why_not || "";
    $("try-it-live").hidden = view.offered;
    $("try-it-body").hidden = !view.offered;
    $("check-create-choice").hidden = !view.offered;
    $("check-create-hint").hidden = !view.offered;
    if (!view.offered) $("check-create").checked = false;
    prefill(view);
    section.hidden = false;
  } catch {
    section.hidden = true;
  }
}

/** No token, or another client: the section goes, and with it what it showed. */
function withdraw() {
  stopWatching();
  tryIt.offered = false;
  tryIt.request = null;
  section.hidden = true;
  $("pr-card").hidden = true;
  $("refund-part").hidden = true;
  $("bav-result").hidden = true;
  tryIt.called = false;
  $("try-code").hidden = true;
  $("check-create-choice").hidden = true;
  $("check-create-hint").hidden = true;
  $("check-create-result").hidden = true;
  hideFailure("try-it-error");
}

// ---------------------------------------------------------------------------------------
// One call

/** Runs one call of the section: the button shows it is busy, a failure is drawn in the
 *  section's box (with the scope fix when the API named missing scopes), the inspector follows. */
async function call(button, busyText, action) {
  if (tryIt.busy || !available(button)) return null;
  tryIt.busy = true;
  const label = button.textContent;
  button.textContent = busyText;
  section.setAttribute("aria-busy", "true");
  hideFailure("try-it-error");
  fixButton.hidden = true;
  try {
    const answer = await action();
    emit(EVENTS.tried, answer);
    return answer;
  } catch (failure) {
    showTryFailure(failure);
    return null;
  } finally {
    tryIt.busy = false;
    button.textContent = label;
    section.setAttribute("aria-busy", "false");
    refreshInspector();
  }
}

function showTryFailure(failure) {
  const f = showFailure("try-it-error", failure);
  tryIt.missing = f.kind === "scope_not_allowed" ? f.refused_scopes || [] : [];
  if (tryIt.missing.length > 0) {
    fixButton.textContent = `Add ${tryIt.missing.join(" and ")} and get a new token`;
    fixButton.hidden = false;
  }
  setStatus(f.message);
  revealResult($("try-it-error-message"));
}

/** The one-click fix: the backend adds the missing scopes and gets a new token; then the
 *  person repeats the call. */
async function fixScopes() {
  if (tryIt.busy || tryIt.missing.length === 0) return;
  const adding = [...tryIt.missing];
  tryIt.busy = true;
  setAvailable(fixButton, false);
  try {
    const fixed = await invoke("fix_missing_scopes", {
      missing: adding,
      scopes_to_check: checkedScopes(),
      api_url: apiUrl.value.trim() || null,
    });
    for (const name of adding) {
      const box = $(`scope-${name}`);
      if (box) box.checked = true;
    }
    tryIt.keepOnNewToken = true;
    showToken(fixed.token);
    hideFailure("try-it-error");
    fixButton.hidden = true;
    setStatus(`New token with ${adding.join(" and ")} received. Try the call again.`);
  } catch (failure) {
    showTryFailure(failure);
  } finally {
    tryIt.busy = false;
    setAvailable(fixButton, true);
  }
}

// ---------------------------------------------------------------------------------------
// The payment request

const TONES = { pending: "warn", completed: "ok", manually_completed: "ok", cancelled: "bad", expired: "bad" };

function showState(summary, stateName) {
  const line = $("pr-state");
  line.textContent = summary;
  line.className = `pr-state ${TONES[stateName] || "warn"}`;
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

function showCreated(made) {
  tryIt.request = made.id;
  $("pr-id").textContent = made.id;
  $("pr-amount-shown").textContent = `R${made.amount}`;
  $("pr-link").textContent = made.link || made.url;
  const qr = $("pr-qr");
  if (made.qr) qr.src = made.qr;
  else qr.removeAttribute("src");
  qr.closest("figure").hidden = !made.qr;
  [$("copy-payment-link"), $("open-payment-link")].forEach((b) => setAvailable(b, Boolean(made.link)));
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

function stopWatching() {
  clearTimeout(tryIt.watchTimer);
  tryIt.watchTimer = null;
  $("pr-watch").hidden = true;
}

async function copyLink() {
  if (!available($("copy-payment-link"))) return;
  try {
    const done = await invoke("copy_payment_link");
    showCopied($("pr-link-note"), `Copied. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
    setStatus("Copied the payment link.");
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

async function openLink() {
  if (!available($("open-payment-link"))) return;
  try {
    await invoke("open_payment_link");
    setStatus("Opened the payment page in your browser.");
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

// ---------------------------------------------------------------------------------------
// The refund

const REFUND_TONES = { completed: "ok", submitted: "ok", pending: "warn", paused: "warn", error: "bad" };

function showRefund(summary, status) {
  const line = $("refund-state");
  line.textContent = summary;
  line.className = `pr-state ${REFUND_TONES[status] || "warn"}`;
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
// The bank account

const FINDING_TONES = { verified: "ok", refuted: "bad", unknown: "warn" };
const FINDING_WORDS = { verified: "Verified", refuted: "Refuted", unknown: "Unknown" };

function showHolderFields() {
  const company = $("bav-company").checked;
  $("bav-person-fields").hidden = company;
  $("bav-company-fields").hidden = !company;
}

async function verifyAccount() {
  const company = $("bav-company").checked;
  const form = {
    bank: $("bav-bank").value,
    account_number: $("bav-account-number").value,
    id_number: company ? null : $("bav-id-number").value,
    family_name: company ? null : $("bav-family-name").value,
    registration: company ? $("bav-registration").value : null,
    business_name: company ? $("bav-business-name").value : null,
  };
  const verified = await call($("verify-account"), "Verifying…", () =>
    invoke("verify_bank_account", { form, ...where() }),
  );
  if (!verified) return;
  const summary = $("bav-summary");
  summary.textContent = verified.summary;
  summary.className = `test-summary ${verified.result === "verified" ? "ok" : "bad"}`;
  summary.dataset.result = verified.result;
  $("bav-checks").replaceChildren(
    ...verified.checks.map((c) => {
      const tone = FINDING_TONES[c.finding] || "warn";
      const row = el("li", `test-scope ${tone}`);
      row.dataset.finding = c.finding;
      row.append(el("span", `pill answer ${tone}`, FINDING_WORDS[c.finding] || c.finding), el("span", "", c.question));
      return row;
    }),
  );
  $("bav-result").hidden = false;
  setStatus(verified.summary);
  revealResult(summary);
}

// ---------------------------------------------------------------------------------------
// Code for integrators: the last call, in the language and sign-in chosen there

const codeChoice = () => ({ settings: snippetSettings(), lang: $("snippet-lang").value, flow: $("snippet-flow").value });

async function refreshTryCode() {
  if (!$("snippets").open || !tryIt.called) return;
  try {
    const view = await invoke("try_it_code", codeChoice());
    $("try-code-operation").textContent = view.operation;
    $("try-code-text").textContent = view.code;
    $("try-code").hidden = false;
  } catch {
    $("try-code").hidden = true;
  }
}

function refreshTryCodeSoon() {
  clearTimeout(tryIt.codeTimer);
  tryIt.codeTimer = setTimeout(refreshTryCode, 250);
}

async function copyTryCode() {
  try {
    const done = await invoke("copy_try_it_code", codeChoice());
    showCopied($("try-code-note"), `Copied. It holds no secret. The clipboard will be cleared in ${done.clear_after_seconds} s.`);
    setStatus(`Copied the code for ${$("try-code-operation").textContent}.`);
  } catch (failure) {
    setStatus(asFailure(failure).message);
  }
}

// ---------------------------------------------------------------------------------------
// Test token's optional proof (issue 25, item 6)

/** After a test, when asked for: one test payment request, made to prove the token can create. */
async function proveCreate() {
  const line = $("check-create-result");
  line.hidden = true;
  if (!$("check-create").checked || !tryIt.offered) return;
  line.className = "check-create-result";
  line.textContent = "Creating one test payment request…";
  line.hidden = false;
  try {
    const made = await invoke("check_create_payment_request", where());
    line.textContent = made.summary;
    line.classList.add("ok");
    showCreated(made);
  } catch (failure) {
    line.textContent = `Creating a test payment request did not work. ${asFailure(failure).message}`;
    line.classList.add("bad");
  } finally {
    refreshInspector();
  }
}

// ---------------------------------------------------------------------------------------
// Wiring

$("try-it-error-details-toggle").addEventListener("click", () => toggleDetails("try-it-error"));
fixButton.addEventListener("click", fixScopes);
$("create-payment-request").addEventListener("click", createPaymentRequest);
$("check-status").addEventListener("click", () => checkStatus());
$("simulate-payment").addEventListener("click", simulatePayment);
$("stop-checking").addEventListener("click", () => {
  stopWatching();
  setStatus("Stopped checking the status. Check status reads it again.");
  $("check-status").focus();
});
$("copy-payment-link").addEventListener("click", copyLink);
$("open-payment-link").addEventListener("click", openLink);
$("refund-payment").addEventListener("click", refundIt);
$("check-refund").addEventListener("click", checkRefund);
$("verify-account").addEventListener("click", verifyAccount);
for (const id of ["bav-person", "bav-company"]) $(id).addEventListener("change", showHolderFields);
for (const id of ["pr-amount", "pr-payer-reference", "pr-beneficiary-reference", "pr-beneficiary-name", "pr-beneficiary-account"]) {
  onEnter(id, createPaymentRequest);
}
onEnter("refund-amount", refundIt);
for (const id of ["bav-account-number", "bav-id-number", "bav-family-name", "bav-registration", "bav-business-name"]) {
  onEnter(id, verifyAccount);
}

// A token on screen offers the section (a new token for the same client, after the scope
// fix, keeps what it shows); no token, or another client, withdraws it.
on(EVENTS.token, () => {
  if (!tryIt.keepOnNewToken) withdraw();
  tryIt.keepOnNewToken = false;
  offer();
});
on(EVENTS.noToken, withdraw);
on(EVENTS.checked, proveCreate);
on(EVENTS.tried, () => {
  tryIt.called = true;
  refreshTryCode();
});
$("snippets").addEventListener("toggle", refreshTryCode);
$("snippet-lang").addEventListener("change", refreshTryCode);
$("snippet-flow").addEventListener("change", refreshTryCode);
$("copy-try-code").addEventListener("click", copyTryCode);
form.addEventListener("input", refreshTryCodeSoon);
form.addEventListener("change", refreshTryCodeSoon);
