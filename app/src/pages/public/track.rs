//! `/track` and `/track/{code}`: the public status lookup by code and PIN. A plain GET form, so
//! it works without JavaScript; the PIN page of `/track/{code}` is the receipt's QR target.

mod feedback;
mod recent;
mod result;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::track::track_case,
    error::AppError,
    format::format_number,
    i18n::{fill, use_locale, use_texts},
};

#[component]
pub fn TrackPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let path_code = move || params.with(|p| p.get("code"));
    let code = move || {
        path_code()
            .or_else(|| query.with(|q| q.get("code")))
            .unwrap_or_default()
    };
    // A lookup happens once the form was sent, i.e. a `pin` parameter is present.
    let pin = move || query.with(|q| q.get("pin"));
    let lookup = Resource::new(
        move || (code(), pin()),
        |(code, pin)| async move {
            match pin {
                Some(pin) => Some(track_case(code, pin).await),
                None => None,
            }
        },
    );
    let notice = move || {
        query.with(|q| {
            if q.get("feedback").as_deref() == Some("thanks") {
                return Some((false, t().feedback_thanks.to_string()));
            }
            let key = q.get("error")?;
            let text = match (key.as_str(), q.get("retry")) {
                ("err_rate_limited", Some(secs)) => rate_text(secs.parse().unwrap_or(60)),
                _ => t().get(&key).unwrap_or(t().err_bad_request).to_string(),
            };
            Some((true, text))
        })
    };
    view! {
        <Title text=move || t().track_title />
        // The PIN may be in this page's address: never send it on to another site.
        <Meta name="referrer" content="no-referrer" />
        <Meta name="robots" content="noindex" />
        {move || notice().map(|(is_error, text)| view! {
            <p class=if is_error { "error" } else { "ok" } role="status" data-testid="track-notice">{text}</p>
        })}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || lookup.get().map(|found| match found {
                Some(Ok(view)) => view! { <result::TrackResult view /> }.into_any(),
                Some(Err(err)) => view! {
                    <TrackForm code=code() fixed=path_code().is_some() error=Some(err) />
                }.into_any(),
                None => view! {
                    <TrackForm code=code() fixed=path_code().is_some() error=None />
                    <recent::RecentCodes />
                }.into_any(),
            })}
        </Suspense>
    }
}

/// "Please wait N minutes", rounded up, in the page's language.
fn rate_text(retry_after_secs: u64) -> String {
    let t = use_texts();
    let locale = use_locale();
    let minutes = retry_after_secs.div_ceil(60).max(1) as i64;
    fill(
        t().track_rate_limited,
        &[("n", &format_number(minutes, locale.get()))],
    )
}

/// The code and PIN form; with `fixed`, the code comes from the address and only the PIN is asked.
#[component]
fn TrackForm(code: String, fixed: bool, error: Option<AppError>) -> impl IntoView {
    let t = use_texts();
    let field_error = |field: &'static str| {
        let key = match &error {
            Some(AppError::Validation(fields)) => fields
                .iter()
                .find(|f| f.field == field)
                .map(|f| f.key.clone()),
            _ => None,
        };
        key.map(|key| {
            let testid = format!("err-{field}");
            view! { <span class="field-error" data-testid=testid>{move || t().get(&key).unwrap_or_default()}</span> }
        })
    };
    let code_error = field_error("code");
    let pin_error = field_error("pin");
    let message = match &error {
        Some(AppError::NotFound) => Some(t().track_not_found.to_string()),
        Some(AppError::RateLimited { retry_after_secs }) => Some(rate_text(*retry_after_secs)),
        Some(AppError::Validation(_)) | None => None,
        Some(other) => Some(
            t().get(other.text_key())
                .unwrap_or(t().err_internal)
                .to_string(),
        ),
    };
    let shown_code = code.clone();
    view! {
        <h1>{move || t().track_title}</h1>
        {message.map(|m| view! { <p class="error" role="alert" data-testid="track-error">{m}</p> })}
        <form method="get" action="/track" class="card stack narrow" data-testid="track-form">
            {if fixed {
                view! {
                    <p>{move || fill(t().track_pin_for, &[("code", &shown_code)])}{code_error}</p>
                    <input type="hidden" name="code" value=code.clone() />
                }.into_any()
            } else {
                view! {
                    <p class="lede">{move || t().track_lede}</p>
                    <label>{move || t().track_code}
                        <input name="code" value=code.clone() inputmode="numeric" autocomplete="off" maxlength="20" required />
                        {code_error}
                    </label>
                }.into_any()
            }}
            <label>{move || t().track_pin}
                <input name="pin" inputmode="numeric" autocomplete="off" maxlength="12" required />
                {pin_error}
            </label>
            <button type="submit" class="primary" data-testid="track-submit">{move || t().track_submit}</button>
        </form>
    }
}
