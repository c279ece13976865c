//! `/offices/{code}`: an office's address and hours, its services and its public scorecard.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::public::get_office_page,
    format::{format_date, format_number, format_percent, format_tenths},
    i18n::{fill, use_locale, use_texts},
    pages::staff::case::error_text,
    types::{OfficePage, Scorecard, MIN_RATINGS},
};

#[component]
pub fn OfficePageView() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let page = Resource::new(code, get_office_page);
    view! {
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || page.get().map(|result| match result {
                Ok(p) => view! { <OfficeDetail page=p /> }.into_any(),
                Err(err) => view! {
                    <Title text=move || t().offices_title />
                    <h1>{move || t().offices_title}</h1>
                    <p class="error">{error_text(t(), &err)}</p>
                    <p><a href="/offices">{move || t().offices_title}</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn OfficeDetail(page: OfficePage) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let o = page.office;
    let complain_href = format!("/complaints/new?office={}", o.code);
    let title = {
        let (km, en) = (o.name_km.clone(), o.name_en.clone());
        move || locale.get().pick(&km, &en).to_string()
    };
    let place_km = format!("{}, {}", page.district_km, page.province_km);
    let place_en = format!("{}, {}", page.district_latin, page.province_latin);
    let (address_km, address_en) = (o.address_km, o.address_en);
    let (hours_km, hours_en) = (o.hours_km, o.hours_en);
    let total: i64 = page.sectors.iter().map(|s| s.services as i64).sum();
    view! {
        <Title text=title.clone() />
        <h1 data-testid="office-title">{title}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{move || t().office_location}</dt>
                <dd>{move || locale.get().pick(&place_km, &place_en).to_string()}</dd>
                <dt>{move || t().track_address}</dt>
                <dd data-testid="office-address">{move || locale.get().pick(&address_km, &address_en).to_string()}</dd>
                <dt>{move || t().track_hours}</dt>
                <dd data-testid="office-hours">{move || locale.get().pick(&hours_km, &hours_en).to_string()}</dd>
                {o.phone.map(|p| view! { <dt>{move || t().phone}</dt><dd><a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a></dd> })}
            </dl>
            <p><a href=complain_href data-testid="office-complain">{move || t().complaint_about_office}</a></p>
        </section>
        <ScorecardView card=page.scorecard />
        <section class="card">
            <h2>{move || t().office_services}</h2>
            <p>{move || fill(t().office_services_all, &[("n", &format_number(total, locale.get()))])}</p>
            <ul class="sector-list">
                {page.sectors.into_iter().map(|s| {
                    let n = s.services as i64;
                    let (km, en) = (s.name_km, s.name_en);
                    view! {
                        <li>
                            <a href=format!("/services?sector={}", s.id)>{move || locale.get().pick(&km, &en).to_string()}</a>
                            <span class="count">{move || crate::format::format_count(n, locale.get(), t().services_count_one, t().services_count)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The office's figures over the scorecard window. The average rating shows only once the office
/// has enough ratings; below that the page says so instead of a number.
#[component]
fn ScorecardView(card: Scorecard) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let figure = move |testid: &'static str,
                       value: Box<dyn Fn() -> String + Send + Sync>,
                       label: fn(&'static crate::i18n::Texts) -> &'static str| {
        view! {
            <div class="figure" data-testid=testid>
                <span class="figure-value">{value}</span>
                <span class="figure-label">{move || label(t())}</span>
            </div>
        }
    };
    let (on_time, resolved) = (card.on_time_percent(), card.resolved_percent());
    let (received, delivered, ratings, avg) = (
        card.received as i64,
        card.delivered as i64,
        card.ratings as i64,
        card.rating_avg_x10,
    );
    let (from, through) = (card.from, card.through);
    let percent = move |p: Option<u64>| {
        p.map(|p| format_percent(p, locale.get()))
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <section class="card" data-testid="scorecard">
            <h2>{move || t().office_scorecard}</h2>
            <p class="muted">{move || fill(t().office_scorecard_lede, &[("from", &format_date(from, locale.get())), ("through", &format_date(through, locale.get()))])}</p>
            <div class="figures">
                {figure("score-received", Box::new(move || format_number(received, locale.get())), |t| t.office_received)}
                {figure("score-delivered", Box::new(move || format_number(delivered, locale.get())), |t| t.office_delivered)}
                {figure("score-on-time", Box::new(move || percent(on_time)), |t| t.office_on_time)}
                {figure("score-rating", Box::new(move || avg.map(|a| format_tenths(a, locale.get())).unwrap_or_else(|| t().scorecard_not_enough.to_string())), |t| t.office_rating)}
                {figure("score-ratings", Box::new(move || format_number(ratings, locale.get())), |t| t.office_ratings)}
                {figure("score-resolved", Box::new(move || percent(resolved)), |t| t.office_resolved)}
            </div>
            <p class="muted">{move || fill(t().scorecard_min_note, &[("n", &format_number(MIN_RATINGS as i64, locale.get()))])}</p>
            <p><a href="/scorecard" data-testid="scorecard-link">{move || t().scorecard_all_link}</a></p>
        </section>
    }
}
