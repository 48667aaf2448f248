//! The payment link last made, kept here so *Copy link* and *Open* act on the link the API
//! gave, never on a URL the page names; its QR code, drawn here as SVG (no network); and the
//! one way a link reaches the system browser.

use std::sync::Mutex;

use serde::Serialize;
use tauri::State;
use token_desk_core::try_it::payment_request::Created;
use token_desk_core::Failure;

use super::Answer;
use crate::guard::lock;
use crate::state::AppState;

/// Debug builds only: a file that *Open* writes the link into instead of starting the system
/// browser, so a WebDriver test sees what would have been opened (none is installed there).
pub const OPENED_FILE_ENV: &str = "TOKEN_DESK_TEST_OPENED_FILE";

/// What the backend keeps for Try it: the payment link last made.
#[derive(Debug, Default)]
pub struct TryIt {
    link: Mutex<Option<String>>,
}

impl TryIt {
    /// The payment link last made, or why there is none.
    fn link(&self) -> Result<String, Failure> {
        lock(&self.link).clone().ok_or_else(|| Failure::bad_input("There is no payment link yet: create one first."))
    }
}

/// A payment request just made, with its link drawn as a QR code.
#[derive(Debug, Serialize)]
pub struct CreatedView {
    #[serde(flatten)]
    pub created: Created,
    /// The QR code of `link` as an SVG image (a `data:` URL the page puts in an `<img>`).
    pub qr: Option<String>,
    /// After *Test token*'s proof: what its `client_paymentrequest` line says now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_note: Option<String>,
}

/// How long a copy (the link, or the code for the last call) stays on the clipboard.
#[derive(Debug, Serialize)]
pub struct LinkCopied {
    pub clear_after_seconds: u64,
}

/// Copies the payment link last made (the page never hands over a link to copy).
#[tauri::command]
pub fn copy_payment_link(state: State<'_, AppState>, kept: State<'_, TryIt>) -> Answer<LinkCopied> {
    state.copy_text(kept.link()?)?;
    Ok(LinkCopied { clear_after_seconds: state.clear_after().as_secs() })
}

/// Opens the payment link last made in the system browser (the page never opens a URL).
#[tauri::command]
pub fn open_payment_link(kept: State<'_, TryIt>) -> Answer<()> {
    Ok(open_in_browser(&kept.link()?)?)
}

/// `created` as the page shows it, its link kept for Copy link and Open.
pub fn shown(kept: &TryIt, created: Created) -> CreatedView {
    *lock(&kept.link) = created.link.clone();
    let qr = created.link.as_deref().and_then(qr_svg);
    CreatedView { created, qr, scope_note: None }
}

/// `link` as a QR code (error correction M, the four-module quiet zone), an SVG image of
/// 5-pixel modules as a `data:` URL: drawn here, so the page loads nothing from outside and
/// the CSP's `img-src 'self' data:` holds. `None` when the link is too long for any QR code.
pub fn qr_svg(link: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .module_dimensions(5, 5)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .quiet_zone(true)
        .build();
    Some(format!("data:image/svg+xml,{}", percent_encoded(&image)))
}

/// Every byte but letters, digits and `-._~/=:;,` written as `%XX` (RFC 3986 §2.1), which
/// a `data:` URL needs for `#`, `<`, `>` and quotes.
fn percent_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/=:;,".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Hands `url` (an http(s) payment link the engine made) to the system's browser, as one
/// argument of the system's opener, never through a shell.
fn open_in_browser(url: &str) -> Result<(), Failure> {
    #[cfg(debug_assertions)]
    if let Some(file) = std::env::var_os(OPENED_FILE_ENV) {
        return std::fs::write(file, url).map_err(|e| Failure::bad_input(format!("The link was not opened: {e}.")));
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Failure::bad_input(format!("The browser could not be started ({opener}: {e}). Use Copy link.")))?;
    // The opener hands the link on and exits; waiting for it keeps no zombie behind.
    std::thread::spawn(move || {
        let mut child = child;
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg_data_url_with_nothing_that_ends_the_attribute() {
        let qr =
            qr_svg("http://127.0.0.1:8555/connect/payment-request/3f2a?redirect_uri=https%3A%2F%2Flocalhost").unwrap();
        assert!(qr.starts_with("data:image/svg+xml,%3C%3Fxml"), "{qr}");
        assert!(!qr.contains(['"', '<', '>', '#', '\'', ' ']), "{qr}");
        assert_eq!(qr_svg(&"x".repeat(5000)), None);
    }
}
