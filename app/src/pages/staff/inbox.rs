use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    api::cases::get_inbox,
    components::page_error::PageError,
    format::{format_date, format_number},
    i18n::{use_locale, use_texts},
};

#[component]
pub fn InboxPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q"));
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u64>().ok()));
    // With JavaScript the inbox asks again every 30 seconds while the tab is visible, so a case
    // a colleague sends appears without a reload; a hidden tab asks nothing.
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !document().hidden() {
                tick.update(|n| *n += 1);
            }
        },
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    let inbox = Resource::new(
        move || (q(), page(), tick.get()),
        |(q, page, _)| get_inbox(q, page),
    );
    view! {
        <Title text=move || t().inbox_title />
        <h1>{move || t().inbox_title}</h1>
        <Form method="GET" action="" attr:class="search">
            <input type="search" name="q" value=q aria-label=move || t().inbox_search placeholder=move || t().inbox_search />
            <button type="submit">{move || t().search}</button>
        </Form>
        <Transition fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || inbox.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(inbox) => {
                    let total = inbox.total as i64;
                    view! {
                        <ul class="stage-counts" data-testid="stage-counts">
                            {inbox.stage_counts.iter().map(|(stage, n)| {
                                let key = stage.text_key();
                                let n = *n as i64;
                                view! { <li>{move || t().get(&key).unwrap_or_default()}": "<strong>{move || format_number(n, locale.get())}</strong></li> }
                            }).collect_view()}
                        </ul>
                        <p data-testid="inbox-total">{move || crate::format::format_count(total, locale.get(), t().inbox_total_one, t().inbox_total)}</p>
                        <table class="table">
                            <thead><tr>
                                <th>{move || t().case_code}</th>
                                <th>{move || t().case_applicant}</th>
                                <th>{move || t().case_service}</th>
                                <th>{move || t().case_stage}</th>
                                <th>{move || t().case_step_due}</th>
                            </tr></thead>
                            <tbody>
                                {inbox.items.into_iter().map(|item| {
                                    let late = item.days_late;
                                    let stage_key = item.stage.text_key();
                                    let href = format!("/staff/cases/{}", item.code);
                                    view! {
                                        <tr class:overdue=move || late.gt(&0)>
                                            <td><a href=href>{item.code.clone()}</a></td>
                                            <td>{item.applicant_name_km.clone()}<br /><small>{item.applicant_name_latin.clone()}</small></td>
                                            <td>{move || locale.get().pick(&item.service_name_km, &item.service_name_en).to_string()}</td>
                                            <td>{move || t().get(&stage_key).unwrap_or_default()}</td>
                                            <td>
                                                {let due = item.step_due_on; move || due.map(|d| format_date(d, locale.get())).unwrap_or_default()}
                                                {(late > 0).then(|| view! { <span class="late">{move || crate::format::format_count(late, locale.get(), t().days_late_one, t().days_late)}</span> })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager page=inbox.page per_page=inbox.per_page total=inbox.total q=q().unwrap_or_default() />
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// Previous and next links; plain links, so paging needs no JavaScript.
#[component]
fn Pager(page: u64, per_page: u64, total: u64, q: String) -> impl IntoView {
    let t = use_texts();
    let pages = total.div_ceil(per_page).max(1);
    let link = move |p: u64| {
        let mut href = format!("/staff/inbox?page={p}");
        if !q.is_empty() {
            href.push_str("&q=");
            href.push_str(
                &q.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>(),
            );
        }
        href
    };
    view! {
        <nav class="pager" aria-label=move || t().pages>
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{move || t().previous}</a> })}
            <span>{format!("{page} / {pages}")}</span>
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{move || t().next}</a> })}
        </nav>
    }
}
