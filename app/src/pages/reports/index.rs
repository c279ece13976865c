//! `/reports`: the report form. Without JavaScript a GET form to `/reports/open`, which sends the
//! browser on to `/reports/{year}-{part}` with the unit chosen; with it, the page goes there in
//! place.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{part_label, period_title, unit_name};
use crate::{
    api::reports::get_report_choices,
    components::page_error::PageError,
    format::localize_digits,
    i18n::{use_locale, use_texts},
    types::reports::{PeriodPart, ReportChoices},
};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let t = use_texts();
    let choices = Resource::new(|| (), |_| get_report_choices());
    view! {
        <Title text=move || t().reports_title />
        <h1>{move || t().reports_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || choices.get().map(|result| match result {
                Ok(c) => view! { <ReportForm choices=c /> }.into_any(),
                Err(err) => view! { <PageError err /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReportForm(choices: ReportChoices) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let current = choices.current;
    let own = choices.own.clone();
    let current_href = format!("/reports/{}", current.id());
    let navigate = leptos_router::hooks::use_navigate();
    view! {
        <p class="lede">{move || t().reports_lede}</p>
        <p>
            <a href=current_href data-testid="report-current">
                {move || format!("{} · {} · {}", t().report_current, period_title(t(), current, locale.get()), unit_name(t(), &own, locale.get()))}
            </a>
        </p>
        <form method="get" action="/reports/open" class="card stack" data-testid="report-form" on:submit=move |ev| open_in_place(ev, &navigate)>
            <label>{move || t().report_year}
                <select name="year" data-testid="report-year">
                    {choices.years.iter().map(|y| {
                        let y = *y;
                        view! { <option value=y selected=y == current.year>{move || localize_digits(&y.to_string(), locale.get())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{move || t().report_part}
                <select name="part" data-testid="report-part">
                    {PeriodPart::ALL.into_iter().map(|p| view! {
                        <option value=p.id() selected=p == current.part>{move || part_label(t(), p, locale.get())}</option>
                    }).collect_view()}
                </select>
            </label>
            {(!choices.provinces.is_empty()).then(|| view! {
                <label>{move || t().province}
                    <select name="province" data-testid="report-province">
                        <option value="">{move || t().whole_country}</option>
                        {choices.provinces.into_iter().map(|p| {
                            let (km, latin) = (p.name_km, p.name_latin);
                            view! { <option value=p.code>{move || locale.get().pick(&km, &latin).to_string()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })}
            {(!choices.offices.is_empty()).then(|| view! {
                <label>{move || t().office}
                    <select name="office" data-testid="report-office">
                        <option value="">{move || t().report_all_offices}</option>
                        {choices.offices.into_iter().map(|o| {
                            let (km, en) = (o.name_km, o.name_latin);
                            let code = o.code.clone();
                            view! { <option value=o.code>{move || format!("{code} · {}", locale.get().pick(&km, &en))}</option> }
                        }).collect_view()}
                    </select>
                </label>
            })}
            <button type="submit" class="primary" data-testid="report-open">{move || t().report_open}</button>
        </form>
    }
}

/// The same address `/reports/open` would send the browser to, reached by the router instead.
fn open_in_place(
    ev: leptos::ev::SubmitEvent,
    navigate: &impl Fn(&str, leptos_router::NavigateOptions),
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let value = |name: &str| {
            form.query_selector(&format!("[name={name}]"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .filter(|v| !v.is_empty())
        };
        let clean =
            |s: String| -> String { s.chars().filter(char::is_ascii_alphanumeric).collect() };
        let unit = match (value("province"), value("office")) {
            (_, Some(o)) => format!("?office={}", clean(o)),
            (Some(p), _) => format!("?province={}", clean(p)),
            _ => String::new(),
        };
        let href = format!(
            "/reports/{}-{}{unit}",
            clean(value("year").unwrap_or_default()),
            clean(value("part").unwrap_or_default())
        );
        ev.prevent_default();
        navigate(&href, Default::default());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, navigate);
}
