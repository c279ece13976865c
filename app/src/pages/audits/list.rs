use leptos::prelude::*;
use leptos_meta::Title;

use super::period;
use crate::{
    api::quality_audits::list_audits,
    components::page_error::PageError,
    format::format_number,
    i18n::{fill, use_locale, use_texts},
    types::quality_audits::AuditListItem,
};

/// `/audits`: the audits in the viewer's jurisdiction, newest first.
#[component]
pub fn AuditsPage() -> impl IntoView {
    let t = use_texts();
    let audits = Resource::new(|| (), |_| list_audits());
    view! {
        <Title text=move || t().audits_title />
        <h1>{move || t().audits_title}</h1>
        <p class="lede">{move || t().audits_lede}</p>
        <p><a class="button primary" href="/audits/new" data-testid="new-audit">{move || t().audit_new}</a></p>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || audits.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p>{move || t().audits_none}</p> }.into_any(),
                Ok(rows) => view! {
                    <table class="table" data-testid="audits-table">
                        <thead><tr>
                            <th>"#"</th>
                            <th>{move || t().audit_quarter}</th>
                            <th>{move || t().audit_scope}</th>
                            <th>{move || t().audit_checked}</th>
                            <th>{move || t().audit_drawn_by}</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(|a| view! { <AuditRow audit=a /> }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AuditRow(audit: AuditListItem) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let a = audit;
    let href = format!("/audits/{}", a.id);
    let (year, quarter) = (a.year, a.quarter);
    let (checked, total) = (a.checked as i64, a.sample_size as i64);
    let scope = (
        a.province_km.clone().unwrap_or_default(),
        a.province_latin.clone().unwrap_or_default(),
    );
    let national = a.province_code.is_none();
    let drawn_on = crate::domain::calendar::local_date(a.created_at);
    view! {
        <tr data-testid=format!("audit-{}", a.id)>
            <td><a href=href>{a.id}</a></td>
            <td>{move || period(t(), locale.get(), year, quarter)}</td>
            <td>{move || if national { t().audit_national.to_string() } else { locale.get().pick(&scope.0, &scope.1).to_string() }}</td>
            <td>{move || fill(t().audit_checked_of, &[
                ("checked", &format_number(checked, locale.get())),
                ("total", &format_number(total, locale.get())),
            ])}</td>
            <td>{a.drawn_by.clone()}<br /><small>{move || crate::format::format_date(drawn_on, locale.get())}</small></td>
        </tr>
    }
}
