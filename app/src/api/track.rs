//! The public status lookup by code and PIN, and the citizen's feedback on a delivered case.

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::{GrantedTrack, TrackView},
};

#[cfg(feature = "ssr")]
fn limit() -> Result<crate::backend::rate_limit::RateLimiter, AppError> {
    Ok(crate::backend::state::app_state()?.track_limiter)
}

/// The cookie holding this browser's lookup grant (see `backend::track::grant`).
pub const TRACK_COOKIE: &str = "owso_track";
/// The cookie holding the handle of a new application's PIN, shown once on its status page.
pub const NEW_PIN_COOKIE: &str = "owso_new_pin";

#[cfg(feature = "ssr")]
fn grant_token() -> Option<String> {
    super::request_cookie(TRACK_COOKIE)
}

/// A case's status for the holder of its code and PIN. Wrong codes and wrong PINs both answer
/// "not found"; past the rate limit, 429 with the seconds to wait. The form posts here, so the
/// PIN travels in the request body only. A right PIN also earns the browser a short-lived grant
/// in an HttpOnly cookie, and the browser is sent on to `/track/{code}`, which the grant opens:
/// with JavaScript the page follows in place, without it the browser loads that page.
#[server(endpoint = "track/lookup")]
pub async fn track_case(code: String, pin: String) -> Result<TrackView, AppError> {
    let state = crate::backend::state::app_state()?;
    let (ip, _) = super::request_origin();
    let now = chrono::Utc::now();
    let result = crate::backend::track::lookup(
        state.reader(),
        &state.track_limiter,
        &state.reference,
        &code,
        &pin,
        ip.as_deref(),
        now,
    )
    .await;
    match result {
        Ok(view) => {
            grant_browser(&state.db, &view.code, None, now).await?;
            super::redirect(&super::path_of(&["track", &view.code]));
            Ok(view)
        }
        Err(err) => {
            if let AppError::RateLimited { retry_after_secs } = &err {
                if let (Some(options), Ok(value)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    axum::http::HeaderValue::from_str(&retry_after_secs.to_string()),
                ) {
                    options.insert_header(axum::http::header::RETRY_AFTER, value);
                }
            }
            if super::is_plain_form() {
                super::fail_to(&track_page(&code, &err), err)
            } else {
                super::with_status(Err(err))
            }
        }
    }
}

/// The status of `code` for this browser, when it holds a grant from a lookup of that code;
/// "not found" otherwise. This is what `/track/{code}` shows.
#[server(endpoint = "track/granted")]
pub async fn track_granted(code: String) -> Result<GrantedTrack, AppError> {
    let state = crate::backend::state::app_state()?;
    let token = grant_token();
    let now = chrono::Utc::now();
    let crate::backend::track::GrantedLookup {
        view,
        notices,
        khqr,
    } = crate::backend::track::lookup_granted(
        state.reader(),
        &state.reference,
        &code,
        token.as_deref(),
        state.settings.notices.telegram.as_ref(),
        now,
    )
    .await?;
    let new_pin = match super::request_cookie(NEW_PIN_COOKIE) {
        Some(handle) => {
            let pin =
                crate::backend::track::take_new_pin(&state.db, &view.code, &handle, now).await?;
            super::set_cookie(&format!(
                "{NEW_PIN_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
            ));
            pin
        }
        None => None,
    };
    Ok(GrantedTrack {
        view,
        new_pin,
        khqr,
        notices,
    })
}

/// The citizen's proof for a change on the status page: the PIN when a client sends one, else
/// the grant of the lookup that opened the page.
#[cfg(feature = "ssr")]
fn proof<'a>(pin: Option<&'a str>, grant: Option<&'a str>) -> crate::backend::track::Proof<'a> {
    use crate::backend::track::Proof;
    match pin.filter(|p| !p.is_empty()) {
        Some(pin) => Proof::Pin(pin),
        None => Proof::Grant(grant),
    }
}

