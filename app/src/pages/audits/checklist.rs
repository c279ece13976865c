mod form;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::period;
use crate::{
    api::quality_audits::{get_checklist, RecordChecklist},
    components::page_error::PageError,
    format::{format_date, format_riel},
    i18n::{fill, use_locale, use_texts},
    types::quality_audits::ChecklistView,
};

/// `/audits/{id}/cases/{code}`: what the monitoring officer needs to check the case and call
/// the citizen, and the six-item checklist.
#[component]
pub fn ChecklistPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0));
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let record = ServerAction::<RecordChecklist>::new();
    let view_data = Resource::new(
        move || (id(), code(), record.version().get()),
        |(id, code, _)| get_checklist(id, code),
    );
    let saved = move || {
        query.with(|q| q.get("saved")).is_some() || matches!(record.value().get(), Some(Ok(())))
    };
    view! {
        <Title text=move || fill(t().audit_checklist_title, &[("code", &code())]) />
        <p><a href=move || format!("/audits/{}", id()) data-testid="back-to-audit">{move || t().audit_back}</a></p>
        <h1>{move || fill(t().audit_checklist_title, &[("code", &code())])}</h1>
        {move || saved().then(|| view! { <p class="notice" role="status" data-testid="notice">{move || t().audit_saved}</p> })}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || view_data.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(v) => view! { <CaseFacts view=v.clone() /> <form::ChecklistForm view=v record /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CaseFacts(view: ChecklistView) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let v = view;
    let (year, quarter) = (v.year, v.quarter);
    let office = (
        format!("{} {}", v.office_code, v.office_km),
        format!("{} {}", v.office_code, v.office_en),
    );
    let service = (v.service_km.clone(), v.service_en.clone());
    let (fee_total, catalogue_fee, paid, quantity) =
        (v.fee_total, v.catalogue_fee, v.paid, v.quantity);
    let (registered, due, delivered, on_time) =
        (v.registered_on, v.due_on, v.delivered_on, v.on_time);
    let phone = v.phone.clone();
    view! {
        <section class="card">
            <dl class="facts" data-testid="checklist-facts">
                <dt>{move || t().audit_quarter}</dt><dd>{move || period(t(), locale.get(), year, quarter)}</dd>
                <dt>{move || t().audit_office}</dt><dd>{move || locale.get().pick(&office.0, &office.1).to_string()}</dd>
                <dt>{move || t().case_service}</dt><dd>{move || locale.get().pick(&service.0, &service.1).to_string()}</dd>
                <dt>{move || t().audit_fee_registered}</dt>
                <dd>{move || format_riel(fee_total, locale.get())}" ("{quantity}" ×)"</dd>
                <dt>{move || t().audit_fee_catalogue}</dt><dd>{move || format_riel(catalogue_fee, locale.get())}</dd>
                <dt>{move || t().audit_fee_paid}</dt>
                <dd data-testid="fee-paid">{move || match paid {
                    Some(p) => format_riel(p, locale.get()),
                    None => t().audit_not_paid.to_string(),
                }}{v.receipt_number.clone().map(|r| format!(" · {r}"))}</dd>
                <dt>{move || t().track_registered_on}</dt><dd>{move || format_date(registered, locale.get())}</dd>
                <dt>{move || t().case_due}</dt><dd>{move || format_date(due, locale.get())}</dd>
                <dt>{move || t().audit_delivered_on}</dt>
                <dd data-testid="delivered-on">
                    {move || delivered.map(|d| format_date(d, locale.get())).unwrap_or_else(|| "—".into())}
                    " · "
                    <span class:late=!on_time>{move || if on_time { t().audit_on_time } else { t().audit_late }}</span>
                </dd>
                <dt>{move || t().case_applicant}</dt><dd>{v.applicant_km.clone()}" · "{v.applicant_latin.clone()}</dd>
                <dt>{move || t().phone}</dt>
                <dd data-testid="applicant-phone">{match phone {
                    Some(p) => view! { <a href=format!("tel:{p}")>{p.clone()}</a> }.into_any(),
                    None => view! { <span>{move || t().audit_no_phone}</span> }.into_any(),
                }}</dd>
                <dt>{move || t().audit_assignee}</dt><dd>{v.assignee.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
        </section>
    }
}
