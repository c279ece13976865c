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
    let labelled_by = heading_id.clone();
    view! {
        <section class="card chart-card" data-testid=format!("chart-{}", chart.id) aria-labelledby=labelled_by>
            <h2 id=heading_id>{chart.title.clone()}</h2>
            {chart.note.clone().map(|n| view! { <p class="chart-note">{n}</p> })}
            <div class="chart" inner_html=chart.svg.clone()></div>
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
