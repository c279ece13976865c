use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::cases::{get_case, ActOnCase},
    components::page_error::PageError,
    error::AppError,
    format::{format_date, format_date_time, format_number, format_riel},
    i18n::{fill, use_locale, use_texts, Texts},
    types::CaseDetail,
};
use actions::Actions;
use notices::CaseNotices;

/// The message for an error in the user's language.
pub fn error_text(t: &'static Texts, err: &AppError) -> &'static str {
    match err {
        AppError::IllegalTransition(key) => t.get(key).unwrap_or(t.err_illegal_transition),
        other => t.get(other.text_key()).unwrap_or(t.err_internal),
    }
}

mod actions;
mod notices;

#[component]
pub fn CasePage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    // One action for all the forms: each completed action reloads the case in place.
    let act = ServerAction::<ActOnCase>::new();
    // What the officer typed, kept across the reloads an answer causes (a conflict reloads the
    // case under their hands), and cleared once an action went through.
    let draft = Draft::default();
    Effect::new(move |_| {
        if let Some(Ok(_)) = act.value().get() {
            draft.clear();
        }
    });
    // The answer of a plain form post comes back in the address; a hydrated page's in `act`.
    let error = move || {
        query
            .with(|q| q.get("error"))
            .or_else(|| match act.value().get() {
                Some(Err(AppError::Validation(fields))) => fields.first().map(|f| f.key.clone()),
                Some(Err(AppError::IllegalTransition(key))) => Some(key),
                // Explained beside the fresh case, with who acted first.
                Some(Err(AppError::Conflict)) => None,
                Some(Err(other)) => Some(other.text_key().to_string()),
                _ => None,
            })
    };
    let case = Resource::new(
        move || (code(), act.version().get()),
        |(code, _)| get_case(code),
    );
    view! {
        <Title text=move || format!("{} {}", t().case_title, code()) />
        {move || error().map(|key| view! {
            <p class="error" role="alert" data-testid="action-error">{move || t().get(&key).unwrap_or(t().err_bad_request)}</p>
        })}
        <Transition fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || case.get().map(|result| match result {
                Ok(detail) => view! { <CaseView detail act draft /> }.into_any(),
                Err(err) => view! {
                    <h1>{move || t().case_title}</h1>
                    <PageError err />
                }.into_any(),
            })}
        </Transition>
    }
}

/// The text typed into an action's form, outside the forms so a reload of the case keeps it.
#[derive(Clone, Copy, Default)]
pub struct Draft {
    comment: RwSignal<String>,
    receiver: RwSignal<String>,
}

impl Draft {
    fn clear(self) {
        self.comment.set(String::new());
        self.receiver.set(String::new());
    }
}

/// The line above the case after an in-place action: what was done and where the case is now,
/// or, when someone else acted first, who did what and when.
#[component]
fn Outcome(detail: CaseDetail, act: ServerAction<ActOnCase>, draft: Draft) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let last = detail.events.last().cloned();
    let stage_key = detail.stage.text_key();
    move || match act.value().get() {
        Some(Ok(_)) => {
            let action = last
                .as_ref()
                .map(|e| e.action.text_key())
                .unwrap_or_default();
            let stage_key = stage_key.clone();
            Some(
                view! {
                    <p class="ok" role="status" data-testid="action-done">
                        {move || fill(t().case_action_done, &[
                            ("action", t().get(&action).unwrap_or_default()),
                            ("stage", t().get(&stage_key).unwrap_or_default()),
                        ])}
                    </p>
                }
                .into_any(),
            )
        }
        Some(Err(AppError::Conflict)) => {
            let last = last.clone();
            Some(view! {
                <p class="error" role="alert" data-testid="action-conflict">
                    {move || match &last {
                        Some(e) => fill(t().case_conflict, &[
                            ("who", e.actor_name.as_deref().unwrap_or("—")),
                            ("action", t().get(&e.action.text_key()).unwrap_or(e.action.id())),
                            ("when", &format_date_time(e.at, locale.get())),
                        ]),
                        None => t().case_conflict_unknown.to_string(),
                    }}
                </p>
                // Also when the fresh case leaves this officer no form to put the text back in.
                {move || {
                    let kept = draft.comment.get();
                    (!kept.trim().is_empty()).then(|| view! {
                        <blockquote class="kept-text" data-testid="kept-text">{kept}</blockquote>
                    })
                }}
            }.into_any())
        }
        _ => None,
    }
}

