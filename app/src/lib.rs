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
    // What `leptos::mount::hydrate_lazy` does (a page opened directly may first load its area's
    // chunk), plus a marker once all of it, that area included, is hydrated: end-to-end tests
    // (and curious users) tell a live page from a static one by it.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        let owner = leptos::mount::hydrate_from_async(body.clone(), App).await;
        owner.forget();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
