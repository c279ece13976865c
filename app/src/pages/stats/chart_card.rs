use leptos::prelude::*;

use crate::{
    format::format_number,
    i18n::{fill, use_locale, use_texts},
    types::stats::ChartView,
};

/// A chart drawn on the server, its figures as a table, and its CSV with the same filters.
#[component]
pub fn ChartCard(chart: ChartView, export_query: String) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let csv = if export_query.is_empty() {
        format!("/stats/export/{}.csv", chart.id)
    } else {
        format!("/stats/export/{}.csv?{export_query}", chart.id)
    };
    let heading_id = format!("chart-{}-title", chart.id);
    let navigate = leptos_router::hooks::use_navigate();
    let labelled_by = heading_id.clone();
    view! {
        <section class="card chart-card" data-testid=format!("chart-{}", chart.id) aria-labelledby=labelled_by>
            <h2 id=heading_id>{chart.title.clone()}</h2>
            {chart.note.clone().map(|n| view! { <p class="chart-note">{n}</p> })}
            {if chart.svg.is_empty() {
                view! { <p class="notice" data-testid="chart-unavailable">{move || t().stats_chart_unavailable}</p> }.into_any()
            } else {
                view! { <div class="chart" inner_html=chart.svg.clone() on:click=move |ev| follow_in_place(ev, &navigate)></div> }.into_any()
            }}
            <details class="chart-table">
                <summary>{move || t().stats_table}</summary>
                <div class="table-scroll">
                    <table class="table">
                        <caption class="visually-hidden">{chart.title.clone()}</caption>
                        <thead><tr>{chart.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {chart.rows.iter().map(|row| view! {
                                <tr>{row.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(chart.rows_total > chart.rows.len()).then(|| {
                    let (shown, total) = (chart.rows.len() as i64, chart.rows_total as i64);
                    view! { <p class="chart-note">{move || fill(t().stats_rows_shown, &[("shown", &format_number(shown, locale.get())), ("total", &format_number(total, locale.get()))])}</p> }
                })}
            </details>
            <a class="csv-link" href=csv rel="external" download="" data-testid=format!("csv-{}", chart.id)>{move || t().stats_csv}</a>
        </section>
    }
}

/// The router follows HTML links in place but not the SVG `<a>` of a chart's bars, which would
/// load the whole document again; this takes those clicks to the router.
fn follow_in_place(
    ev: leptos::ev::MouseEvent,
    navigate: &impl Fn(&str, leptos_router::NavigateOptions),
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a").ok().flatten());
        let href = link.and_then(|a| {
            a.get_attribute("href")
                .or_else(|| a.get_attribute("xlink:href"))
        });
        if let Some(href) = href.filter(|h| h.starts_with('/')) {
            ev.prevent_default();
            navigate(&href, Default::default());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, navigate);
}
