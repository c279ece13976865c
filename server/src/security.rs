//! Request guards and response headers that apply to every route (OWASP ASVS 5.0 level 2):
//! cross-site request refusal, a body size limit, security headers, and the right status for
//! server-function errors.

use app::{backend::csp, error::AppError};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::backend::state::AppState;

/// The largest request body accepted. The biggest real form (a service's documents in two
/// languages) is a few kilobytes; anything near this is an attack or a mistake.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Refuses a state-changing request that a browser sent from another site.
///
/// Browsers label every request with `Sec-Fetch-Site` and cross-origin posts with `Origin`;
/// an attacker's page cannot forge either. Requests with neither come from non-browser clients
/// (the JSON API with a bearer token, curl), which carry no ambient cookie to abuse.
pub fn is_cross_site(method: &Method, headers: &HeaderMap, public_url: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text("origin") else {
        return false;
    };
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let Some(origin_host) = origin_host else {
        // `null` (sandboxed frames, file: pages) or garbage.
        return true;
    };
    let same_as_host = text("host").is_some_and(|host| host.eq_ignore_ascii_case(origin_host));
    let same_as_public = public_url.eq_ignore_ascii_case(origin);
    !(same_as_host || same_as_public)
}

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_cross_site(
        request.method(),
        request.headers(),
        &state.settings.public_url,
    ) {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            "refused a cross-site request"
        );
        return AppError::Forbidden.into_response();
    }
    next.run(request).await
}

/// Adds the security headers every response needs, without overriding a page's own policy.
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let defaults: [(header::HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Same-origin referers keep plain form posts returning to their page; other sites
        // learn nothing of our URLs (which can carry case codes).
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in defaults {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(csp::NON_PAGE_POLICY));
    if state.settings.secure_cookies {
        headers
            .entry(header::STRICT_TRANSPORT_SECURITY)
            .or_insert(HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// Server functions answer every error with 500 unless the function set a status itself; this
/// gives arguments that fail to decode (bad UTF-8, missing fields) and every other `AppError`
/// the status the error stands for.
pub async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let is_server_fn =
        request.uri().path().starts_with("/api/") && !request.uri().path().starts_with("/api/v1/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return AppError::Internal.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A panic anywhere below answers a logged 500 page instead of a dropped connection. The
/// message goes to the log only: it may hold what a user typed.
pub fn catch_panics(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    tower_http::catch_panic::CatchPanicLayer::custom(panic_page as fn(_) -> Response)
}

fn panic_page(panic: Box<dyn std::any::Any + Send>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request panicked; answered 500");
    let (km, en) = (
        app::i18n::Locale::Km.texts().err_internal,
        app::i18n::Locale::En.texts().err_internal,
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!(
            "<!doctype html><html lang=\"km\"><meta charset=\"utf-8\"><title>500</title>\
             <h1>{km}</h1><p lang=\"en\">{en}</p><p><a href=\"/\">OWSO</a></p></html>"
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    const PUBLIC: &str = "https://owso.gov.kh";

    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_the_server_goes_on() {
        use tower::ServiceExt;
        let router = axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    panic!("boom");
                    #[allow(unreachable_code)]
                    ""
                }),
            )
            .route("/fine", axum::routing::get(|| async { "ok" }))
            .layer(catch_panics());
        let call = |path: &'static str| {
            router.clone().oneshot(
                axum::http::Request::get(path)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
        };
        assert_eq!(
            call("/boom").await.unwrap().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(call("/fine").await.unwrap().status(), StatusCode::OK);
    }

    #[test]
    fn reads_are_never_refused() {
        let h = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(!is_cross_site(&Method::GET, &h, PUBLIC));
    }

    #[test]
    fn browser_labels_decide_first() {
        for (site, refused) in [
            ("same-origin", false),
            ("none", false),
            ("same-site", true),
            ("cross-site", true),
        ] {
            let h = headers(&[("sec-fetch-site", site), ("host", "owso.gov.kh")]);
            assert_eq!(is_cross_site(&Method::POST, &h, PUBLIC), refused, "{site}");
        }
    }

    #[test]
    fn origin_must_match_the_host_or_the_public_url() {
        let post = |pairs| is_cross_site(&Method::POST, &headers(pairs), PUBLIC);
        assert!(!post(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(!post(&[
            ("origin", "https://owso.gov.kh"),
            ("host", "10.0.0.5:3000")
        ]));
        assert!(post(&[
            ("origin", "https://evil.example"),
            ("host", "owso.gov.kh")
        ]));
        assert!(post(&[("origin", "null"), ("host", "owso.gov.kh")]));
        assert!(post(&[
            ("origin", "https://owso.gov.kh.evil.example"),
            ("host", "owso.gov.kh")
        ]));
        // Non-browser clients send neither header.
        assert!(!post(&[("host", "owso.gov.kh")]));
    }
}
