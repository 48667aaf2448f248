// Try it on the API (issue 25): with the token on screen, on a test client, a payment request
// and its payment page (link, Copy link, Open, QR code), its status watched while pending, the
// simulated payment, a refund, and a bank account check; and Test token's optional proof that
// the token can create a payment request. This module offers the section (or withdraws it) and
// runs that proof; the parts are ui/try-it-call.js (one call), ui/try-it-payment.js,
// ui/try-it-link.js, ui/try-it-bank.js and ui/try-it-code.js. The backend checks, sends and
// words every answer, keeps the link (Copy link and Open act on it) and draws the QR code;
// this module renders.

import { refreshInspector } from "./check.js";
import { $, el } from "./dom.js";
import { EVENTS, on } from "./events.js";
import { asFailure, hideFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { selectedProfileName, state } from "./state.js";
import { section, where } from "./try-it-call.js";
import { showCreated, stopWatching } from "./try-it-payment.js";

const tryIt = state.tryIt;

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
    // The payment scope's line said creating was not tried; now it was, and worked.
    const note = $("test-scopes").querySelector('[data-scope="client_paymentrequest"] .test-note');
    if (note && made.scope_note) note.textContent = made.scope_note;
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

// A token on screen offers the section (a new token for the same client, after the scope
// fix, keeps what it shows); no token, or another client, withdraws it.
on(EVENTS.token, () => {
  if (!tryIt.keepOnNewToken) withdraw();
  tryIt.keepOnNewToken = false;
  offer();
});
on(EVENTS.noToken, withdraw);
on(EVENTS.checked, proveCreate);
