//! JSON API v1 for mobile apps and other ministries' systems. Bearer tokens from
//! `owso token create`; the same backend services, role and jurisdiction rules as the pages.

use std::net::SocketAddr;

use app::{
    backend::{auth, cases, inbox, state::AppState, stats, track, workflow},
    error::AppError,
    types::{stats::StatsQuery, ActionRequest, NewCaseRequest},
};
use axum::{
    extract::{ConnectInfo, FromRequestParts, Path, Query, State},
    http::{header, request::Parts, StatusCode},
    response::IntoResponse,
    routing::{get, post},
    Json, Router,
};
use chrono::Utc;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/cases", post(create_case))
        .route("/api/v1/cases/{code}", get(get_case))
        .route("/api/v1/cases/{code}/actions", post(act))
        .route("/api/v1/inbox", get(get_inbox))
        .route("/api/v1/track", post(track_case))
        .route("/api/v1/stats", get(get_stats))
}

/// The caller behind `Authorization: Bearer <token>`.
pub struct ApiUser {
    pub user: auth::CurrentUser,
    pub ip: Option<String>,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let user = auth::token_user(&state.db, token)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ApiUser { user, ip })
    }
}

async fn create_case(
    State(state): State<AppState>,
    caller: ApiUser,
    Json(request): Json<NewCaseRequest>,
) -> Result<impl IntoResponse, AppError> {
    let created = cases::register(
        &state.db,
        cases::Registrar::FrontDesk(&caller.user),
        request,
        &state.settings.public_url,
        caller.ip,
        Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn get_case(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    Ok(Json(cases::detail(&state.db, &caller.user, &code).await?))
}

async fn act(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(code): Path<String>,
    Json(request): Json<ActionRequest>,
) -> Result<impl IntoResponse, AppError> {
    Ok(Json(
        workflow::act(
            &state.db,
            &caller.user,
            &code,
            request,
            &state.settings.public_url,
            caller.ip,
            Utc::now(),
        )
        .await?,
    ))
}

#[derive(Deserialize)]
struct InboxQuery {
    q: Option<String>,
    page: Option<u64>,
}

async fn get_inbox(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<InboxQuery>,
) -> Result<impl IntoResponse, AppError> {
    let page = query.page.unwrap_or(1).clamp(1, 100_000);
    Ok(Json(
        inbox::inbox(
            &state.db,
            &caller.user,
            query.q.as_deref(),
            page,
            Utc::now(),
        )
        .await?,
    ))
}

#[derive(Deserialize)]
struct TrackRequest {
    code: String,
    pin: String,
}

/// Public: a case's status for the holder of its code and PIN, under the same rate limit and
/// the same generic "not found" as the `/track` page. A POST with both in the body, so that no
/// URL (history, proxy or access log) ever holds a PIN.
async fn track_case(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Json(body): Json<TrackRequest>,
) -> Result<impl IntoResponse, AppError> {
    let ip = addr.ip().to_string();
    Ok(Json(
        track::lookup(
            state.reader(),
            &state.track_limiter,
            &state.reference,
            &body.code,
            &body.pin,
            Some(&ip),
            Utc::now(),
        )
        .await?,
    ))
}

/// The dashboard's tiles and revenue by district, scoped to the token's user.
async fn get_stats(
    State(state): State<AppState>,
    caller: ApiUser,
    Query(query): Query<StatsQuery>,
) -> Result<impl IntoResponse, AppError> {
    Ok(Json(
        stats::dashboard::summary(&state.db, &caller.user, &query, Utc::now()).await?,
    ))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}

/// The OpenAPI 3 description, with an example request per operation that works on demo data.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");