#[component]
fn CaseView(detail: CaseDetail, act: ServerAction<ActOnCase>, draft: Draft) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let d = detail.clone();
    let stage_key = d.stage.text_key();
    let fee = d.fee_total;
    view! {
        <h1 tabindex="-1">{move || t().case_title}" "<span data-testid="case-code">{d.code.clone()}</span></h1>
        <Outcome detail=detail.clone() act draft />
        <section class="card">
            <dl class="facts">
                <dt>{move || t().case_service}</dt>
                <dd>{let (km, en) = (d.service_name_km.clone(), d.service_name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</dd>
                <dt>{move || t().case_stage}</dt>
                <dd data-testid="case-stage">{move || t().get(&stage_key).unwrap_or_default()}" · "{let status_key = d.status.text_key(); move || t().get(&status_key).unwrap_or_default()}</dd>
                <dt>{move || t().case_applicant}</dt>
                <dd>{d.applicant_name_km.clone()}" · "{d.applicant_name_latin.clone()}{d.applicant_phone.clone().map(|p| format!(" · {p}"))}</dd>
                <dt>{move || t().case_fee}</dt>
                <dd data-testid="case-fee">{move || format_riel(fee, locale.get())}" ("{let quantity = d.quantity as i64; move || format_number(quantity, locale.get())}" × "{move || format_riel(d.fee_per_unit, locale.get())}")"
                    {d.receipt_number.clone().map(|r| format!(" · {r}"))}</dd>
                <dt>{move || t().case_address}</dt>
                <dd>{let (km, la) = (d.address_km.clone().unwrap_or_default(), d.address_latin.clone().unwrap_or_default()); move || locale.get().pick(&km, &la).to_string()}</dd>
                <dt>{move || t().case_step_due}</dt>
                <dd>{let step_due = d.step_due_on; move || step_due.map(|x| format_date(x, locale.get())).unwrap_or_else(|| "—".into())}
                    {(d.days_late > 0).then(|| { let n = d.days_late; view! { " " <span class="late">{move || crate::format::format_count(n, locale.get(), t().days_late_one, t().days_late)}</span> } })}</dd>
                <dt>{move || t().case_due}</dt>
                <dd>{let due = d.due_on; move || format_date(due, locale.get())}</dd>
                <dt>"PIN"</dt>
                <dd>{d.pin.clone()}</dd>
            </dl>
        </section>
        <Actions code=detail.code.clone() version=detail.version allowed=detail.allowed_actions.clone() fee act draft />
        <section class="card">
            <h2>{move || t().case_timeline}</h2>
            <table class="table" data-testid="case-timeline">
                <thead><tr><th>"#"</th><th>{move || t().case_action}</th><th>{move || t().case_stage}</th><th>{move || t().case_actor}</th><th>{move || t().case_when}</th></tr></thead>
                <tbody>
                    {detail.events.into_iter().map(|e| {
                        let action_key = e.action.text_key();
                        let action_id = e.action.id();
                        let to_key = e.to_stage.map(|s| s.text_key()).unwrap_or_default();
                        let at = e.at;
                        view! {
                            <tr>
                                <td>{e.seq}</td>
                                <td>{move || t().get(&action_key).unwrap_or(action_id).to_string()}{e.comment.clone().map(|c| view! { <br /><small>{c}</small> })}</td>
                                <td>{move || t().get(&to_key).unwrap_or_default()}</td>
                                <td>{e.actor_name.clone().unwrap_or_default()}</td>
                                <td>{move || format_date_time(at, locale.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <CaseNotices notices=detail.notices />
    }
}
