use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::cases::get_receipt,
    components::{khqr_card::KhqrCard, page_error::PageError},
    format::{format_date, format_riel},
    i18n::{fill, use_locale, use_texts},
};

/// The receipt handed to the citizen: code, PIN, fee, expected completion and a QR code of the
/// public status page. Printable on A5 or a narrow receipt printer.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let receipt = Resource::new(code, get_receipt);
    // "Register and print" lands here with `?print`: the print dialog opens once the receipt is
    // on screen, and the flag leaves the address so a reload does not print again.
    #[cfg(feature = "hydrate")]
    {
        let query = leptos_router::hooks::use_query_map();
        Effect::new(move |printed: Option<bool>| {
            if printed == Some(true) {
                return true;
            }
            let wanted = query.with(|q| q.get("print").is_some());
            let shown = receipt.with(|r| matches!(r, Some(Ok(_))));
            if !(wanted && shown) {
                return false;
            }
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&format!("/staff/cases/{}/receipt", code())),
                );
            }
            request_animation_frame(print_page);
            true
        });
    }
    view! {
        <Title text=move || t().receipt_title />
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || receipt.get().map(|r| match r {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(r) => {
                    let c = r.case.clone();
                    let fee = c.fee_total;
                    view! {
                        <article class="receipt card" data-testid="receipt">
                            <h1>{move || t().receipt_title}</h1>
                            <p class="office">{let (km, en) = (c.office_name_km.clone(), c.office_name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</p>
                            <dl class="facts">
                                <dt>{move || t().case_code}</dt><dd class="big" data-testid="receipt-code">{c.code.clone()}</dd>
                                <dt>"PIN"</dt><dd class="big" data-testid="receipt-pin">{c.pin.clone()}</dd>
                                <dt>{move || t().case_service}</dt><dd>{let (km, en) = (c.service_name_km.clone(), c.service_name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</dd>
                                <dt>{move || t().case_fee}</dt><dd>{move || format_riel(fee, locale.get())}</dd>
                                <dt>{move || t().case_due}</dt><dd data-testid="receipt-due">{let due = c.due_on; move || format_date(due, locale.get())}</dd>
                            </dl>
                            <div class="qr-pair">
                                <figure class="qr" data-testid="status-qr">
                                    <div inner_html=r.qr_svg.clone()></div>
                                    <figcaption>{move || t().khqr_status_qr}</figcaption>
                                </figure>
                                {r.khqr.clone().map(|khqr| view! { <KhqrCard khqr /> })}
                                {r.telegram_qr_svg.clone().map(|svg| view! {
                                    <figure class="qr" data-testid="receipt-telegram">
                                        <div inner_html=svg></div>
                                        <figcaption>{move || t().receipt_telegram_qr}</figcaption>
                                    </figure>
                                })}
                            </div>
                            {r.notices.sms_phone.clone().map(|phone| view! {
                                <p data-testid="receipt-sms">{move || fill(t().notices_sms_to, &[("phone", &phone)])}</p>
                            })}
                            <p class="track-url">{move || t().receipt_track}" "<a href=r.track_url.clone()>{r.track_url.clone()}</a></p>
                            <p class="no-print">
                                <button type="button" class="primary js-only" data-testid="print-receipt" on:click=move |_| print_page()>{move || t().receipt_print}</button>
                                <span class="nojs-only" data-testid="print-hint">{move || t().receipt_print_hint}</span>
                            </p>
                            <p class="no-print"><a href=format!("/staff/cases/{}", c.code)>{move || t().case_title}" "{c.code.clone()}</a></p>
                        </article>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    let _ = window().print();
}
