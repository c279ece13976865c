//! Gives a form's page back what its plain post typed. The values wait in the flash store
//! behind the `owso_kept` cookie (never in the address); a page view of the form they were kept
//! for takes them, once, into the request's extensions, where the page reads them.

use app::{backend::state::AppState, types::KeptValues};
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::Response,
};

pub async fn take_kept_values(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let handle = (request.method() == Method::GET)
        .then(|| cookie(request.headers(), app::types::KEPT_COOKIE))
        .flatten();
    let Some(handle) = handle else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_string();
    // Asset and API requests of the page do not consume what the page itself needs.
    if path.starts_with("/pkg/") || path.starts_with("/api/") {
        return next.run(request).await;
    }
    match app::backend::flash::take_form(&state.db, &handle, &path, chrono::Utc::now()).await {
        Ok(Some(values)) => {
            request.extensions_mut().insert(KeptValues(values));
        }
        Ok(None) => {}
        Err(err) => tracing::warn!(error = %err, "kept form values could not be read"),
    }
    let mut response = next.run(request).await;
    let expired = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        app::types::KEPT_COOKIE
    );
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_string())
}
