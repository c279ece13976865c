use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::track::StopNotices,
    i18n::{fill, use_texts},
    types::notices::NoticeContactView,
};

/// How the citizen hears about the case: SMS to the (masked) phone, a Telegram link to press
/// once, and a way to stop every message. The stop is proven by the lookup's grant, as a rating
/// is, so the PIN is not asked again.
#[component]
pub fn NoticesCard(code: String, notices: NoticeContactView) -> impl IntoView {
    let t = use_texts();
    let stop = ServerAction::<StopNotices>::new();
    let stopped = move || notices.stopped || matches!(stop.value().get(), Some(Ok(())));
    let sms = notices.sms_phone.clone();
    let link = notices.telegram_link.clone();
    let bound = notices.telegram_bound;
    let can_stop = sms.is_some() || bound;
    view! {
        <section class="card" data-testid="track-notices">
            <h2>{move || t().notice_choice_legend}</h2>
            {move || if stopped() {
                view! { <p data-testid="notices-stopped">{move || t().notices_stopped}</p> }.into_any()
            } else { view! {
                {match sms.clone() {
                    Some(phone) => view! { <p data-testid="notices-sms">{move || fill(t().notices_sms_to, &[("phone", &phone)])}</p> }.into_any(),
                    None => view! { <p class="muted" data-testid="notices-sms-off">{move || t().notices_sms_off}</p> }.into_any(),
                }}
                {bound.then(|| view! { <p data-testid="notices-telegram-bound">{move || t().notices_telegram_bound}</p> })}
                {link.clone().map(|href| view! {
                    <p>
                        <a class="button" href=href rel="noopener" target="_blank" data-testid="telegram-link">{move || t().notices_telegram_link}</a>
                    </p>
                    <p class="muted">{move || t().notices_telegram_hint}</p>
                })}
                {let code = code.clone(); can_stop.then(move || view! {
                    <ActionForm action=stop attr:data-testid="stop-notices-form">
                        <input type="hidden" name="code" value=code />
                        <button type="submit" class="link-button" data-testid="stop-notices">{move || t().notices_stop}</button>
                    </ActionForm>
                })}
            }.into_any() }}
        </section>
    }
}
