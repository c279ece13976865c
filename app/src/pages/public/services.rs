//! `/services`: the 17 sectors, the services of one (`?sector=N`), and search (`?q=`). The search
//! box is a plain GET form; with JavaScript it also searches as the user types.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::public::get_catalogue,
    error::AppError,
    format::{format_number, format_riel},
    i18n::{fill, use_locale, use_texts},
    pages::staff::case::error_text,
    types::{Catalogue, ServiceSummary},
};

#[component]
pub fn ServicesPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let q = move || query.with(|p| p.get("q")).unwrap_or_default();
    let sector = move || query.with(|p| p.get("sector"));
    let catalogue = Resource::new(
        move || (q(), sector()),
        |(q, sector)| get_catalogue(Some(q), sector),
    );
    view! {
        <Title text=move || t().services_title />
        <h1>{move || t().services_title}</h1>
        <p class="lede">{move || t().services_lede}</p>
        <ServiceSearch q=q()>
            <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
                {move || catalogue.get().map(|result| view! { <CatalogueAnswer result searching=!q().trim().is_empty() sector=sector() /> })}
            </Suspense>
        </ServiceSearch>
    }
}

/// The search form above the server's listing (`children`). In the browser, once the user stops
/// typing for a moment, the catalogue is asked for the words typed and its answer replaces the
/// listing; the address follows with `?q=`, so reloading or sharing it shows the same results.
#[island]
fn ServiceSearch(q: String, children: Children) -> impl IntoView {
    let t = use_texts();
    let live = RwSignal::new(None::<(String, Result<Catalogue, AppError>)>);
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        search_later(event_target_value(&ev), live);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, live);
    };
    view! {
        <form method="get" action="/services" class="search" role="search">
            <input type="search" name="q" value=q on:input=on_input
                aria-label=move || t().service_search placeholder=move || t().service_search
                maxlength="100" data-testid="service-search" />
            <button type="submit">{move || t().search}</button>
        </form>
        <div hidden=move || live.with(Option::is_some)>{children()}</div>
        {move || live.get().map(|(q, result)| view! { <CatalogueAnswer result searching=!q.trim().is_empty() sector=None /> })}
    }
}

#[component]
fn CatalogueAnswer(
    result: Result<Catalogue, AppError>,
    searching: bool,
    sector: Option<String>,
) -> impl IntoView {
    let t = use_texts();
    match result {
        Ok(catalogue) => view! { <CatalogueView catalogue searching sector /> }.into_any(),
        Err(err) => view! { <p class="error">{error_text(t(), &err)}</p> }.into_any(),
    }
}

/// Asks for `text` once the user has paused for 300 ms; an answer that arrives after a newer
/// question was asked is dropped, so fast typing never ends on a stale list.
#[cfg(feature = "hydrate")]
fn search_later(text: String, live: RwSignal<Option<(String, Result<Catalogue, AppError>)>>) {
    use std::cell::{Cell, RefCell};
    thread_local! {
        static PENDING: RefCell<Option<gloo_timers::callback::Timeout>> = const { RefCell::new(None) };
        static ASKED: Cell<u64> = const { Cell::new(0) };
    }
    let timeout = gloo_timers::callback::Timeout::new(300, move || {
        let text = text.trim().to_string();
        let url = format!("/services?q={}", crate::api::encode_component(&text));
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        let asked = ASKED.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        leptos::task::spawn_local(async move {
            let result = get_catalogue(Some(text.clone()), None).await;
            if ASKED.with(Cell::get) == asked {
                live.set(Some((text, result)));
            }
        });
    });
    // Dropping the previous timeout cancels it.
    PENDING.with(|p| *p.borrow_mut() = Some(timeout));
}

#[component]
fn CatalogueView(catalogue: Catalogue, searching: bool, sector: Option<String>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let chosen = sector
        .and_then(|s| s.parse::<i32>().ok())
        .and_then(|id| catalogue.sectors.iter().find(|s| s.id == id).cloned());
    let listing = searching || chosen.is_some();
    let found = catalogue.services.len() as i64;
    view! {
        {chosen.map(|s| view! {
            <h2 data-testid="sector-title">{let (km, en) = (s.name_km.clone(), s.name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</h2>
        })}
        {searching.then(|| view! {
            <p data-testid="service-count">{move || fill(t().services_found, &[("n", &format_number(found, locale.get()))])}</p>
        })}
        {(listing && found == 0).then(|| view! { <p>{move || t().services_none}</p> })}
        {listing.then(|| view! {
            <ul class="service-list" data-testid="service-list">
                {catalogue.services.into_iter().map(|s| view! { <ServiceRow service=s /> }).collect_view()}
            </ul>
            <p><a href="/services">{move || t().services_all_sectors}</a></p>
        })}
        {(!listing).then(|| view! {
            <ul class="sector-list" data-testid="sector-list">
                {catalogue.sectors.into_iter().map(|s| {
                    let n = s.services as i64;
                    view! {
                        <li>
                            <a href=format!("/services?sector={}", s.id)>
                                {let (km, en) = (s.name_km.clone(), s.name_en.clone()); move || locale.get().pick(&km, &en).to_string()}
                            </a>
                            <span class="count">{move || fill(t().services_count, &[("n", &format_number(n, locale.get()))])}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn ServiceRow(service: ServiceSummary) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let (fee, days) = (service.fee_riel, service.time_standard_days as i64);
    let (km, en) = (service.name_km, service.name_en);
    view! {
        <li class="service" data-code=service.code.clone()>
            <a href=format!("/services/{}", service.code)>{move || locale.get().pick(&km, &en).to_string()}</a>
            <span class="muted">
                {move || format_riel(fee, locale.get())}" · "
                {move || fill(t().service_days, &[("n", &format_number(days, locale.get()))])}
            </span>
        </li>
    }
}
