// "Save as Postman collection / Bruno collection / .http file" in Code for integrators. The
// backend makes the collection, asks where to save it with the system's chooser and writes
// it; the page sends only the form's settings (no secret, no path) and renders the answer.

import { $ } from "./dom.js";
import { showFailure } from "./failure.js";
import { snippetSettings } from "./form.js";
import { invoke } from "./invoke.js";
import { setStatus } from "./status.js";

async function saveCollection(button) {
  const note = $("collection-note");
  const run = $("collection-run");
  const label = button.textContent;
  button.setAttribute("aria-disabled", "true");
  try {
    const saved = await invoke("save_collection", {
      settings: snippetSettings(),
      format: button.dataset.format,
      flow: $("snippet-flow").value,
    });
    if (saved === null) {
      setStatus("Nothing was saved.");
      return;
    }
    note.className = "copy-note";
    note.textContent = `Saved the ${saved.label} to ${saved.path}. It holds no secret, key or token. Run it with:`;
    run.textContent = saved.run;
    note.hidden = false;
    run.hidden = false;
    setStatus(`Saved the ${saved.label}.`);
  } catch (failure) {
    note.className = "collection-error";
    const f = showFailure("collection-note", failure);
    run.hidden = true;
    setStatus(`${label}: ${f.message}`);
  } finally {
    button.removeAttribute("aria-disabled");
  }
}

for (const id of ["save-postman", "save-bruno", "save-http"]) {
  $(id).addEventListener("click", (e) => {
    if (e.currentTarget.getAttribute("aria-disabled") !== "true") saveCollection(e.currentTarget);
  });
}
