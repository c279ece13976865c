//! The one error type of the application, shared by server functions, the JSON API and pages.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

use crate::domain::ParseError;

/// A field the user must correct, and the locale key of the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, key: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            key: key.into(),
        }
    }

    pub fn parse(field: impl Into<String>, error: ParseError) -> Self {
        Self::new(field, error.key())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// Also answered for records outside the caller's jurisdiction, so their existence never leaks.
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("this case was changed by someone else; reload")]
    Conflict,
    /// A unique key refused a second copy: two people recorded the same thing at once.
    #[error("already recorded")]
    Duplicate,
    #[error("{0}")]
    IllegalTransition(String),
    #[error("too many requests; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The detail is logged on the server; users only ever see this generic text.
    #[error("the service is temporarily unavailable")]
    Database,
    #[error("internal error")]
    Internal,
}

impl AppError {
    pub fn field(field: impl Into<String>, key: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, key)])
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Validation(_) => 422,
            AppError::Conflict | AppError::Duplicate => 409,
            AppError::IllegalTransition(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::BadRequest(_) => 400,
            AppError::Database => 503,
            AppError::Internal => 500,
        }
    }

    /// The locale key of the message users see for this error.
    pub fn text_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "err_not_found",
            AppError::Unauthorized => "err_unauthorized",
            AppError::Forbidden => "err_forbidden",
            AppError::Validation(_) => "err_validation",
            AppError::Conflict => "err_conflict",
            AppError::Duplicate => "err_duplicate",
            AppError::IllegalTransition(_) => "err_illegal_transition",
            AppError::RateLimited { .. } => "err_rate_limited",
            AppError::BadRequest(_) => "err_bad_request",
            AppError::Database | AppError::Internal => "err_internal",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::BadRequest(msg)
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Database,
            _ => AppError::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AppError;

    impl From<sea_orm::DbErr> for AppError {
        fn from(err: sea_orm::DbErr) -> Self {
            // A unique key refusing a row is a race between two users, not an outage: the loser
            // hears that someone was first (409), and only real failures answer 503.
            if let Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
                tracing::info!(detail, "unique key refused a duplicate");
                return AppError::Duplicate;
            }
            tracing::error!(error = %err, "database error");
            AppError::Database
        }
    }

    impl From<sea_orm::TransactionError<AppError>> for AppError {
        fn from(err: sea_orm::TransactionError<AppError>) -> Self {
            match err {
                sea_orm::TransactionError::Connection(db) => db.into(),
                sea_orm::TransactionError::Transaction(app) => app,
            }
        }
    }

    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(self.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, axum::Json(&self)).into_response();
            if let AppError::RateLimited { retry_after_secs } = self {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_wire_format() {
        assert_eq!(AppError::Conflict.status(), 409);
        assert_eq!(AppError::IllegalTransition("x".into()).status(), 422);
        assert_eq!(
            AppError::RateLimited {
                retry_after_secs: 5
            }
            .status(),
            429
        );
        let json = serde_json::to_string(&AppError::field("phone", "err_bad_phone")).unwrap();
        assert_eq!(
            json,
            r#"{"error":"validation","detail":[{"field":"phone","key":"err_bad_phone"}]}"#
        );
        let back: AppError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, AppError::field("phone", "err_bad_phone"));
    }
}
