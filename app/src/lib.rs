//! OWSO web application: pages, server functions and shared types, rendered on the server and
//! hydrated in the browser from one codebase.

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
pub mod routes;
pub mod types;

#[cfg(feature = "ssr")]
pub mod backend;

pub use app::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes need the lazy mount: a page opened directly may have to load its chunk first.
    leptos::mount::hydrate_lazy(App);
}
