//! The public catalogue and office pages. No sign-in: fees, timelines and figures are published.

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::{reports::ScorecardRanking, Catalogue, OfficePage, ServicePage},
};

/// Sectors, and the services of `sector` or matching `q` (Khmer or Latin).
#[server(endpoint = "public/catalogue")]
pub async fn get_catalogue(
    q: Option<String>,
    sector: Option<String>,
) -> Result<Catalogue, AppError> {
    let db = crate::backend::state::db()?;
    let sector = sector.and_then(|s| s.trim().parse::<i32>().ok());
    super::with_status(crate::backend::public::catalogue(&db, q.as_deref(), sector).await)
}

/// One service by id or code.
#[server(endpoint = "public/service")]
pub async fn get_service_page(key: String) -> Result<ServicePage, AppError> {
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::public::service_page(&db, &key).await)
}

/// One office with its services and scorecard.
#[server(endpoint = "public/office")]
pub async fn get_office_page(code: String) -> Result<OfficePage, AppError> {
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::public::office_page(&db, &code, chrono::Utc::now()).await)
}

/// Every active office's scorecard, ranked by `sort` (`rating`, `on_time`, `resolved`), of one
/// province if asked.
#[server(endpoint = "public/scorecard")]
pub async fn get_scorecard_ranking(
    sort: Option<String>,
    province: Option<String>,
) -> Result<ScorecardRanking, AppError> {
    let db = crate::backend::state::db()?;
    let sort = crate::types::reports::ScoreSort::from_id(sort.as_deref().unwrap_or_default());
    super::with_status(
        crate::backend::scorecard::ranking(&db, sort, province.as_deref(), chrono::Utc::now())
            .await,
    )
}
