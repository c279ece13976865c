use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::cases::{get_case, ActOnCase},
    domain::workflow::Action,
    error::AppError,
    format::{format_number, format_riel},
    i18n::{use_locale, use_texts, Texts},
    types::CaseDetail,
};

/// The message for an error in the user's language.
pub fn error_text(t: &'static Texts, err: &AppError) -> &'static str {
    match err {
        AppError::IllegalTransition(key) => t.get(key).unwrap_or(t.err_illegal_transition),
        other => t.get(other.text_key()).unwrap_or(t.err_internal),
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    // One action for all the forms: each completed action reloads the case.
    let act = ServerAction::<ActOnCase>::new();
    let error = move || {
        query
            .with(|q| q.get("error"))
            .or_else(|| match act.value().get() {
                Some(Err(AppError::Validation(fields))) => fields.first().map(|f| f.key.clone()),
                Some(Err(AppError::IllegalTransition(key))) => Some(key),
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
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || case.get().map(|result| match result {
                Ok(detail) => view! { <CaseView detail act /> }.into_any(),
                Err(err) => view! {
                    <h1>{move || t().case_title}</h1>
                    <p class="error">{error_text(t(), &err)}</p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CaseView(detail: CaseDetail, act: ServerAction<ActOnCase>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let d = detail.clone();
    let stage_key = d.stage.text_key();
    let fee = d.fee_total;
    view! {
        <h1>{move || t().case_title}" "<span data-testid="case-code">{d.code.clone()}</span></h1>
        <section class="card">
            <dl class="facts">
                <dt>{move || t().case_service}</dt>
                <dd>{let (km, en) = (d.service_name_km.clone(), d.service_name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</dd>
                <dt>{move || t().case_stage}</dt>
                <dd data-testid="case-stage">{move || t().get(&stage_key).unwrap_or_default()}" · "{d.status.id()}</dd>
                <dt>{move || t().case_applicant}</dt>
                <dd>{d.applicant_name_km.clone()}" · "{d.applicant_name_latin.clone()}{d.applicant_phone.clone().map(|p| format!(" · {p}"))}</dd>
                <dt>{move || t().case_fee}</dt>
                <dd>{move || format_riel(fee, locale.get())}" ("{d.quantity}" × "{move || format_riel(d.fee_per_unit, locale.get())}")"
                    {d.receipt_number.clone().map(|r| format!(" · {r}"))}</dd>
                <dt>{move || t().case_address}</dt>
                <dd>{let (km, la) = (d.address_km.clone().unwrap_or_default(), d.address_latin.clone().unwrap_or_default()); move || locale.get().pick(&km, &la).to_string()}</dd>
                <dt>{move || t().case_step_due}</dt>
                <dd>{d.step_due_on.map(|x| x.to_string()).unwrap_or_else(|| "—".into())}
                    {(d.days_late > 0).then(|| { let n = d.days_late; view! { " " <span class="late">{move || crate::i18n::fill(t().days_late, &[("n", &format_number(n, locale.get()))])}</span> } })}</dd>
                <dt>{move || t().case_due}</dt>
                <dd>{d.due_on.to_string()}</dd>
                <dt>"PIN"</dt>
                <dd>{d.pin.clone()}</dd>
            </dl>
        </section>
        <section class="card">
            <h2>{move || t().case_actions}</h2>
            {if detail.allowed_actions.is_empty() {
                view! { <p>{move || t().case_no_actions}</p> }.into_any()
            } else {
                detail.allowed_actions.iter().map(|a| view! { <ActionPanel code=detail.code.clone() version=detail.version action=*a fee=fee act /> }).collect_view().into_any()
            }}
        </section>
        <section class="card">
            <h2>{move || t().case_timeline}</h2>
            <table class="table">
                <thead><tr><th>"#"</th><th>{move || t().case_action}</th><th>{move || t().case_stage}</th><th>{move || t().case_actor}</th><th>{move || t().case_when}</th></tr></thead>
                <tbody>
                    {detail.events.into_iter().map(|e| {
                        let action_key = format!("action_{}", e.action);
                        let action_id = e.action.clone();
                        let to_key = e.to_stage.map(|s| s.text_key()).unwrap_or_default();
                        let local = (e.at + chrono::Duration::hours(7)).format("%Y-%m-%d %H:%M").to_string();
                        view! {
                            <tr>
                                <td>{e.seq}</td>
                                <td>{move || t().get(&action_key).unwrap_or(&action_id).to_string()}{e.comment.clone().map(|c| view! { <br /><small>{c}</small> })}</td>
                                <td>{move || t().get(&to_key).unwrap_or_default()}</td>
                                <td>{e.actor_name.clone().unwrap_or_default()}</td>
                                <td>{local}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// One form per allowed action, with the inputs that action needs.
#[component]
fn ActionPanel(
    code: String,
    version: i32,
    action: Action,
    fee: i64,
    act: ServerAction<ActOnCase>,
) -> impl IntoView {
    let t = use_texts();
    let key = action.text_key();
    let testid = format!("act-{}", action.id());
    view! {
        <ActionForm action=act attr:class="action-form">
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="action" value=action.id() />
            <input type="hidden" name="version" value=version />
            {(action == Action::Pay).then(|| view! {
                <label>{move || t().case_amount}<input name="amount" inputmode="numeric" value=fee.to_string() required /></label>
            })}
            {(action == Action::Deliver).then(|| view! {
                <label>{move || t().case_receiver}<input name="receiver" required maxlength="200" /></label>
            })}
            {(action != Action::Pay && action != Action::Deliver).then(|| view! {
                <label>{move || if action.needs_reason() { t().case_reason } else { t().case_comment }}
                    <textarea name="comment" maxlength="2000" required=action.needs_reason()></textarea></label>
            })}
            <button type="submit" data-testid=testid class:danger=matches!(action, Action::Reject | Action::CancelPayment)>
                {move || t().get(&key).unwrap_or_default()}
            </button>
        </ActionForm>
    }
}
