// "Test a token you were handed": a pasted token goes to the backend once for a safe,
// read-only test and is cleared from the field at once; it is never stored or shown.

import { refreshInspector, scopeRows, summaryClass } from "./check.js";
import { $, available, onEnter, setAvailable } from "./dom.js";
import { EVENTS, on } from "./events.js";
import { hideFailure, showFailure } from "./failure.js";
import { invoke } from "./invoke.js";
import { state } from "./state.js";
import { setStatus } from "./status.js";

const handedToken = $("handed-token");
const handedApi = $("handed-api-url");

function renderHanded(report) {
  hideFailure("handed-error");
  const summary = $("handed-summary");
  summary.textContent = `${report.summary} (tested at ${report.api_url})`;
  summary.className = summaryClass(report);
  $("handed-scopes-result").replaceChildren(...scopeRows(report));
  $("handed-result").hidden = false;
  summary.focus();
}

async function testHanded() {
  if (state.handed.busy || !available($("test-handed"))) return;
  const token = handedToken.value;
  handedToken.value = ""; // the page forgets it as soon as it is sent
  state.handed.busy = true;
  setAvailable($("test-handed"), false);
  setStatus("Testing the token you were handed…", true);
  try {
    const report = await invoke("test_handed_token", {
      token,
      api_url: handedApi.value.trim() || null,
      scopes: $("handed-scopes").value.split(/[\s,]+/).filter((s) => s !== ""),
    });
    renderHanded(report);
    setStatus(`Test of the handed token finished. ${report.summary}`);
  } catch (failure) {
    $("handed-result").hidden = true;
    const f = showFailure("handed-error", failure);
    $("handed-error-message").focus();
    setStatus(`The test did not finish. ${f.message}`);
  } finally {
    state.handed.busy = false;
    setAvailable($("test-handed"), true);
    refreshInspector();
  }
}

$("test-handed").addEventListener("click", testHanded);
onEnter("handed-token", testHanded);
// Once the simulator runs, a handed token is most likely one of its own.
on(EVENTS.demo, (demo) => {
  if (handedApi.value.trim() === "https://api.stitch.money/graphql") handedApi.value = demo.api_url;
});
