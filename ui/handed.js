// "Test a token you were handed": a pasted token goes to the backend once for a safe,
// read-only test and is cleared from the field at once; it is never stored or shown. Loaded
// after tester.js and uses its helpers (scopeRows, summaryClass). textContent only.
"use strict";

const handedToken = $("handed-token");
const handedApi = $("handed-api-url");
let handedBusy = false;

function renderHanded(report) {
  $("handed-error").hidden = true;
  const summary = $("handed-summary");
  summary.textContent = `${report.summary} (tested at ${report.api_url})`;
  summary.className = summaryClass(report);
  $("handed-scopes-result").replaceChildren(...scopeRows(report));
  $("handed-result").hidden = false;
  summary.focus();
}

async function testHanded() {
  if (handedBusy || !available($("test-handed"))) return;
  const token = handedToken.value;
  handedToken.value = ""; // the page forgets it as soon as it is sent
  handedBusy = true;
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
    const f = asFailure(failure);
    $("handed-error-message").textContent = f.message;
    $("handed-error").hidden = false;
    $("handed-error-message").focus();
    setStatus(`The test did not finish. ${f.message}`);
  } finally {
    handedBusy = false;
    setAvailable($("test-handed"), true);
    refreshInspector();
  }
}

$("test-handed").addEventListener("click", testHanded);
onEnter("handed-token", testHanded);
// Once the simulator runs, a handed token is most likely one of its own.
document.addEventListener("token-desk:demo", (event) => {
  if (handedApi.value.trim() === "https://api.stitch.money/graphql") handedApi.value = event.detail.api_url;
});
