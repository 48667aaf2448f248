//! The baseline for `scripts/measure-window.py`: the emptiest Tauri 2 window (same window
//! size, same Tauri and WebKitGTK), so Token Desk's start-up time and memory can be given as
//! ratios to what any Tauri app costs. Prints `ready` when its page has loaded.

use tauri::webview::PageLoadEvent;

fn main() {
    tauri::Builder::default()
        .on_page_load(|_, payload| {
            if payload.event() == PageLoadEvent::Finished {
                println!("ready");
            }
        })
        .run(tauri::generate_context!("examples/empty-window/tauri.conf.json"))
        .expect("the empty window starts");
}
