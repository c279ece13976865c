//! Quarterly and semester reports: office leadership, province and national viewers, within
//! their jurisdiction. The CSV export (`server/src/reports.rs`) calls the same backend service.

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::reports::{Report, ReportChoices},
};

/// The report of `period` (`2026-Q3`, `2026-S1`) over `province` or `office`, or else over the
/// user's own unit.
#[server(endpoint = "reports/report")]
pub async fn get_report(
    period: String,
    province: Option<String>,
    office: Option<String>,
) -> Result<Report, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(
        crate::backend::reports::report(
            &db,
            &user,
            &period,
            province.as_deref(),
            office.as_deref(),
            chrono::Utc::now(),
        )
        .await,
    )
}

/// The periods and units the report form offers the user.
#[server(endpoint = "reports/choices")]
pub async fn get_report_choices() -> Result<ReportChoices, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::reports::choices(&db, &user, chrono::Utc::now()).await)
}
