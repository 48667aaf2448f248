//! How WebKitGTK draws the window: on the CPU, without accelerated compositing.
//!
//! The page is a form that changes a few lines at a time; it has no video, canvas, WebGL or
//! large animation that a GPU would speed up. Accelerated compositing costs every window an
//! OpenGL context in the web process (on a computer without a usable GPU, a remote desktop or
//! a virtual machine: Mesa's software renderer, llvmpipe), about 80 MiB of PSS measured under
//! Xvfb (`scripts/measure-window.py`; README, "Window memory"), and it is the mode behind the
//! blank windows WebKitGTK apps show on some drivers. Evolution and Eclipse turn it off for
//! the same reasons.

use tauri::{App, Manager, Runtime};

/// Sets every window's webview to draw without hardware acceleration
/// (`WebKitSettings:hardware-acceleration-policy` = `NEVER`). Called from the app's setup,
/// after the configured window is made and before the main loop starts its web process, so
/// the page never enters compositing mode. A no-op on the mock runtime and off Linux.
pub fn without_compositing<R: Runtime>(app: &App<R>) {
    for window in app.webview_windows().values() {
        let _ = window.with_webview(|webview| {
            #[cfg(target_os = "linux")]
            {
                use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
                if let Some(settings) = webview.inner().settings() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            }
            #[cfg(not(target_os = "linux"))]
            let _ = webview;
        });
    }
}
