use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::offices::get_home_figures,
    domain::Stage,
    format::format_number,
    i18n::{use_locale, use_texts},
};

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let figures = Resource::new(|| (), |_| get_home_figures());
    let figure = move |value: u64, label: fn(&'static crate::i18n::Texts) -> &'static str| {
        view! {
            <div class="figure">
                <span class="figure-value">{move || format_number(value as i64, locale.get())}</span>
                <span class="figure-label">{move || label(t())}</span>
            </div>
        }
    };
    view! {
        <Title text="" />
        <section class="hero">
            <h1 data-testid="home-title">{move || t().home_title}</h1>
            <p class="lede">{move || t().home_lede}</p>
        </section>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || figures.get().map(|result| match result {
                Ok(f) => view! {
                    <div class="figures">
                        {figure(f.offices, |t| t.home_figure_offices)}
                        {figure(f.sectors, |t| t.home_figure_sectors)}
                        {figure(f.services, |t| t.home_figure_services)}
                    </div>
                }.into_any(),
                Err(_) => view! { <p class="error">{move || t().err_internal}</p> }.into_any(),
            })}
        </Suspense>
        <section class="cards">
            <a class="card link-card" href="/track">
                <h2>{move || t().home_card_track_title}</h2>
                <p>{move || t().home_card_track_body}</p>
            </a>
            <a class="card link-card" href="/services">
                <h2>{move || t().home_card_services_title}</h2>
                <p>{move || t().home_card_services_body}</p>
            </a>
            <a class="card link-card" href="/offices">
                <h2>{move || t().home_card_offices_title}</h2>
                <p>{move || t().home_card_offices_body}</p>
            </a>
            <a class="card link-card" href="/apply">
                <h2>{move || t().home_card_apply_title}</h2>
                <p>{move || t().home_card_apply_body}</p>
            </a>
            <a class="card link-card" href="/complaints/new">
                <h2>{move || t().home_card_complaint_title}</h2>
                <p>{move || t().home_card_complaint_body}</p>
            </a>
        </section>
        <section class="card">
            <h2>{move || t().home_steps_title}</h2>
            <p>{move || t().home_steps_lede}</p>
            <ol class="stage-list">
                {Stage::ALL.into_iter().map(|stage| {
                    let key = stage.citizen_text_key();
                    view! { <li>{move || t().get(&key).unwrap_or_default()}</li> }
                }).collect_view()}
            </ol>
        </section>
    }
}
