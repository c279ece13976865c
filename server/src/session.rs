//! The signed-in user behind a plain (non-server-function) request, such as a CSV download,
//! from the same session cookie the pages use.

use app::{
    backend::{auth, state::AppState},
    error::AppError,
    i18n::{negotiate, Locale},
};
use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use chrono::Utc;

pub struct SessionCaller {
    pub user: auth::CurrentUser,
    pub locale: Locale,
}

impl FromRequestParts<AppState> for SessionCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let cookies = parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok());
        let locale = negotiate(
            cookies,
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        );
        let token = cookies
            .into_iter()
            .flat_map(|h| h.split(';'))
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == auth::SESSION_COOKIE)
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let user = auth::session_user(&state.db, &token, Utc::now())
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(SessionCaller { user, locale })
    }
}

/// A CSV attachment: UTF-8 (the body carries its BOM), never cached by shared caches.
pub fn csv_response(file_name: &str, body: String) -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
}
