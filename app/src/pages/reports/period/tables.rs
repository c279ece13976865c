//! The report's two per-office tables, each with the unit's total as its last row: cases by stage,
//! and revenue, timeliness and the citizens' side.

use leptos::prelude::*;

use crate::{
    format::{format_number, format_percent, format_riel, format_tenths},
    i18n::{use_locale, use_texts},
    types::reports::{Report, ReportFigures, STAGE_COLUMNS},
};

/// One row's label: the office's code and name, or "Total".
#[derive(Clone)]
enum RowLabel {
    Office {
        code: String,
        km: String,
        en: String,
    },
    Total,
}

fn rows(report: &Report) -> Vec<(RowLabel, ReportFigures, bool)> {
    let mut out: Vec<_> = report
        .offices
        .iter()
        .map(|o| {
            (
                RowLabel::Office {
                    code: o.code.clone(),
                    km: o.name_km.clone(),
                    en: o.name_en.clone(),
                },
                o.figures.clone(),
                o.figures.is_silent(),
            )
        })
        .collect();
    out.push((RowLabel::Total, report.total.clone(), false));
    out
}

#[component]
fn Label(label: RowLabel) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    match label {
        RowLabel::Office { code, km, en } => view! {
            <th scope="row">{code}" "{move || locale.get().pick(&km, &en).to_string()}</th>
        }
        .into_any(),
        RowLabel::Total => view! { <th scope="row">{move || t().report_total_row}</th> }.into_any(),
    }
}

#[component]
pub fn StageTable(report: Report) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    view! {
        <section class="report-section" data-testid="report-stages">
            <h2>{move || t().report_by_stage_title}</h2>
            <p class="muted">{move || t().report_by_stage_lede}</p>
            <table class="table report-table">
                <thead><tr>
                    <th>{move || t().office}</th>
                    <th>{move || t().report_registered}</th>
                    {STAGE_COLUMNS.iter().map(|c| {
                        let key = format!("report_col_{c}");
                        view! { <th>{move || t().get(&key).unwrap_or_default()}</th> }
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows(&report).into_iter().map(|(label, f, silent)| {
                        let total = matches!(label, RowLabel::Total);
                        let registered = f.registered() as i64;
                        view! {
                            <tr class:silent=silent class:total=total>
                                <Label label />
                                <td class="num">{move || format_number(registered, locale.get())}</td>
                                {f.stages.iter().map(|n| {
                                    let n = *n as i64;
                                    view! { <td class="num">{move || format_number(n, locale.get())}</td> }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn PerformanceTable(report: Report) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let dash = || "—".to_string();
    view! {
        <section class="report-section" data-testid="report-performance">
            <h2>{move || t().report_performance_title}</h2>
            <p class="muted">{move || t().report_performance_lede}</p>
            <table class="table report-table">
                <thead><tr>
                    <th>{move || t().office}</th>
                    <th>{move || t().report_revenue}</th>
                    <th>{move || t().report_revenue_khqr}</th>
                    <th>{move || t().report_completed}</th>
                    <th>{move || t().report_on_time_percent}</th>
                    <th>{move || t().report_median_days}</th>
                    <th>{move || t().report_rating_avg}</th>
                    <th>{move || t().report_ratings}</th>
                    <th>{move || t().report_complaints}</th>
                    <th>{move || t().report_complaints_resolved}</th>
                </tr></thead>
                <tbody>
                    {rows(&report).into_iter().map(|(label, f, silent)| {
                        let total = matches!(label, RowLabel::Total);
                        let (revenue, revenue_khqr, completed) = (f.revenue, f.revenue_khqr, f.completed as i64);
                        let (on_time, median, avg) = (f.on_time_percent(), f.median_days, f.rating_avg_x10());
                        let (ratings, complaints, resolved) = (f.ratings as i64, f.complaints as i64, f.complaints_resolved as i64);
                        view! {
                            <tr class:silent=silent class:total=total>
                                <Label label />
                                <td class="num">{move || format_riel(revenue, locale.get())}</td>
                                <td class="num">{move || format_riel(revenue_khqr, locale.get())}</td>
                                <td class="num">{move || format_number(completed, locale.get())}</td>
                                <td class="num">{move || on_time.map(|p| format_percent(p, locale.get())).unwrap_or_else(dash)}</td>
                                <td class="num">{move || median.map(|d| format_number(d as i64, locale.get())).unwrap_or_else(dash)}</td>
                                <td class="num">{move || avg.map(|a| format_tenths(a, locale.get())).unwrap_or_else(dash)}</td>
                                <td class="num">{move || format_number(ratings, locale.get())}</td>
                                <td class="num">{move || format_number(complaints, locale.get())}</td>
                                <td class="num">{move || format_number(resolved, locale.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
