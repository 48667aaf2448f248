// Try it on the API: the payment page of a payment request made there, as its link (Copy link,
// Open) and its QR code. Apart from the payment request card (ui/try-it-payment.js), which shows
// it with showPaymentPage. The backend keeps the link (Copy link and Open act on it) and draws
// the QR code; this module renders.

import { $, available, setAvailable, showCopied } from "./dom.js";
import { asFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { setStatus } from "./status.js";

/** The link and the QR code of a payment request just made (`made`: the backend's answer). */
export function showPaymentPage(made) {
  $("pr-link").textContent = made.link || made.url;
  const qr = $("pr-qr");
  if (made.qr) qr.src = made.qr;
  else qr.removeAttribute("src");
  qr.closest("figure").hidden = !made.qr;
  [$("copy-payment-link"), $("open-payment-link")].forEach((b) => setAvailable(b, Boolean(made.link)));
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
// Wiring

$("copy-payment-link").addEventListener("click", copyLink);
$("open-payment-link").addEventListener("click", openLink);
