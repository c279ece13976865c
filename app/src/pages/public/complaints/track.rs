use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    api::complaints::track_complaint,
    format::format_date,
    i18n::{use_locale, use_texts},
    pages::staff::case::error_text,
    types::complaints::ComplaintView,
};

/// `/complaints/track?number=..&pin=..`: the status and the office's answer.
#[component]
pub fn TrackComplaintPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let param = move |k: &'static str| query.with(|q| q.get(k)).filter(|v| !v.is_empty());
    let complaint = Resource::new(
        move || (param("number"), param("pin")),
        |(number, pin)| async move {
            match (number, pin) {
                (Some(n), Some(p)) => Some(track_complaint(n, p).await),
                _ => None,
            }
        },
    );
    view! {
        <Title text=move || t().complaint_track_title />
        <h1>{move || t().complaint_track_title}</h1>
        {move || param("filed").and(param("number")).zip(param("pin")).map(|(number, pin)| view! {
            <section class="card filed" data-testid="complaint-filed">
                <p>{move || t().complaint_filed}</p>
                <p>{move || t().complaint_number}": "<strong class="big" data-testid="complaint-number">{number.clone()}</strong></p>
                <p>"PIN: "<strong class="big" data-testid="complaint-pin">{pin.clone()}</strong></p>
                <p><small>{move || t().complaint_keep}</small></p>
            </section>
        })}
        <Form method="GET" action="" attr:class="stack card">
            <label>{move || t().complaint_number}
                <input name="number" required maxlength="16" value=move || param("number") placeholder="2026-000001" />
            </label>
            <label>"PIN"
                <input name="pin" required inputmode="numeric" maxlength="6" autocomplete="off" />
            </label>
            <button type="submit" class="primary">{move || t().search}</button>
        </Form>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || complaint.get().flatten().map(|result| match result {
                Ok(c) => view! { <ComplaintStatusView complaint=c /> }.into_any(),
                Err(crate::error::AppError::NotFound) => view! {
                    <p class="error" role="alert" data-testid="complaint-error">{move || t().complaint_not_found}</p>
                }.into_any(),
                Err(err) => view! { <p class="error" role="alert">{error_text(t(), &err)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ComplaintStatusView(complaint: ComplaintView) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let c = complaint;
    let status_key = format!("complaint_status_{}", c.status.id());
    let category_key = format!("complaint_category_{}", c.category);
    let (filed, due) = (c.filed_on, c.due_on);
    view! {
        <section class="card" data-testid="complaint-status">
            <dl class="facts">
                <dt>{move || t().complaint_number}</dt><dd>{c.number.clone()}</dd>
                <dt>{move || t().admin_status}</dt><dd data-testid="complaint-state">{move || t().get(&status_key).unwrap_or_default()}</dd>
                <dt>{move || t().complaint_category}</dt><dd>{move || t().get(&category_key).unwrap_or_default()}</dd>
                <dt>{move || t().complaint_office}</dt><dd>{move || locale.get().pick(&c.office_name_km, &c.office_name_en).to_string()}</dd>
                {c.case_code.clone().map(|code| view! { <dt>{move || t().complaint_case_code}</dt><dd>{code}</dd> })}
                <dt>{move || t().complaint_filed_on}</dt><dd>{move || format_date(filed, locale.get())}</dd>
                <dt>{move || t().complaint_due}</dt><dd>{move || format_date(due, locale.get())}</dd>
            </dl>
            {c.answer.clone().map(|answer| view! {
                <h2>{move || t().complaint_answer}</h2>
                <p class="answer" data-testid="complaint-answer">{answer}</p>
            })}
        </section>
    }
}
