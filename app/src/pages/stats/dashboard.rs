use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{chart_card::ChartCard, filters::StatsFilters};
use crate::{
    api::stats::get_dashboard,
    components::page_error::PageError,
    error::AppError,
    format::{format_number, format_riel},
    i18n::{fill, use_locale, use_texts, Locale, Texts},
    types::stats::{Dashboard, StatsQuery, StatsSelection},
};

fn query_of(map: &leptos_router::params::ParamsMap) -> StatsQuery {
    StatsQuery {
        year: map.get("year"),
        quarter: map.get("quarter"),
        month: map.get("month"),
        province: map.get("province"),
        district: map.get("district"),
        sector: map.get("sector"),
    }
}

fn period(s: &StatsSelection, t: &Texts, locale: Locale) -> String {
    let year = format_number(s.year as i64, locale).replace(',', "");
    match (s.month, s.quarter) {
        (Some(m), _) => fill(
            t.stats_period_month,
            &[
                ("month", t.get(&format!("month_{m}")).unwrap_or_default()),
                ("year", &year),
            ],
        ),
        (None, Some(q)) => fill(
            t.stats_period_quarter,
            &[
                ("quarter", &format_number(q as i64, locale)),
                ("year", &year),
            ],
        ),
        _ => fill(t.stats_period_year, &[("year", &year)]),
    }
}

/// `/stats`: stage tiles, revenue and the charts for the caller's jurisdiction.
#[component]
pub fn StatsPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_of));
    let data = Resource::new(
        move || (query.get(), locale.get()),
        |(q, l)| get_dashboard(q, l),
    );
    let error = Signal::derive(move || data.get().and_then(Result::err));
    view! {
        <Title text=move || t().stats_title />
        <h1>{move || t().stats_title}</h1>
        <Transition fallback=move || view! { <p>{move || t().stats_loading}</p> }>
            {move || data.get().map(|result| match result {
                Err(AppError::Validation(fields)) => view! {
                    <div class="error" role="alert" data-testid="form-error">
                        <p>{move || t().err_validation}</p>
                        <ul>
                            {fields.into_iter().map(|f| {
                                let label = format!("stats_{}", f.field);
                                view! {
                                    <li class="field-error" data-testid=format!("err-{}", f.field)>
                                        {move || t().get(&label).unwrap_or_default()}": "{move || t().get(&f.key).unwrap_or(t().err_validation)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p><a href="/stats">{move || t().stats_reset}</a></p>
                    </div>
                }.into_any(),
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(d) => view! { <DashboardView dashboard=d query=query.get_untracked() error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(
    dashboard: Dashboard,
    query: StatsQuery,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let d = dashboard;
    let export_query = query.query_string();
    let sel = d.selection.clone();
    let (unit_km, unit_en) = (sel.unit_km.clone(), sel.unit_en.clone());
    let unit = move || {
        if unit_km.is_empty() {
            t().stats_nation.to_string()
        } else {
            locale.get().pick(&unit_km, &unit_en).to_string()
        }
    };
    let total = d.total_cases;
    let money = d.money.clone();
    let messages = d.messages;
    view! {
        <StatsFilters query=query options=d.options.clone() error />
        <p class="stats-scope" data-testid="stats-scope">
            <strong>{unit}</strong>" · "{move || period(&sel, t(), locale.get())}
        </p>
        <section aria-label=move || t().stats_tiles_label>
            <ul class="tiles" data-testid="tiles">
                <li class="tile tile-total" data-testid="tile-total">
                    <span class="tile-name">{move || t().stats_tile_total}</span>
                    <strong class="tile-count">{move || format_number(total, locale.get())}</strong>
                </li>
                {d.tiles.iter().map(|tile| {
                    let key = tile.key.clone();
                    let name_key = if key == "rejected" { "stats_tile_rejected".to_string() } else { format!("stage_{key}") };
                    let n = tile.cases;
                    let cashier = (key == "cashier").then(|| {
                        let money = money.clone();
                        view! {
                            <span class="tile-money" data-testid="tile-revenue">
                                {move || format_number(money.receipts, locale.get())}" "{move || t().stats_tile_receipts}" / "
                                {move || format_riel(money.revenue, locale.get())}
                            </span>
                            <span class="tile-money" data-testid="tile-revenue-khqr">
                                {move || fill(
                                    t().stats_tile_revenue_khqr,
                                    &[("amount", &format_riel(money.revenue_khqr, locale.get()))],
                                )}
                            </span>
                        }
                    });
                    view! {
                        <li class="tile" data-testid=format!("tile-{key}")>
                            <span class="tile-name">{move || t().get(&name_key).unwrap_or_default()}</span>
                            <strong class="tile-count">{move || format_number(n, locale.get())}</strong>
                            {cashier}
                        </li>
                    }
                }).collect_view()}
                <li class="tile" data-testid="tile-messages">
                    <span class="tile-name">{move || t().stats_tile_messages}</span>
                    <strong class="tile-count">{move || format_number(messages.sms + messages.telegram, locale.get())}</strong>
                    <span class="tile-money" data-testid="tile-messages-sms">{move || fill(t().stats_tile_messages_sms, &[("n", &format_number(messages.sms, locale.get()))])}</span>
                    <span class="tile-money" data-testid="tile-messages-telegram">{move || fill(t().stats_tile_messages_telegram, &[("n", &format_number(messages.telegram, locale.get()))])}</span>
                </li>
            </ul>
            <p class="chart-note">{move || t().stats_tiles_note}</p>
        </section>
        <div class="charts">
            {d.charts.into_iter().map(|c| view! { <ChartCard chart=c export_query=export_query.clone() /> }).collect_view()}
        </div>
    }
}
