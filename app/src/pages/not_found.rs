use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_texts;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_texts();
    view! {
        <Title text=move || t().not_found_title />
        <section class="card">
            <h1>{move || t().not_found_title}</h1>
            <p>{move || t().not_found_body}</p>
            <p><a href="/">{move || t().nav_home}</a></p>
        </section>
    }
}
