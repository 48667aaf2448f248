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

/// The API URL that goes with a token URL (one rule for the whole app, in [`crate::usage`]).
pub use crate::usage::api_url_for;
pub use literals::{bash_literal, csharp_literal, js_literal, python_literal};
pub use settings::{Flow, Lang, Settings, CERTIFICATE_VAR, SECRET_VAR};

/// The code for `lang`.
pub fn snippet(lang: Lang, s: &Settings) -> String {
    match lang {
        Lang::Curl => curl::code(s),
        Lang::JavaScript => javascript::code(s),
        Lang::Python => python::code(s),
        Lang::CSharp => csharp::code(s),
    }
}
