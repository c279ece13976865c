//! Server functions, one module per area. Each checks the caller, then calls one backend service.

pub mod admin;
pub mod apply;
pub mod auth;
pub mod cases;
pub mod catalogue;
pub mod complaints;
pub mod notices;
pub mod offices;
pub mod payments;
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
    let now = chrono::Utc::now();
    let memo = leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<crate::backend::auth::SessionMemo>()
            .cloned()
    });
    match memo {
        Some(memo) => memo.user(&db, &token, now).await,
        None => crate::backend::auth::session_user(&db, &token, now).await,
    }?
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
    redirect(path);
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

/// Sends a plain form post back to its form with one `err_<field>` per problem in the address,
/// so the form shows each message beside its field without JavaScript. Errors that concern no
/// field go in `error`. What was typed (`kept`, never passwords) may hold ID-card numbers,
/// phones and dates of birth, so it never goes in the address: it waits in the flash store
/// behind an HttpOnly cookie, read once by the form's page (`form_feedback::use_form_values`).
/// A hydrated page is not redirected: it shows the error beside the fields it still holds.
#[cfg(feature = "ssr")]
pub(crate) async fn back_to_form<T>(
    path: &str,
    kept: Vec<(String, String)>,
    err: AppError,
) -> Result<T, AppError> {
    if !is_plain_form() {
        return with_status(Err(err));
    }
    let mut params: Vec<(String, String)> = Vec::new();
    match &err {
        AppError::Validation(fields) => params.extend(
            fields
                .iter()
                .map(|f| (format!("err_{}", f.field), f.key.clone())),
        ),
        other => params.push(("error".into(), error_param(other))),
    }
    keep_for_page(path, kept).await?;
    let separator = if path.contains('?') { '&' } else { '?' };
    fail_to(&format!("{path}{separator}{}", encode_query(&params)), err)
}

/// Keeps `values` for the next view of the page at `path`, behind the `owso_kept` cookie.
#[cfg(feature = "ssr")]
pub(crate) async fn keep_for_page(
    path: &str,
    values: Vec<(String, String)>,
) -> Result<(), AppError> {
    if values.is_empty() {
        return Ok(());
    }
    let db = crate::backend::state::db()?;
    let handle = crate::backend::flash::keep_form(&db, path, values, chrono::Utc::now()).await?;
    set_cookie(&format!(
        "{}={handle}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        crate::types::KEPT_COOKIE,
        crate::backend::flash::KEPT_MINUTES * 60
    ));
    Ok(())
}

/// Sends the browser to `target`: the one way server functions redirect. `leptos_axum::redirect`
/// panics on a value that cannot be a header (a newline, a NUL), which drops the connection; a
/// target built from typed text is never trusted to be clean, so such a target is logged and the
/// browser goes home instead. Build targets with `path_of` and `encode_query`.
#[cfg(feature = "ssr")]
pub(crate) fn redirect(target: &str) {
    if http::HeaderValue::from_str(target).is_ok() && target.starts_with('/') {
        leptos_axum::redirect(target);
    } else {
        tracing::error!(
            length = target.len(),
            "a redirect target that is not a clean local path"
        );
        leptos_axum::redirect("/");
    }
}

/// `/a/b/c` from path segments, each percent-encoded, so a typed value cannot add a segment
/// (`../`), a query or a header line.
#[cfg(feature = "ssr")]
pub(crate) fn path_of(segments: &[&str]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", encode_component(s)))
        .collect()
}

/// `path?k=v&…` with the parameters encoded; `path` alone when there are none.
#[cfg(feature = "ssr")]
pub(crate) fn with_query(path: &str, params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        return path.to_string();
    }
    let owned: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}{}", encode_query(&owned))
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn hostile_segments_stay_inside_their_segment() {
        assert_eq!(
            path_of(&["audits", "7", "cases", "../x"]),
            "/audits/7/cases/..%2Fx"
        );
        assert_eq!(path_of(&["a\nb"]), "/a%0Ab");
        assert_eq!(path_of(&["\0"]), "/%00");
        let long = "9".repeat(5_000);
        assert_eq!(path_of(&[&long]).len(), 5_001);
        assert_eq!(
            with_query("/x?a=1", &[("saved", "1"), ("code", "\r\n")]),
            "/x?a=1&saved=1&code=%0D%0A"
        );
        assert_eq!(with_query("/x", &[]), "/x");
    }

    /// Every redirect goes through `redirect`, which cannot panic on a bad header value.
    #[test]
    fn no_server_function_calls_leptos_axum_redirect_directly() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("leptos_axum::redirect("),
                "{} calls leptos_axum::redirect directly",
                path.display()
            );
        }
    }
}
