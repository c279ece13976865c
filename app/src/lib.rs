//! OWSO web application: pages, server functions and shared types, from one codebase. Pages are
//! rendered on the server only (Leptos islands); the few interactive parts, marked `#[island]`,
//! are the only code compiled for the browser, which keeps the wasm a phone downloads small.

// Deeply nested view types (tables of forms) need more than the default 128 levels when the
// compiler lays out their async hydration code.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod backend;

pub use app::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The loader hydrates the islands right after this returns, in the same task; the marker
    // comes a task later, so whoever waits for it (end-to-end tests) finds them live.
    gloo_timers::callback::Timeout::new(0, || {
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    })
    .forget();
}
