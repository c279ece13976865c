use leptos::prelude::*;

use crate::{
    format::format_number,
    i18n::{use_locale, use_texts},
    types::quality_audits::{OfficeTally, CHECKLIST_ITEMS},
};

/// Per office: sampled, checked, the share of "yes" for each checklist item, and findings.
#[component]
pub fn OfficeSummary(offices: Vec<OfficeTally>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    view! {
        <section class="card">
            <h2>{move || t().audit_summary}</h2>
            <p><small>{move || t().audit_summary_note}</small></p>
            <table class="table" data-testid="audit-summary">
                <thead><tr>
                    <th>{move || t().audit_office}</th>
                    <th>{move || t().audit_sample_size}</th>
                    <th>{move || t().audit_checked}</th>
                    {CHECKLIST_ITEMS.iter().map(|item| {
                        let (short, long) = (format!("audit_short_{item}"), format!("audit_item_{item}"));
                        view! { <th title=move || t().get(&long).unwrap_or_default()>{move || t().get(&short).unwrap_or_default()}</th> }
                    }).collect_view()}
                    <th>{move || t().audit_findings_count}</th>
                </tr></thead>
                <tbody>
                    {offices.into_iter().map(|o| {
                        let names = (o.name_km.clone(), o.name_en.clone());
                        let (sampled, checked, findings) = (o.sampled as i64, o.checked as i64, o.findings as i64);
                        view! {
                            <tr data-testid=format!("summary-{}", o.office_code)>
                                <td>{o.office_code.clone()}" "{move || locale.get().pick(&names.0, &names.1).to_string()}</td>
                                <td>{move || format_number(sampled, locale.get())}</td>
                                <td data-testid="summary-checked">{move || format_number(checked, locale.get())}</td>
                                {o.items.iter().map(|item| {
                                    let pct = item.percent();
                                    view! { <td>{move || pct.map(|p| format!("{}%", format_number(p as i64, locale.get()))).unwrap_or_else(|| "—".into())}</td> }
                                }).collect_view()}
                                <td data-testid="summary-findings">{move || format_number(findings, locale.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
