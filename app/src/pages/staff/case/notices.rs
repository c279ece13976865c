use leptos::prelude::*;

use crate::{
    format::{format_date_time, format_number},
    i18n::{use_locale, use_texts},
    types::notices::NoticeView,
};

/// The messages the citizen was sent about the case: what, by which channel, and whether it
/// went. A message no gateway could take stays listed as such, never silently dropped.
#[component]
pub fn CaseNotices(notices: Vec<NoticeView>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let empty = notices.is_empty();
    view! {
        <section class="card" data-testid="case-notices">
            <h2>{move || t().case_notices}</h2>
            {if empty {
                view! { <p class="muted">{move || t().case_notices_none}</p> }.into_any()
            } else {
                view! {
                    <table class="table notices-table">
                        <thead><tr>
                            <th>{move || t().case_notices_event}</th>
                            <th>{move || t().case_notices_channel}</th>
                            <th>{move || t().case_notices_status}</th>
                            <th>{move || t().case_notices_attempts}</th>
                            <th>{move || t().case_when}</th>
                        </tr></thead>
                        <tbody>
                            {notices.into_iter().map(|n| {
                                let event_key = n.event.text_key();
                                let channel_key = format!("notice_channel_{}", n.channel.id());
                                let status_key = format!("notice_status_{}", n.status.id());
                                let status_id = n.status.id();
                                let at = n.sent_at.unwrap_or(n.created_at);
                                let attempts = i64::from(n.attempts);
                                view! {
                                    <tr data-testid="case-notice" data-event=n.event.id() data-channel=n.channel.id() data-status=status_id>
                                        <td>{move || t().get(&event_key).unwrap_or_default()}<br /><small>{n.body.clone()}</small></td>
                                        <td>{move || t().get(&channel_key).unwrap_or_default()}{n.recipient.clone().map(|r| format!(" · {r}"))}</td>
                                        <td>{move || t().get(&status_key).unwrap_or_default()}
                                            {n.last_error.clone().map(|e| view! { <br /><small class="error-text">{e}</small> })}</td>
                                        <td>{move || format_number(attempts, locale.get())}</td>
                                        <td>{move || format_date_time(at, locale.get())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
