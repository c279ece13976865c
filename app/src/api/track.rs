//! The public status lookup by code and PIN, and the citizen's feedback on a delivered case.

use leptos::prelude::*;

use crate::{error::AppError, types::TrackView};

#[cfg(feature = "ssr")]
fn limit() -> Result<crate::backend::rate_limit::RateLimiter, AppError> {
    Ok(crate::backend::state::app_state()?.track_limiter)
}

/// A case's status for the holder of its code and PIN. Wrong codes and wrong PINs both answer
/// "not found"; past the rate limit, 429 with the seconds to wait.
#[server(endpoint = "track/lookup")]
pub async fn track_case(code: String, pin: String) -> Result<TrackView, AppError> {
    let state = crate::backend::state::app_state()?;
    let (ip, _) = super::request_origin();
    let result = crate::backend::track::lookup(
        &state.db,
        &state.track_limiter,
        &state.reference,
        &code,
        &pin,
        ip.as_deref(),
        chrono::Utc::now(),
    )
    .await;
    if let Err(AppError::RateLimited { retry_after_secs }) = &result {
        if let (Some(options), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::HeaderValue::from_str(&retry_after_secs.to_string()),
        ) {
            options.insert_header(axum::http::header::RETRY_AFTER, value);
        }
    }
    super::with_status(result)
}

/// A 1–5 rating and a comment from the plain form on the track page. The PIN travels in the form
/// body only: afterwards the browser goes to the case's PIN page, never to a URL holding it.
#[server(endpoint = "track/feedback")]
pub async fn send_feedback(
    code: String,
    pin: String,
    rating: Option<String>,
    comment: Option<String>,
) -> Result<(), AppError> {
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = crate::backend::track::leave_feedback(
        &db,
        &limit()?,
        &code,
        &pin,
        rating.as_deref().unwrap_or(""),
        comment.as_deref(),
        ip.as_deref(),
        chrono::Utc::now(),
    )
    .await;
    let page = match crate::domain::RegistrationCode::parse(&code) {
        Ok(c) => format!("/track/{}", c.as_str()),
        Err(_) => "/track".to_string(),
    };
    match result {
        Ok(()) => {
            leptos_axum::redirect(&format!("{page}?feedback=thanks"));
            Ok(())
        }
        Err(err) => {
            let key = match &err {
                AppError::Validation(fields) => fields
                    .first()
                    .map(|f| f.key.as_str())
                    .unwrap_or("err_validation"),
                AppError::IllegalTransition(key) => key.as_str(),
                AppError::NotFound => "track_not_found",
                other => other.text_key(),
            };
            let retry = match &err {
                AppError::RateLimited { retry_after_secs } => format!("&retry={retry_after_secs}"),
                _ => String::new(),
            };
            super::fail_to(&format!("{page}?error={key}{retry}"), err)
        }
    }
}
