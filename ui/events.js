// The page's own events: each is sent by one module (named here) and heard by any. They say
// what happened; none of them asks another module to do something.

export const EVENTS = Object.freeze({
  /** ui/token.js: a token is shown (detail: the token view). */
  token: "token-desk:token",
  /** ui/token.js: no token any more (detail: the failure, or null when the client changed). */
  noToken: "token-desk:no-token",
  /** ui/demo.js: the demo client is filled in (detail: the demo view). */
  demo: "token-desk:demo",
  /** ui/profiles.js: a profile (or "No profile") was chosen; its network settings came with it. */
  profileSelected: "token-desk:profile-selected",
  /** ui/presenter.js: presenter mode went on or off (detail: whether it is on). */
  presenter: "token-desk:presenter",
  /** ui/client-id.js: the client id changed (detail: {typed}: by typing, or written by the page). */
  clientId: "token-desk:client-id",
  /** ui/client-id.js: an edit of the client id is finished (the field lost focus). */
  clientIdDone: "token-desk:client-id-done",
  /** ui/form.js: a certificate was read (detail: its view). */
  certificate: "token-desk:certificate",
  /** ui/form.js: whether the form points at the simulator changed or was asked again. */
  simulator: "token-desk:simulator",
  /** ui/check.js: a test report is shown. */
  checked: "token-desk:checked",
  /** ui/try-it-call.js: a Try it call answered (detail: its answer). */
  tried: "token-desk:tried",
});

export const emit = (name, detail = null) => document.dispatchEvent(new CustomEvent(name, { detail }));
export const on = (name, handler) => document.addEventListener(name, (event) => handler(event.detail));
