//! The leadership dashboard: office leadership, province and national viewers, each within
//! their jurisdiction.

use leptos::prelude::*;

use crate::{
    error::AppError,
    i18n::Locale,
    types::stats::{Dashboard, StatsQuery},
};

/// The dashboard for the filters in `query`, with chart labels in `locale`.
#[server(endpoint = "stats/dashboard")]
pub async fn get_dashboard(
    // A dashboard with no filter has no `query` field in the encoded arguments at all.
    #[server(default)] query: StatsQuery,
    locale: Locale,
) -> Result<Dashboard, AppError> {
    super::with_status(
        async {
            let user = super::current_user().await?;
            let db = crate::backend::state::db()?;
            crate::backend::stats::dashboard::dashboard(
                &db,
                &user,
                &query,
                locale,
                chrono::Utc::now(),
            )
            .await
        }
        .await,
    )
}
