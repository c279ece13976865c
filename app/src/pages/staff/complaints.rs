use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::complaints::{office_complaints, AnswerComplaint},
    components::form_feedback::{action_error, FieldMessage, FormNotice},
    components::page_error::PageError,
    format::format_date,
    i18n::{use_locale, use_texts},
    types::complaints::{ComplaintStatus, StaffComplaint},
};

/// `/staff/complaints`: the office chief's complaints, open ones first by due date, overdue
/// ones marked; each answered and closed from here.
#[component]
pub fn StaffComplaintsPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let answer = ServerAction::<AnswerComplaint>::new();
    let list = Resource::new(move || answer.version().get(), |_| office_complaints());
    view! {
        <Title text=move || t().complaints_staff_title />
        <h1>{move || t().complaints_staff_title}</h1>
        {move || query.with(|q| q.get("saved")).map(|_| view! { <p class="notice" role="status" data-testid="notice">{move || t().admin_saved}</p> })}
        <FormNotice error=action_error(answer) />
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || list.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p>{move || t().complaints_none}</p> }.into_any(),
                Ok(rows) => rows.into_iter().map(|c| view! { <ComplaintCard complaint=c answer /> }).collect_view().into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ComplaintCard(
    complaint: StaffComplaint,
    answer: ServerAction<AnswerComplaint>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let c = complaint;
    let (id, late, due, filed) = (c.id, c.days_late, c.due_on, c.filed_on);
    let status_key = format!("complaint_status_{}", c.status.id());
    let category_key = format!("complaint_category_{}", c.category);
    let mine = move || query.with(|q| q.get("for")) == Some(id.to_string());
    let error = action_error(answer);
    view! {
        <section class="card" class:overdue=late.gt(&0) data-testid=format!("complaint-{}", c.number)>
            <h2>{c.number.clone()}" · "{move || t().get(&category_key).unwrap_or_default()}</h2>
            <dl class="facts">
                <dt>{move || t().admin_status}</dt><dd>{move || t().get(&status_key).unwrap_or_default()}</dd>
                <dt>{move || t().complaint_filed_on}</dt><dd>{move || format_date(filed, locale.get())}</dd>
                <dt>{move || t().complaint_due}</dt>
                <dd>{move || format_date(due, locale.get())}
                    {(late > 0).then(|| view! { " " <span class="late">{move || crate::format::format_count(late, locale.get(), t().days_late_one, t().days_late)}</span> })}
                </dd>
                {c.case_code.clone().map(|code| {
                    let href = format!("/staff/cases/{code}");
                    view! { <dt>{move || t().complaint_case_code}</dt><dd><a href=href>{code}</a></dd> }
                })}
                {c.phone.clone().map(|p| view! { <dt>{move || t().complaint_phone}</dt><dd>{p}</dd> })}
            </dl>
            <p class="complaint-body">{c.body.clone()}</p>
            {c.answer.clone().map(|a| view! { <h3>{move || t().complaint_answer}</h3><p data-testid="given-answer">{a}</p> })}
            {(c.status != ComplaintStatus::Closed).then(|| view! {
                <ActionForm action=answer attr:class="action-form">
                    <input type="hidden" name="id" value=id />
                    <label>{move || t().complaint_answer}
                        <textarea name="answer" rows="3" required maxlength="4000"></textarea>
                        {move || mine().then(|| view! { <FieldMessage field="answer" error /> })}
                    </label>
                    <button type="submit" name="close" value="false" data-testid=format!("answer-{id}")>{move || t().complaint_send_answer}</button>
                    <button type="submit" name="close" value="true" data-testid=format!("close-{id}")>{move || t().complaint_answer_close}</button>
                </ActionForm>
            })}
        </section>
    }
}
