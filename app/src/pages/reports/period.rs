//! `/reports/{period}`: a quarter's or semester's report over one unit (`?province=NN`,
//! `?office=NNNN`, or the user's own), printable on A4 and downloadable as CSV. The offices that
//! sent nothing come first: finding them is what the Ministry asked the report for.

mod tables;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{period_title, unit_name};
use crate::{
    api::reports::get_report,
    components::page_error::PageError,
    format::{format_date, format_number, format_percent, format_riel, format_tenths},
    i18n::{fill, use_locale, use_texts, Texts},
    types::reports::{Report, UnitKind},
};

#[component]
pub fn ReportPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let period = move || params.with(|p| p.get("period").unwrap_or_default());
    let unit = move || query.with(|q| (q.get("province"), q.get("office")));
    let report = Resource::new(
        move || (period(), unit()),
        |(period, (province, office))| get_report(period, province, office),
    );
    view! {
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || report.get().map(|result| match result {
                Ok(r) => view! { <ReportView report=r /> }.into_any(),
                Err(err) => view! {
                    <Title text=move || t().reports_title />
                    <h1>{move || t().reports_title}</h1>
                    <div data-testid="report-error"><PageError err /></div>
                    <p><a href="/reports">{move || t().report_other}</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let period = report.period;
    let unit = report.unit.clone();
    let title = move || -> String {
        format!(
            "{} · {}",
            fill(
                t().report_title,
                &[("period", &period_title(t(), period, locale.get()))]
            ),
            unit_name(t(), &unit, locale.get())
        )
    };
    let (from, to) = (report.from, report.to);
    let csv_href = format!(
        "/reports/{}.csv{}",
        period.id(),
        match report.unit.kind {
            UnitKind::National => String::new(),
            UnitKind::Province => format!("?province={}", report.unit.code),
            UnitKind::Office => format!("?office={}", report.unit.code),
        }
    );
    let silent: Vec<_> = report.silent().cloned().collect();
    let silent_n = silent.len() as i64;
    view! {
        <Title text=title.clone() />
        <article class="report" data-testid="report">
            <h1 data-testid="report-title">{title}</h1>
            <p class="lede">{move || fill(t().report_dates, &[("from", &format_date(from, locale.get())), ("to", &format_date(to, locale.get()))])}</p>
            {report.in_progress.then(|| view! { <p class="notice" data-testid="report-in-progress">{move || t().report_in_progress}</p> })}
            <p class="toolbar no-print">
                <PrintButton />
                // Outside the router: the CSV is a download, not a page.
                <a href=csv_href rel="external" download="" data-testid="report-csv">{move || t().report_csv}</a>
                <a href="/reports">{move || t().report_other}</a>
            </p>
            // Each part is boxed (`into_any`): rendered on the server, the parts of one tuple
            // resolve as one nested future, and unboxed this page's overflowed a 2 MiB worker
            // stack in debug builds.
            {view! {
            <section class="report-section" data-testid="report-silent">
                <h2>{move || fill(t().report_silent_title, &[("n", &format_number(silent_n, locale.get()))])}</h2>
                <p class="muted">{move || t().report_silent_lede}</p>
                {if silent.is_empty() {
                    view! { <p data-testid="report-silent-none">{move || t().report_silent_none}</p> }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <thead><tr>
                                <th>{move || t().report_office_code}</th>
                                <th>{move || t().office}</th>
                                <th>{move || t().report_province}</th>
                            </tr></thead>
                            <tbody>
                                {silent.into_iter().map(|o| {
                                    let (km, en) = (o.name_km, o.name_en);
                                    let (pkm, plat) = (o.province_km, o.province_latin);
                                    view! {
                                        <tr class="silent-office" data-code=o.code.clone()>
                                            <td>{o.code.clone()}</td>
                                            <td>{move || locale.get().pick(&km, &en).to_string()}</td>
                                            <td>{move || locale.get().pick(&pkm, &plat).to_string()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            }.into_any()}
            {view! { <Totals report=report.clone() /> }.into_any()}
            {view! { <tables::StageTable report=report.clone() /> }.into_any()}
            {view! { <tables::PerformanceTable report /> }.into_any()}
        </article>
    }
}

/// Without JavaScript, a hint to use the browser's print command; once hydrated, a button that
/// opens the print dialog. The hint is rendered first on both sides, so hydration matches.
#[component]
fn PrintButton() -> impl IntoView {
    let t = use_texts();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    move || {
        if hydrated.get() {
            view! { <button type="button" class="primary" on:click=print data-testid="report-print">{move || t().report_print}</button> }.into_any()
        } else {
            view! { <span class="print-hint" data-testid="report-print-hint">{move || t().report_print_hint}</span> }.into_any()
        }
    }
}

#[component]
fn Totals(report: Report) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let f = report.total;
    let registered = f.registered() as i64;
    let (revenue, revenue_khqr) = (f.revenue, f.revenue_khqr);
    let (on_time, median, avg) = (f.on_time_percent(), f.median_days, f.rating_avg_x10());
    let (ratings, complaints, resolved) = (
        f.ratings as i64,
        f.complaints as i64,
        f.complaints_resolved as i64,
    );
    let (sampled, checked, findings) = (
        f.audit_sampled as i64,
        f.audit_checked as i64,
        f.audit_findings as i64,
    );
    let dash = || "—".to_string();
    let figure = move |testid: &'static str,
                       value: Box<dyn Fn() -> String + Send + Sync>,
                       label: fn(&'static Texts) -> &'static str| {
        view! {
            <div class="figure" data-testid=testid>
                <span class="figure-value">{value}</span>
                <span class="figure-label">{move || label(t())}</span>
            </div>
        }
    };
    view! {
        <section class="report-section" data-testid="report-totals">
            <h2>{move || t().report_totals_title}</h2>
            <div class="figures">
                {figure("total-registered", Box::new(move || format_number(registered, locale.get())), |t| t.report_registered)}
                {figure("total-revenue", Box::new(move || format_riel(revenue, locale.get())), |t| t.report_revenue)}
                {figure("total-revenue-khqr", Box::new(move || format_riel(revenue_khqr, locale.get())), |t| t.report_revenue_khqr)}
                {figure("total-on-time", Box::new(move || on_time.map(|p| format_percent(p, locale.get())).unwrap_or_else(dash)), |t| t.report_on_time_percent)}
                {figure("total-median", Box::new(move || median.map(|d| format_number(d as i64, locale.get())).unwrap_or_else(dash)), |t| t.report_median_days)}
                {figure("total-rating", Box::new(move || avg.map(|a| format!("{} ({})", format_tenths(a, locale.get()), format_number(ratings, locale.get()))).unwrap_or_else(dash)), |t| t.report_rating_avg)}
                {figure("total-complaints", Box::new(move || format!("{} / {}", format_number(resolved, locale.get()), format_number(complaints, locale.get()))), |t| t.report_complaints_resolved)}
                {figure("total-audit", Box::new(move || format!("{} / {} · {}", format_number(checked, locale.get()), format_number(sampled, locale.get()), format_number(findings, locale.get()))), |t| t.report_audit_summary)}
            </div>
        </section>
    }
}
