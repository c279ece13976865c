//! `/services/{id or code}`: one service's fee, unit, documents, time standard and offices.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::public::get_service_page,
    format::{format_number, format_riel},
    i18n::{fill, use_locale, use_texts},
    pages::staff::case::error_text,
    types::ServicePage,
};

#[component]
pub fn ServicePageView() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let key = move || params.with(|p| p.get("key").unwrap_or_default());
    let page = Resource::new(key, get_service_page);
    view! {
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || page.get().map(|result| match result {
                Ok(p) => view! { <ServiceDetail page=p /> }.into_any(),
                Err(err) => view! {
                    <Title text=move || t().services_title />
                    <h1>{move || t().services_title}</h1>
                    <p class="error">{error_text(t(), &err)}</p>
                    <p><a href="/services">{move || t().services_all_sectors}</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ServiceDetail(page: ServicePage) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let s = page.service;
    let (fee, days, offices) = (
        s.fee_riel,
        s.time_standard_days as i64,
        page.office_count as i64,
    );
    let (name_km, name_en) = (s.name_km.clone(), s.name_en.clone());
    let title = {
        let (km, en) = (name_km.clone(), name_en.clone());
        move || locale.get().pick(&km, &en).to_string()
    };
    let (unit_km, unit_en) = (s.unit_km.clone(), s.unit_en.clone());
    let (sector_km, sector_en) = (page.sector_name_km, page.sector_name_en);
    let (docs_km, docs_en) = (s.documents_km.clone(), s.documents_en.clone());
    view! {
        <Title text=title.clone() />
        <h1 data-testid="service-title">{title}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{move || t().case_fee}</dt>
                <dd class="big" data-testid="service-fee">{
                    let (km, en) = (unit_km.clone(), unit_en.clone());
                    move || fill(t().service_fee_per, &[
                        ("fee", &format_riel(fee, locale.get())),
                        ("unit", locale.get().pick(&km, &en)),
                    ])
                }</dd>
                <dt>{move || t().service_unit}</dt>
                <dd>{move || locale.get().pick(&unit_km, &unit_en).to_string()}</dd>
                <dt>{move || t().service_time}</dt>
                <dd data-testid="service-days">{move || crate::format::format_count(days, locale.get(), t().service_days_one, t().service_days)}</dd>
                <dt>{move || t().sector}</dt>
                <dd><a href=format!("/services?sector={}", s.sector_id)>{move || locale.get().pick(&sector_km, &sector_en).to_string()}</a></dd>
                <dt>{move || t().service_code}</dt>
                <dd>{s.code.clone()}</dd>
                <dt>{move || t().service_where}</dt>
                <dd data-testid="service-where">{move || fill(t().service_offered_everywhere, &[("n", &format_number(offices, locale.get()))])}
                    " "<a href="/offices">{move || t().nav_offices}</a></dd>
            </dl>
            {s.tax_branch.then(|| view! { <p class="muted">{move || t().service_tax_branch}</p> })}
            <p><a href=format!("/apply?service={}", s.id) data-testid="service-apply">{move || t().apply_title}</a></p>
        </section>
        <section class="card">
            <h2>{move || t().documents}</h2>
            <ol data-testid="service-documents">
                {move || {
                    let docs = if locale.get() == crate::i18n::Locale::Km { docs_km.clone() } else { docs_en.clone() };
                    docs.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()
                }}
            </ol>
        </section>
        <p><a href="/services">{move || t().services_all_sectors}</a></p>
    }
}
