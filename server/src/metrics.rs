//! `GET /metrics` for operators, in Prometheus' text format: requests answered and database
//! statements run by this server. Statements per request is the figure the lookup and
//! staff-page benchmarks report, and where a regression in round trips shows first.

use std::sync::atomic::Ordering;

use app::backend::state::AppState;
use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::IntoResponse,
};

pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> axum::response::Response {
    state.counters.requests.fetch_add(1, Ordering::Relaxed);
    next.run(request).await
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let c = &state.counters;
    let body = format!(
        "# TYPE owso_http_requests_total counter\nowso_http_requests_total {}\n\
         # TYPE owso_db_statements_total counter\nowso_db_statements_total {}\n\
         # TYPE owso_db_statements_failed_total counter\nowso_db_statements_failed_total {}\n",
        c.requests.load(Ordering::Relaxed),
        c.statements.load(Ordering::Relaxed),
        c.failed_statements.load(Ordering::Relaxed),
    );
    (
        [
            (header::CONTENT_TYPE, "text/plain; version=0.0.4"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
}
