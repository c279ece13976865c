use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    api::notices::{get_office_notices, RetryNotice},
    components::{form_feedback::error_message, page_error::PageError},
    format::{format_date_time, format_number},
    i18n::{use_locale, use_texts},
    types::notices::{NoticeView, OfficeNotices},
};

/// The office's messages to citizens that need a person: those that failed for good and those
/// no gateway could take, each with "Send again", and how many are waiting or went out today.
/// The office administrator sees their office; the system administrator picks one by its code.
#[component]
pub fn OfficeNoticesPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let param = move |k: &'static str| query.with(|q| q.get(k)).filter(|v| !v.is_empty());
    let retry = ServerAction::<RetryNotice>::new();
    let screen = Resource::new(
        move || (param("office"), retry.version().get()),
        |(office, _)| get_office_notices(office),
    );
    // A refused retry: from the address after a plain post, else from the action's answer.
    let failed = move || {
        param("error").and_then(|key| t().get(&key)).or_else(|| {
            retry
                .value()
                .get()
                .and_then(Result::err)
                .map(|err| error_message(t(), &err))
        })
    };
    view! {
        <Title text=move || t().notice_office_title />
        <h1>{move || t().notice_office_title}</h1>
        {move || param("retried").map(|_| view! { <p class="notice" role="status" data-testid="notice">{move || t().notice_retried}</p> })}
        {move || failed().map(|message| view! { <p class="error" role="alert" data-testid="form-error">{message}</p> })}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || screen.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(page) => {
                    let any_office = page.any_office;
                    view! {
                        {any_office.then(|| view! {
                            <Form method="GET" action="" attr:class="search">
                                <label>{move || t().pay_office}
                                    <input name="office" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" value=move || param("office") />
                                </label>
                                <button type="submit">{move || t().search}</button>
                            </Form>
                        })}
                        {match page.notices {
                            Some(notices) => view! { <OfficeList notices retry any_office /> }.into_any(),
                            None => view! { <p class="muted" data-testid="pick-office">{move || t().notice_office_pick}</p> }.into_any(),
                        }}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn OfficeList(
    notices: OfficeNotices,
    retry: ServerAction<RetryNotice>,
    /// The system administrator's choice of office goes back with each retry.
    any_office: bool,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let OfficeNotices {
        office_code,
        failed,
        waiting,
        sent_today,
    } = notices;
    let empty = failed.is_empty();
    let office = any_office.then(|| office_code.clone());
    view! {
        <section class="card" data-testid="office-notices" data-office=office_code.clone()>
            <h2>{office_code.clone()}</h2>
            <p>
                <span data-testid="notices-waiting" data-count=waiting.to_string()>
                    {move || t().notice_office_waiting}": "<strong>{move || format_number(waiting, locale.get())}</strong>
                </span>
                " · "
                <span data-testid="notices-sent-today" data-count=sent_today.to_string()>
                    {move || t().notice_office_sent_today}": "<strong>{move || format_number(sent_today, locale.get())}</strong>
                </span>
            </p>
            <p class="muted">{move || t().notice_office_intro}</p>
            {if empty {
                view! { <p class="muted" data-testid="no-failed-notices">{move || t().notice_office_none}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table notices-table">
                            <thead><tr>
                                <th>{move || t().case_when}</th>
                                <th>{move || t().case_code}</th>
                                <th>{move || t().notice_col_event}</th>
                                <th>{move || t().notice_col_channel}</th>
                                <th>{move || t().notice_col_status}</th>
                                <th>{move || t().notice_col_attempts}</th>
                                <th>{move || t().notice_col_recipient}</th>
                                <th>{move || t().notice_col_error}</th>
                                <th>{move || t().case_actions}</th>
                            </tr></thead>
                            <tbody>
                                {failed.into_iter().map(|n| view! { <Row n retry office=office.clone() /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Row(n: NoticeView, retry: ServerAction<RetryNotice>, office: Option<String>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let event_key = n.event.text_key();
    let channel_key = format!("notice_channel_{}", n.channel.id());
    let status_key = format!("notice_status_{}", n.status.id());
    let (at, attempts) = (n.created_at, i64::from(n.attempts));
    // A message whose recipient was forgotten has nowhere to go.
    let gone = n.recipient.is_none();
    view! {
        <tr data-testid="notice-row" data-id=n.id.to_string() data-status=n.status.id() data-event=n.event.id()>
            <td>{move || format_date_time(at, locale.get())}</td>
            <td>{n.case_code.clone().map(|code| view! { <a href=format!("/staff/cases/{code}")>{code.clone()}</a> })}</td>
            <td>{move || t().get(&event_key).unwrap_or_default()}</td>
            <td>{move || t().get(&channel_key).unwrap_or_default()}</td>
            <td>{move || t().get(&status_key).unwrap_or_default()}</td>
            <td>{move || format_number(attempts, locale.get())}</td>
            <td>{n.recipient.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="error-text">{n.last_error.clone()}</td>
            <td>
                <ActionForm action=retry attr:class="inline">
                    <input type="hidden" name="id" value=n.id.to_string() />
                    {office.map(|o| view! { <input type="hidden" name="office" value=o /> })}
                    <button type="submit" data-testid="retry-notice" disabled=gone>{move || t().notice_retry}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
