//! Working code for integrators, from the current settings: gets a client token (secret or
//! certificate flow, exactly the request Token Desk sends) and calls the API with it. The
//! secret is never in the code: it is read from an environment variable; the certificate
//! flow reads the PEM file Stitch issued from a path in another variable.
//!
//! The settings come from people, from import files and from settings files: every value goes
//! into the code through its language's one literal encoder ([`bash_literal`],
//! [`python_literal`], [`js_literal`], [`csharp_literal`]), which writes any string as an
//! inert literal that the language reads back as exactly that string and never evaluates.
//! [`Settings::checked`] refuses settings without the shapes Token Desk allows, where a face
//! can say so before the code is shown.
//!
//! One file per language ([`curl`], [`python`], [`javascript`], [`csharp`]), as
//! [`crate::collection`] has one per format; [`settings`] is what they are made from and
//! [`literals`] the encoders they share.

mod csharp;
mod curl;
mod javascript;
mod literals;
mod python;
mod settings;
#[cfg(test)]
mod tests;

use crate::known_scopes::CLIENT_QUERY;
/// The API URL that goes with a token URL (one rule for the whole app, in [`crate::usage`]).
pub use crate::usage::api_url_for;
pub use literals::{bash_literal, csharp_literal, js_literal, python_literal};
pub use settings::{ApiCall, Flow, Lang, Settings, CERTIFICATE_VAR, SECRET_VAR};

/// The code for `lang`: a token, then the token test's read-only query.
pub fn snippet(lang: Lang, s: &Settings) -> String {
    snippet_calling(lang, s, &ApiCall { query: CLIENT_QUERY, variables: None })
}

/// The code for `lang`: a token, then `call`. Without variables it is exactly [`snippet`]'s
/// code; with them, each language sends them as parsed JSON read from one literal.
pub fn snippet_calling(lang: Lang, s: &Settings, call: &ApiCall) -> String {
    match lang {
        Lang::Curl => curl::code(s, call),
        Lang::JavaScript => javascript::code(s, call),
        Lang::Python => python::code(s, call),
        Lang::CSharp => csharp::code(s, call),
    }
}
