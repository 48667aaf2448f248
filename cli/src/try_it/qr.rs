//! The payment link as a QR code drawn in the terminal with Unicode half blocks (two module
//! rows per line), so a phone can open the payment page. Drawn light on dark, as `qrencode -t
//! UTF8` draws it, for the dark background most terminals have; no colour escape is printed
//! (the terminal's encoder would write it out as text anyway, see `crate::shown`).

use qrcode::render::unicode::Dense1x2;
use qrcode::{EcLevel, QrCode};

/// `link` as a QR code (error correction M, with the four-module quiet zone), or `None` when
/// it is too long for any QR code.
pub fn drawn(link: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok()?;
    Some(code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules a drawing shows, dark as `true`, read back from its half blocks.
    fn modules(drawing: &str) -> Vec<Vec<bool>> {
        let mut rows = Vec::new();
        for line in drawing.lines() {
            // A block half is a light module; a blank half is a dark one.
            let top: Vec<bool> = line.chars().map(|c| !matches!(c, '█' | '▀')).collect();
            let bottom: Vec<bool> = line.chars().map(|c| !matches!(c, '█' | '▄')).collect();
            rows.push(top);
            rows.push(bottom);
        }
        rows
    }

    #[test]
    fn the_drawing_holds_exactly_the_modules_of_the_links_qr_code() {
        let link = "http://127.0.0.1:8555/pay/3f2a?redirect_uri=https%3A%2F%2Flocalhost%3A3000%2Freturn";
        let drawing = drawn(link).unwrap();
        let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let colors = code.to_colors();
        let shown = modules(&drawing);
        let quiet = 4;
        for y in 0..width {
            for x in 0..width {
                let dark = colors[y * width + x] == qrcode::Color::Dark;
                assert_eq!(shown[y + quiet][x + quiet], dark, "module ({x}, {y})");
            }
        }
        assert!(shown[0].iter().all(|dark| !dark), "the quiet zone is light");
        assert!(drawing.chars().all(|c| matches!(c, '█' | '▀' | '▄' | ' ' | '\n')));
    }

    #[test]
    fn a_link_too_long_for_any_qr_code_draws_nothing() {
        assert_eq!(drawn(&"x".repeat(5000)), None);
    }
}
