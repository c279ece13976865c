use leptos::prelude::*;

use crate::{
    error::AppError,
    types::{GeoChoices, SectorServices},
};

/// The whole catalogue, by sector. Public: fees and timelines are published.
#[server(endpoint = "catalogue/list")]
pub async fn list_catalogue() -> Result<Vec<SectorServices>, AppError> {
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::catalogue::sectors_with_services(&db).await)
}

/// Address choices for the levels chosen so far. Public reference data.
#[server(endpoint = "geo/choices")]
pub async fn get_geo_choices(
    province: Option<String>,
    district: Option<String>,
    commune: Option<String>,
) -> Result<GeoChoices, AppError> {
    let db = crate::backend::state::db()?;
    super::with_status(
        crate::backend::geo::choices(
            &db,
            province.as_deref(),
            district.as_deref(),
            commune.as_deref(),
        )
        .await,
    )
}
