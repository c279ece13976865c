use leptos::prelude::*;
use leptos_router::components::Form;

use crate::{
    components::form_feedback::FieldMessage,
    error::AppError,
    format::format_number,
    i18n::{use_locale, use_texts},
    types::stats::{FilterOptions, StatsQuery},
};

/// The dashboard's filters as a GET form: each choice is a page load with its own address, which
/// leadership can bookmark or send on.
#[component]
pub fn StatsFilters(
    query: StatsQuery,
    options: FilterOptions,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let selected = |current: &Option<String>, value: &str| current.as_deref() == Some(value);
    let year = query.year.clone();
    let quarter = query.quarter.clone();
    let month = query.month.clone();
    let province = query.province.clone();
    let district = query.district.clone();
    let sector = query.sector.clone();
    view! {
        <Form method="GET" action="/stats" attr:class="stats-filters" attr:aria-label=move || t().stats_filters>
            <label>{move || t().stats_year}
                <select name="year" data-testid="year-select">
                    <option value="">{move || t().stats_all}</option>
                    {options.years.iter().map(|y| {
                        let v = y.to_string();
                        let sel = selected(&year, &v) || (year.as_deref().unwrap_or("").is_empty() && *y == options.years[0]);
                        let y = *y as i64;
                        view! { <option value=v selected=sel>{move || format_number(y, locale.get()).replace(',', "")}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage field="year" error />
            </label>
            <label>{move || t().stats_quarter}
                <select name="quarter" data-testid="quarter-select">
                    <option value="">{move || t().stats_whole_year}</option>
                    {(1..=4).map(|q| {
                        let v = q.to_string();
                        let sel = selected(&quarter, &v);
                        view! { <option value=v selected=sel>{move || format_number(q, locale.get())}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage field="quarter" error />
            </label>
            <label>{move || t().stats_month}
                <select name="month" data-testid="month-select">
                    <option value="">{move || t().stats_all}</option>
                    {(1..=12).map(|m| {
                        let v = m.to_string();
                        let sel = selected(&month, &v);
                        let key = format!("month_{m}");
                        view! { <option value=v selected=sel>{move || t().get(&key).unwrap_or_default()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage field="month" error />
            </label>
            <label>{move || t().stats_province}
                <select name="province" data-testid="province-select">
                    {(options.provinces.len() > 1).then(|| view! { <option value="">{move || t().stats_all}</option> })}
                    {options.provinces.iter().map(|p| {
                        let sel = selected(&province, &p.code);
                        let (km, en) = (p.name_km.clone(), p.name_en.clone());
                        view! { <option value=p.code.clone() selected=sel>{move || locale.get().pick(&km, &en).to_string()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage field="province" error />
            </label>
            <label>{move || t().stats_district}
                <select name="district" data-testid="district-select">
                    {(options.districts.len() > 1).then(|| view! { <option value="">{move || t().stats_all}</option> })}
                    {options.districts.iter().map(|d| {
                        let sel = selected(&district, &d.code);
                        let (km, en) = (d.name_km.clone(), d.name_en.clone());
                        view! { <option value=d.code.clone() selected=sel>{move || locale.get().pick(&km, &en).to_string()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage field="district" error />
            </label>
            <label>{move || t().stats_sector}
                <select name="sector" data-testid="sector-select">
                    <option value="">{move || t().stats_all}</option>
                    {options.sectors.iter().map(|s| {
                        let sel = selected(&sector, &s.code);
                        let (km, en) = (s.name_km.clone(), s.name_en.clone());
                        view! { <option value=s.code.clone() selected=sel>{move || locale.get().pick(&km, &en).to_string()}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage field="sector" error />
            </label>
            <div class="filter-actions">
                <button type="submit" data-testid="stats-apply">{move || t().stats_show}</button>
                <a href="/stats">{move || t().stats_reset}</a>
            </div>
        </Form>
    }
}
