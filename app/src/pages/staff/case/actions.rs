use leptos::{form::ActionForm, prelude::*};

use super::Draft;
use crate::{
    api::cases::ActOnCase,
    domain::workflow::{Action, ActionWeight},
    i18n::use_texts,
};

/// The case's actions, safest first: the way onward as the one prominent button, a return for
/// correction folded away, and what cannot be taken back (cancelling a payment, a refusal) last,
/// apart, each behind a confirmation that says what it does. A text box shows only inside the
/// action being taken. Built on `<details>`, so it reads the same without JavaScript.
#[component]
pub fn Actions(
    code: String,
    version: i32,
    allowed: Vec<Action>,
    fee: i64,
    act: ServerAction<ActOnCase>,
    draft: Draft,
) -> impl IntoView {
    let t = use_texts();
    let mut allowed = allowed;
    allowed.sort_by_key(|a| a.weight());
    let first_onward = allowed
        .iter()
        .position(|a| a.weight() == ActionWeight::Onward);
    let panel = |action: Action, primary: bool| {
        view! { <ActionPanel code=code.clone() version action fee act draft primary /> }
    };
    let (onward, rest): (Vec<_>, Vec<_>) = allowed
        .iter()
        .enumerate()
        .partition(|(_, a)| a.weight() == ActionWeight::Onward);
    let (setbacks, destructive): (Vec<_>, Vec<_>) = rest
        .into_iter()
        .partition(|(_, a)| a.weight() == ActionWeight::Setback);
    view! {
        <section class="card" data-testid="case-actions">
            <h2>{move || t().case_actions}</h2>
            {allowed.is_empty().then(|| view! { <p>{move || t().case_no_actions}</p> })}
            {onward.into_iter().map(|(i, a)| panel(*a, Some(i) == first_onward)).collect_view()}
            {setbacks.into_iter().map(|(_, a)| {
                let key = a.text_key();
                view! {
                    <details class="action-more">
                        <summary data-testid=format!("open-{}", a.id())>{move || t().get(&key).unwrap_or_default()}</summary>
                        {panel(*a, false)}
                    </details>
                }
            }).collect_view()}
            {(!destructive.is_empty()).then(|| view! {
                <div class="danger-zone" data-testid="danger-zone">
                    {destructive.into_iter().map(|(_, a)| {
                        let key = a.text_key();
                        let consequence = format!("consequence_{}", a.id());
                        view! {
                            <details class="action-more danger">
                                <summary data-testid=format!("open-{}", a.id())>{move || t().get(&key).unwrap_or_default()}"…"</summary>
                                <p class="consequence" data-testid=format!("consequence-{}", a.id())>{move || t().get(&consequence).unwrap_or_default()}</p>
                                {panel(*a, false)}
                            </details>
                        }
                    }).collect_view()}
                </div>
            })}
        </section>
    }
}

/// One action's form, with the inputs that action needs. An onward action's comment is
/// optional and folded away; a return or refusal asks for its reason.
#[component]
fn ActionPanel(
    code: String,
    version: i32,
    action: Action,
    fee: i64,
    act: ServerAction<ActOnCase>,
    draft: Draft,
    primary: bool,
) -> impl IntoView {
    let t = use_texts();
    let key = action.text_key();
    let testid = format!("act-{}", action.id());
    let destructive = action.weight() == ActionWeight::Destructive;
    let comment = move || {
        view! {
            <label>{move || if action.needs_reason() { t().case_reason } else { t().case_comment }}
                <textarea name="comment" maxlength="2000" required=action.needs_reason()
                    prop:value=move || draft.comment.get()
                    on:input=move |ev| draft.comment.set(event_target_value(&ev))></textarea></label>
        }
    };
    view! {
        <ActionForm action=act attr:class="action-form">
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="action" value=action.id() />
            <input type="hidden" name="version" value=version />
            {(action == Action::Pay).then(|| view! {
                <label>{move || t().case_amount}<input name="amount" inputmode="numeric" value=fee.to_string() required /></label>
                <details class="comment-more">
                    <summary>{move || t().pay_by_khqr_summary}</summary>
                    <label>{move || t().pay_reference}
                        <input name="reference" maxlength="64" autocomplete="off" spellcheck="false" pattern="[A-Za-z0-9-]*" data-testid="pay-reference" />
                    </label>
                    <small class="muted">{move || t().pay_reference_hint}</small>
                </details>
            })}
            {(action == Action::Deliver).then(|| view! {
                <label>{move || t().case_receiver}<input name="receiver" required maxlength="200"
                    prop:value=move || draft.receiver.get()
                    on:input=move |ev| draft.receiver.set(event_target_value(&ev)) /></label>
            })}
            {match (action, action.needs_reason()) {
                (Action::Pay | Action::Deliver, _) => None,
                (_, true) => Some(comment().into_any()),
                (_, false) => Some(view! {
                    <details class="comment-more">
                        <summary>{move || t().case_add_comment}</summary>
                        {comment()}
                    </details>
                }.into_any()),
            }}
            <button type="submit" data-testid=testid disabled=move || act.pending().get()
                class:primary=primary class:secondary=!primary && !destructive class:danger=destructive>
                {move || if destructive { t().case_confirm_prefix.to_string() } else { String::new() }}
                {move || t().get(&key).unwrap_or_default()}
            </button>
        </ActionForm>
    }
}
