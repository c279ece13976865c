use leptos::prelude::*;

use crate::{
    format::{format_date_time, format_riel},
    i18n::{use_locale, use_texts},
    types::payments::KhqrView,
};

/// The KHQR a citizen scans to pay the fee, with its amount and expiry in words beside the card
/// (the card itself is an SVG drawn on the server, as NBC's guidelines lay it out).
#[component]
pub fn KhqrCard(khqr: KhqrView) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let KhqrView {
        payload,
        svg,
        amount,
        expires_at,
        ..
    } = khqr;
    view! {
        <figure class="khqr" data-testid="khqr" data-khqr=payload>
            <figcaption>
                <strong>{move || t().khqr_title}</strong>
                <span class="muted">{move || t().khqr_hint}</span>
            </figcaption>
            <div class="khqr-card" role="img" aria-label=move || t().khqr_title inner_html=svg></div>
            <dl class="facts compact">
                <dt>{move || t().khqr_amount}</dt>
                <dd data-testid="khqr-amount">{move || format_riel(amount, locale.get())}</dd>
                <dt>{move || t().khqr_expires}</dt>
                <dd data-testid="khqr-expires">{move || format_date_time(expires_at, locale.get())}</dd>
            </dl>
        </figure>
    }
}
