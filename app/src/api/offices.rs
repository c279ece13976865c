use leptos::prelude::*;

use crate::{
    error::AppError,
    types::{HomeFigures, ProvinceOffices},
};

/// Every office, grouped by province in NCDD code order. Public.
#[server(endpoint = "offices/list")]
pub async fn list_offices() -> Result<Vec<ProvinceOffices>, AppError> {
    use crate::backend::{offices, state::db};
    super::with_status(offices::grouped_by_province(&db()?).await)
}

/// Counts shown on the home page. Public.
#[server(endpoint = "home/figures")]
pub async fn get_home_figures() -> Result<HomeFigures, AppError> {
    use crate::backend::{offices, state::db};
    super::with_status(offices::home_figures(&db()?).await)
}
