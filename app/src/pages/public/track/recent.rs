//! The last codes looked up on this device, kept in the browser's local storage. Never the PIN.
//! Everything that touches storage runs only in the browser, after hydration.

use leptos::prelude::*;

use crate::i18n::use_texts;

#[cfg(feature = "hydrate")]
const KEY: &str = "owso_track_codes";
#[cfg(feature = "hydrate")]
const KEEP: usize = 5;

/// Puts `code` first in the device's list once the page is live in the browser.
pub fn remember(code: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        let code = code.to_string();
        Effect::new(move |_| {
            let mut codes: Vec<String> = LocalStorage::get(KEY).unwrap_or_default();
            codes.retain(|c| *c != code && crate::domain::RegistrationCode::parse(c).is_ok());
            codes.insert(0, code.clone());
            codes.truncate(KEEP);
            // A full or disabled storage only loses the convenience.
            let _ = LocalStorage::set(KEY, &codes);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = code;
}

/// Links to the remembered codes' PIN pages; empty on the server and without JavaScript.
#[component]
pub fn RecentCodes() -> impl IntoView {
    let t = use_texts();
    let codes = RwSignal::new(Vec::<String>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use gloo_storage::{LocalStorage, Storage};
        let stored: Vec<String> = LocalStorage::get(KEY).unwrap_or_default();
        codes.set(
            stored
                .into_iter()
                .filter(|c| crate::domain::RegistrationCode::parse(c).is_ok())
                .collect(),
        );
    });
    view! {
        <Show when=move || codes.with(|c| !c.is_empty())>
            <section class="card narrow" data-testid="track-recent">
                <h2>{move || t().track_recent}</h2>
                <ul>
                    {move || codes.get().into_iter().map(|c| view! {
                        <li><a href=format!("/track/{c}")>{c.clone()}</a></li>
                    }).collect_view()}
                </ul>
                <p class="muted">{move || t().track_recent_note}</p>
            </section>
        </Show>
    }
}
