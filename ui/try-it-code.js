// Try it on the API, in Code for integrators: the code for the last call of the section, in the
// language and sign-in chosen there, and its Copy. Apart because it belongs to the Code for
// integrators card. The backend writes the code (it holds no secret); this module renders.

import { $, showCopied } from "./dom.js";
import { EVENTS, on } from "./events.js";
import { asFailure } from "./failure.js";
import { form, snippetSettings } from "./form.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

const tryIt = state.tryIt;

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
// Wiring

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
