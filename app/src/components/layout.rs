use leptos::prelude::*;

use super::language_switch::LanguageSwitch;
use crate::i18n::use_texts;

/// Header, main area and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"OWSO"</span>
                <span class="brand-name">{move || t().app_name}</span>
            </a>
            <nav class="site-nav" aria-label=move || t().nav_label>
                <a href="/">{move || t().nav_home}</a>
                <a href="/offices">{move || t().nav_offices}</a>
            </nav>
            <LanguageSwitch />
        </header>
        <main id="main" class="site-main">{children()}</main>
        <footer class="site-footer">
            <p>{move || t().footer_ministry}</p>
            <p class="demo-note">{move || t().demo_data_notice}</p>
        </footer>
    }
}
