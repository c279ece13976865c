mod cases;
mod summary;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::period;
use crate::domain::calendar::local_date;
use crate::{
    api::quality_audits::{get_audit, AssignAuditCase},
    components::form_feedback::{action_error, FormNotice},
    components::page_error::PageError,
    format::{format_date, format_number},
    i18n::{fill, use_locale, use_texts},
    types::quality_audits::AuditView,
};

/// `/audits/{id}`: how the sample was drawn, the summary by office and the sampled cases.
#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0));
    let assign = ServerAction::<AssignAuditCase>::new();
    let audit = Resource::new(
        move || (id(), assign.version().get()),
        |(id, _)| get_audit(id),
    );
    view! {
        <Title text=move || fill(t().audit_title, &[("id", &id().to_string())]) />
        <h1>{move || fill(t().audit_title, &[("id", &id().to_string())])}</h1>
        {move || query.with(|q| q.get("assigned")).map(|code| view! {
            <p class="notice" role="status" data-testid="notice">{move || fill(t().audit_assigned, &[("code", &code)])}</p>
        })}
        <FormNotice error=action_error(assign) />
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || audit.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(a) => view! { <AuditBody audit=a assign /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AuditBody(audit: AuditView, assign: ServerAction<AssignAuditCase>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let a = audit;
    let (year, quarter) = (a.year, a.quarter);
    let scope = (
        a.province_km.clone().unwrap_or_default(),
        a.province_latin.clone().unwrap_or_default(),
    );
    let national = a.province_code.is_none();
    let drawn_on = local_date(a.created_at);
    let (size, per_office, cap) = (a.sample_size as i64, a.per_office as i64, a.cap as i64);
    view! {
        <section class="card">
            <h2>{move || t().audit_parameters}</h2>
            <dl class="facts" data-testid="audit-parameters">
                <dt>{move || t().audit_quarter}</dt><dd>{move || period(t(), locale.get(), year, quarter)}</dd>
                <dt>{move || t().audit_scope}</dt>
                <dd>{move || if national { t().audit_national.to_string() } else { locale.get().pick(&scope.0, &scope.1).to_string() }}</dd>
                <dt>{move || t().audit_seed}</dt><dd data-testid="audit-seed">{a.seed}</dd>
                <dt>{move || t().audit_per_office}</dt><dd>{move || format_number(per_office, locale.get())}</dd>
                <dt>{move || t().audit_cap}</dt><dd>{move || format_number(cap, locale.get())}</dd>
                <dt>{move || t().audit_sample_size}</dt><dd data-testid="audit-size">{move || format_number(size, locale.get())}</dd>
                <dt>{move || t().audit_drawn_by}</dt><dd>{a.drawn_by.clone()}</dd>
                <dt>{move || t().audit_drawn_on}</dt><dd>{move || format_date(drawn_on, locale.get())}</dd>
            </dl>
        </section>
        <summary::OfficeSummary offices=a.offices />
        <cases::SampledCases audit_id=a.id cases=a.cases officers=a.officers assign />
    }
}
