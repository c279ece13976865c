use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::{
    api::complaints::{complaint_by_grant, OpenComplaint},
    components::form_feedback::{action_error, use_form_values},
    error::AppError,
    format::format_date,
    i18n::{use_locale, use_texts},
    pages::staff::case::error_text,
    types::complaints::{ComplaintView, GrantedComplaint},
};

/// `/complaints/track`: the number and PIN are posted, never put in the address; a right PIN
/// (or filing the complaint) leaves this browser a short grant, and the page shows the status
/// and the office's answer from it, with the new PIN once after filing.
#[component]
pub fn TrackComplaintPage() -> impl IntoView {
    let t = use_texts();
    let values = use_form_values();
    let open = ServerAction::<OpenComplaint>::new();
    let granted = Resource::new(move || open.version().get(), |_| complaint_by_grant());
    let error = action_error(open);
    let failed = move || {
        error
            .get()
            .map(|err| err.text_key().to_string())
            .or_else(|| values.get("error"))
    };
    view! {
        <Title text=move || t().complaint_track_title />
        <h1>{move || t().complaint_track_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || granted.get().map(|result| match result {
                Ok(Some(granted)) => view! { <Granted granted /> }.into_any(),
                Ok(None) => ().into_any(),
                Err(err) => view! { <p class="error" role="alert">{error_text(t(), &err)}</p> }.into_any(),
            })}
        </Suspense>
        {move || failed().map(|key| {
            let text = if key == AppError::NotFound.text_key() { t().complaint_not_found } else { t().get(&key).unwrap_or(t().err_bad_request) };
            view! { <p class="error" role="alert" data-testid="complaint-error">{text}</p> }
        })}
        <ActionForm action=open attr:class="stack card" attr:data-testid="complaint-lookup">
            <label>{move || t().complaint_number}
                <input name="number" required maxlength="16" value=move || values.get("number") placeholder="2026-000001" />
            </label>
            <label>"PIN"
                <input name="pin" required inputmode="numeric" maxlength="6" autocomplete="off" />
            </label>
            <button type="submit" class="primary">{move || t().search}</button>
        </ActionForm>
    }
}

#[component]
fn Granted(granted: GrantedComplaint) -> impl IntoView {
    let t = use_texts();
    let GrantedComplaint { complaint, new_pin } = granted;
    let number = complaint.number.clone();
    view! {
        {new_pin.map(|pin| view! {
            <section class="card filed" data-testid="complaint-filed">
                <p>{move || t().complaint_filed}</p>
                <p>{move || t().complaint_number}": "<strong class="big" data-testid="complaint-number">{number.clone()}</strong></p>
                <p>"PIN: "<strong class="big" data-testid="complaint-pin">{pin}</strong></p>
                <p><small>{move || t().complaint_keep}</small></p>
            </section>
        })}
        <ComplaintStatusView complaint />
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
