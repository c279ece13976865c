//! The report routes that are not pages: `/reports/open`, where the report form sends the browser
//! on to its period page, and `/reports/{period}.csv`, the report as a spreadsheet, signed in with
//! the same session cookie as the page and built by the same backend service.

use app::{
    backend::{auth, reports, state::AppState},
    error::AppError,
    i18n::{negotiate, Locale},
};
use axum::{
    extract::{Query, Request, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use chrono::Utc;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/open", get(open))
}

#[derive(Debug, Default, Deserialize)]
pub struct UnitQuery {
    year: Option<String>,
    part: Option<String>,
    province: Option<String>,
    office: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// `?province=` or `?office=` for the unit asked, the office when both are.
fn unit_query(q: &UnitQuery) -> String {
    let digits = |v: &str| v.chars().all(|c| c.is_ascii_digit());
    match (given(&q.province), given(&q.office)) {
        (_, Some(o)) if digits(o) => format!("?office={o}"),
        (Some(p), _) if digits(p) => format!("?province={p}"),
        _ => String::new(),
    }
}

/// The report form's target: a GET form cannot put its fields in the path, so this does.
async fn open(Query(q): Query<UnitQuery>) -> Redirect {
    let year = given(&q.year).unwrap_or_default();
    let part = given(&q.part).unwrap_or_default();
    // Only digits and letters go into the address; the period page judges the rest.
    let clean = |s: &str| -> String { s.chars().filter(char::is_ascii_alphanumeric).collect() };
    Redirect::to(&format!(
        "/reports/{}-{}{}",
        clean(year),
        clean(part),
        unit_query(&q)
    ))
}

/// Answers `/reports/{period}.csv` before routing, since the router cannot tell it from the page
/// `/reports/{period}`; every other request goes on.
pub async fn csv_before_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let Some(period) = path
        .strip_prefix("/reports/")
        .and_then(|p| p.strip_suffix(".csv"))
        .filter(|p| !p.contains('/'))
        .map(str::to_string)
    else {
        return next.run(request).await;
    };
    let query: UnitQuery = Query::try_from_uri(request.uri())
        .map(|q| q.0)
        .unwrap_or_default();
    let headers = request.headers().clone();
    csv(&state, &headers, &period, &query).await
}

async fn csv(state: &AppState, headers: &HeaderMap, period: &str, q: &UnitQuery) -> Response {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let locale = negotiate(text(header::COOKIE), text(header::ACCEPT_LANGUAGE));
    let now = Utc::now();
    let user = match session_token(headers) {
        Some(token) => auth::session_user(&state.db, &token, now).await,
        None => Ok(None),
    };
    let user = match user {
        Ok(Some(u)) => u,
        Ok(None) => return failure(AppError::Unauthorized, locale),
        Err(err) => return failure(err, locale),
    };
    match reports::report(
        &state.db,
        &user,
        period,
        given(&q.province),
        given(&q.office),
        now,
    )
    .await
    {
        Ok(report) => {
            let disposition = format!(
                "attachment; filename=\"{}\"",
                reports::csv_file_name(&report)
            );
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition)
                            .unwrap_or(HeaderValue::from_static("attachment")),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                reports::to_csv(&report, locale),
            )
                .into_response()
        }
        Err(err) => failure(err, locale),
    }
}

/// The session token from the request's cookie, as the pages read it.
fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == auth::SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The error's status with its message in the user's language, as plain text: whoever follows a
/// download link gets a sentence, not JSON.
fn failure(err: AppError, locale: Locale) -> Response {
    let t = locale.texts();
    let key = match &err {
        AppError::Validation(fields) => fields.first().map(|f| f.key.as_str()),
        _ => None,
    }
    .unwrap_or(err.text_key());
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        t.get(key).unwrap_or(t.err_bad_request).to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_target_keeps_one_unit() {
        let q = |province: &str, office: &str| UnitQuery {
            province: Some(province.into()),
            office: Some(office.into()),
            ..Default::default()
        };
        assert_eq!(unit_query(&q("12", "")), "?province=12");
        assert_eq!(unit_query(&q("12", "1201")), "?office=1201");
        assert_eq!(unit_query(&q("", "")), "");
        assert_eq!(unit_query(&q("1<x", "")), "");
    }
}
