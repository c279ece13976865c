//! `/services`: the 17 sectors, the services of one (`?sector=N`), and search (`?q=`). The search
//! box is a plain GET form; with JavaScript it also searches as the user types.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::Form,
    hooks::{use_navigate, use_query_map},
};

use crate::{
    api::public::get_catalogue,
    components::page_error::PageError,
    format::format_riel,
    i18n::{use_locale, use_texts},
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
    let navigate = use_navigate();
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        search_later(event_target_value(&ev), navigate.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &navigate);
    };
    view! {
        <Title text=move || t().services_title />
        <h1>{move || t().services_title}</h1>
        <p class="lede">{move || t().services_lede}</p>
        <Form method="GET" action="/services" attr:class="search" attr:role="search">
            <input type="search" name="q" value=q() on:input=on_input
                aria-label=move || t().service_search placeholder=move || t().service_search
                maxlength="100" data-testid="service-search" />
            <button type="submit">{move || t().search}</button>
        </Form>
        <Transition fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || catalogue.get().map(|result| match result {
                Ok(c) => view! { <CatalogueView catalogue=c searching=!q().trim().is_empty() sector=sector() /> }.into_any(),
                Err(err) => view! { <PageError err /> }.into_any(),
            })}
        </Transition>
    }
}

/// Searches once the user has stopped typing for a moment, by changing the address: the page
/// then reads the same `?q=` a plain form would send.
#[cfg(feature = "hydrate")]
fn search_later(text: String, navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static) {
    use std::cell::RefCell;
    thread_local! {
        static PENDING: RefCell<Option<gloo_timers::callback::Timeout>> = const { RefCell::new(None) };
    }
    let timeout = gloo_timers::callback::Timeout::new(300, move || {
        let url = format!("/services?q={}", crate::api::encode_component(text.trim()));
        navigate(
            &url,
            leptos_router::NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
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
            <p data-testid="service-count">{move || crate::format::format_count(found, locale.get(), t().services_found_one, t().services_found)}</p>
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
                            <span class="count">{move || crate::format::format_count(n, locale.get(), t().services_count_one, t().services_count)}</span>
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
                {move || crate::format::format_count(days, locale.get(), t().service_days_one, t().service_days)}
            </span>
        </li>
    }
}