/// Leaves this browser a grant for `code` and, for a new application, its PIN to show once.
#[cfg(feature = "ssr")]
pub(crate) async fn grant_browser(
    db: &sea_orm::DatabaseConnection,
    code: &str,
    new_pin: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let max_age = crate::backend::track::GRANT_MINUTES * 60;
    let token = crate::backend::track::grant(db, code, now).await?;
    super::set_cookie(&format!(
        "{TRACK_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ));
    if let Some(pin) = new_pin {
        let handle = crate::backend::track::keep_new_pin(db, code, pin, now).await?;
        super::set_cookie(&format!(
            "{NEW_PIN_COOKIE}={handle}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
        ));
    }
    Ok(())
}

/// The status page of `code` as typed: built from the parsed code, so nothing else reaches a
/// header, or the blank form when it is no code.
#[cfg(feature = "ssr")]
fn case_page(code: &str) -> String {
    match crate::domain::RegistrationCode::parse(code) {
        Ok(c) => format!("/track/{}", c.as_str()),
        Err(_) => "/track".to_string(),
    }
}

/// Where a failed lookup or rating sends a browser without JavaScript: the code's PIN page (or
/// the blank form) with the message's key. Never the PIN.
#[cfg(feature = "ssr")]
fn track_page(code: &str, err: &AppError) -> String {
    let page = case_page(code);
    let key = match err {
        AppError::Validation(fields) => fields
            .first()
            .map(|f| f.key.as_str())
            .unwrap_or("err_validation"),
        AppError::IllegalTransition(key) => key.as_str(),
        AppError::NotFound => "track_not_found",
        other => other.text_key(),
    };
    let retry = match err {
        AppError::RateLimited { retry_after_secs } => format!("&retry={retry_after_secs}"),
        _ => String::new(),
    };
    format!("{page}?error={key}{retry}")
}

/// A 1–5 rating and a comment from the form on the status page, which proves the case is the
/// citizen's by the grant of the lookup that opened the page (or by the PIN, when a client
/// sends one). Afterwards the browser goes back to the case's page.
#[server(endpoint = "track/feedback")]
pub async fn send_feedback(
    code: String,
    pin: Option<String>,
    rating: Option<String>,
    comment: Option<String>,
) -> Result<(), AppError> {
    let state = crate::backend::state::app_state()?;
    let (ip, _) = super::request_origin();
    let token = grant_token();
    let proof = proof(pin.as_deref(), token.as_deref());
    let result = crate::backend::track::leave_feedback(
        state.reader(),
        &limit()?,
        &code,
        proof,
        rating.as_deref().unwrap_or(""),
        comment.as_deref(),
        ip.as_deref(),
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            super::redirect(&super::with_query(
                &case_page(&code),
                &[("feedback", "thanks")],
            ));
            Ok(())
        }
        Err(err) => {
            let target = track_page(&code, &err);
            super::fail_to(&target, err)
        }
    }
}

/// Stops every message about the case, from the status page; proven by the lookup's grant (or
/// the PIN, for a client that sends one). The browser goes back to the case's page.
#[server(endpoint = "track/stop-notices")]
pub async fn stop_notices(code: String, pin: Option<String>) -> Result<(), AppError> {
    let state = crate::backend::state::app_state()?;
    let (ip, _) = super::request_origin();
    let token = grant_token();
    let proof = proof(pin.as_deref(), token.as_deref());
    let result = crate::backend::track::stop_notices(
        state.reader(),
        &limit()?,
        &code,
        proof,
        ip.as_deref(),
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            super::redirect(&super::with_query(
                &case_page(&code),
                &[("notices", "stopped")],
            ));
            Ok(())
        }
        Err(err) if super::is_plain_form() => super::fail_to(&track_page(&code, &err), err),
        Err(err) => super::with_status(Err(err)),
    }
}
