//! Server functions, one module per area. Each checks the caller, then calls one backend service.

pub mod offices;
pub mod prefs;

#[cfg(feature = "ssr")]
use crate::error::AppError;

/// Gives a server function's error its HTTP status, since server functions answer 500 otherwise.
#[cfg(feature = "ssr")]
pub(crate) fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            options.set_status(
                axum::http::StatusCode::from_u16(err.status())
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    result
}
