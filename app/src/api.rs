//! Server functions, one module per area. Each checks the caller, then calls one backend service.

pub mod admin;
pub mod apply;
pub mod auth;
pub mod cases;
pub mod catalogue;
pub mod complaints;
pub mod offices;
pub mod prefs;
pub mod public;
pub mod quality_audits;
pub mod reports;
pub mod stats;
pub mod track;

#[cfg(feature = "ssr")]
use crate::error::AppError;

/// Gives a server function's error its HTTP status, since server functions answer 500 otherwise.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(
                axum::http::StatusCode::from_u16(err.status())
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}

/// The session token from the request's cookie.
#[cfg(feature = "ssr")]
pub(crate) fn session_token() -> Option<String> {
    request_cookie(crate::backend::auth::SESSION_COOKIE)
}

/// A cookie of the current request, when present and not empty.
#[cfg(feature = "ssr")]
pub(crate) fn request_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    header
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Whether the request is a plain HTML form post (no JavaScript), which expects a page back.
#[cfg(feature = "ssr")]
pub(crate) fn is_plain_form() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The client's address and user agent, for the audit log.
#[cfg(feature = "ssr")]
pub(crate) fn request_origin() -> (Option<String>, Option<String>) {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return (None, None);
    };
    let ip = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (ip, agent)
}

/// The signed-in user, or 401.
#[cfg(feature = "ssr")]
pub(crate) async fn current_user() -> Result<crate::backend::auth::CurrentUser, AppError> {
    let token = session_token().ok_or(AppError::Unauthorized)?;
    let db = crate::backend::state::db()?;
    crate::backend::auth::session_user(&db, &token, chrono::Utc::now())
        .await?
        .ok_or(AppError::Unauthorized)
}

#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(cookie: &str) {
    let secure = crate::backend::state::app_state()
        .map(|s| s.settings.secure_cookies)
        .unwrap_or(false);
    let value = if secure {
        format!("{cookie}; Secure")
    } else {
        cookie.to_string()
    };
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&value),
    ) {
        options.append_header(axum::http::header::SET_COOKIE, value);
    }
}

/// Answers an error by sending the browser to `path`: a plain form post gets a 302 there, and a
/// hydrated page gets the error status plus leptos's redirect header, so both end on the page
/// that explains the error.
#[cfg(feature = "ssr")]
pub(crate) fn fail_to<T>(path: &str, err: AppError) -> Result<T, AppError> {
    leptos_axum::redirect(path);
    if is_plain_form() {
        Err(err)
    } else {
        with_status(Err(err))
    }
}

/// The error's message key (and field, for validation) for the page to show after a redirect.
#[cfg(feature = "ssr")]
pub(crate) fn error_param(err: &AppError) -> String {
    match err {
        AppError::Validation(fields) => fields.first().map(|f| f.key.clone()).unwrap_or_default(),
        AppError::IllegalTransition(key) => key.clone(),
        other => other.text_key().to_string(),
    }
}

/// Sends a plain form post back to its form with what was typed (`kept`, never passwords) and
/// one `err_<field>` per problem, so the form shows each message beside its field without
/// JavaScript. Errors that concern no field go in `error`. A hydrated page is not redirected:
/// it shows the error beside the fields it still holds, and what was typed stays out of URLs.
#[cfg(feature = "ssr")]
pub(crate) fn back_to_form<T>(
    path: &str,
    mut kept: Vec<(String, String)>,
    err: AppError,
) -> Result<T, AppError> {
    if !is_plain_form() {
        return with_status(Err(err));
    }
    match &err {
        AppError::Validation(fields) => kept.extend(
            fields
                .iter()
                .map(|f| (format!("err_{}", f.field), f.key.clone())),
        ),
        other => kept.push(("error".into(), error_param(other))),
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    fail_to(&format!("{path}{separator}{}", encode_query(&kept)), err)
}

/// `text` with every byte outside the unreserved set percent-encoded, for one part of a URL.
pub(crate) fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `k=v&…` with every key and value percent-encoded.
pub(crate) fn encode_query(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}
