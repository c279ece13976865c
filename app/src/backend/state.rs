use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use super::settings::Settings;
use crate::error::AppError;

/// Everything a request handler needs, provided to server functions through context.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub options: LeptosOptions,
    pub settings: Arc<Settings>,
    /// The public lookup limit with this server's reserved hits; see `rate_limit`.
    pub track_limiter: super::rate_limit::RateLimiter,
    /// Services, offices and holidays for the public lookup, kept a few seconds.
    pub reference: Arc<super::reference_cache::ReferenceCache>,
    /// Requests and database statements, for `/metrics`.
    pub counters: Arc<super::metrics::Counters>,
    /// The SQLite file for reads on the request thread's own connection; `None` on PostgreSQL.
    pub local: Option<Arc<super::local_reads::LocalSqlite>>,
}

impl AppState {
    /// Where this request's reads go; see `local_reads`.
    pub fn reader(&self) -> super::local_reads::Reader<'_> {
        super::local_reads::Reader::new(&self.db, self.local.as_deref())
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.options.clone()
    }
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// The one way server functions reach the database.
pub fn db() -> Result<DatabaseConnection, AppError> {
    app_state().map(|s| s.db)
}
