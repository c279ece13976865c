//! `/stats/export/<chart>.csv`: a dashboard chart's table with the page's filters and scoping.

use app::{
    backend::{state::AppState, stats::dashboard},
    error::AppError,
    types::stats::StatsQuery,
};
use axum::{
    extract::{Path, Query, State},
    response::IntoResponse,
    routing::get,
    Router,
};
use chrono::Utc;

use crate::session::{csv_response, SessionCaller};

pub fn routes() -> Router<AppState> {
    Router::new().route("/stats/export/{file}", get(chart_csv))
}

async fn chart_csv(
    State(state): State<AppState>,
    caller: SessionCaller,
    Path(file): Path<String>,
    Query(query): Query<StatsQuery>,
) -> Result<impl IntoResponse, AppError> {
    let chart = file.strip_suffix(".csv").ok_or(AppError::NotFound)?;
    let body = dashboard::export_csv(
        &state.db,
        &caller.user,
        chart,
        &query,
        caller.locale,
        Utc::now(),
    )
    .await?;
    let year = query.year.as_deref().unwrap_or("").trim();
    let name = if year.chars().all(|c| c.is_ascii_digit()) && !year.is_empty() {
        format!("owso-{chart}-{year}.csv")
    } else {
        format!("owso-{chart}.csv")
    };
    Ok(csv_response(&name, body))
}
