//! Short-lived values carried from one request to the next by a random handle in an HttpOnly
//! cookie, never in a URL. The table keeps the handle's SHA-256 only, and each value is bound to
//! one purpose, so a handle issued for one thing opens nothing else.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{
    db::begin_write,
    entities::flash,
    secrets::{new_token, token_digest},
};
use crate::error::AppError;

/// Stores `payload` for `ttl` and returns the handle to put in the cookie. Expired rows of any
/// purpose are swept on the way, so the table stays as small as the values in use. Written in
/// the write turn, like every other write, so SQLite writers queue instead of colliding.
pub async fn put(
    db: &DatabaseConnection,
    purpose: &str,
    payload: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token()?;
    let txn = begin_write(db).await?;
    flash::Entity::delete_many()
        .filter(flash::Column::ExpiresAt.lt(now))
        .exec(&txn)
        .await?;
    flash::Entity::insert(flash::ActiveModel {
        token_hash: Set(token_digest(&token)),
        purpose: Set(purpose.to_string()),
        payload: Set(payload.to_string()),
        expires_at: Set(now + ttl),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// The payload behind `token` for `purpose`, while it has not expired.
pub async fn read(
    db: &impl ConnectionTrait,
    purpose: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    Ok(flash::Entity::find_by_id(token_digest(token))
        .filter(flash::Column::Purpose.eq(purpose))
        .filter(flash::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .map(|f| f.payload))
}

/// A condition, for another table's query, that `token` is a live flash of `purpose` whose
/// payload equals `column`: what [`read`] checks, without a query of its own.
pub fn holds<C: sea_orm::sea_query::IntoColumnRef>(
    purpose: &str,
    token: &str,
    column: C,
    now: DateTime<Utc>,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(flash::Entity)
            .and_where(flash::Column::TokenHash.eq(token_digest(token)))
            .and_where(flash::Column::Purpose.eq(purpose))
            .and_where(flash::Column::ExpiresAt.gt(now))
            .and_where(Expr::col((flash::Entity, flash::Column::Payload)).equals(column))
            .to_owned(),
    )
}

/// The payload behind `token` for `purpose`, removed as it is read, so it is shown once.
pub async fn take(
    db: &DatabaseConnection,
    purpose: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let txn = begin_write(db).await?;
    let found = read(&txn, purpose, token, now).await?;
    if found.is_some() {
        flash::Entity::delete_by_id(token_digest(token))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(found)
}

/// The purpose of what a plain form post typed, kept for the form it is sent back to.
const KEPT_PURPOSE: &str = "kept";

/// How long the values wait for the browser to follow its redirect.
pub const KEPT_MINUTES: i64 = 10;

#[derive(serde::Serialize, serde::Deserialize)]
struct KeptPayload {
    path: String,
    values: Vec<(String, String)>,
}

/// Keeps `values` for the page at `path` (its path, without the query) and returns the handle.
pub async fn keep_form(
    db: &DatabaseConnection,
    path: &str,
    values: Vec<(String, String)>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let payload = serde_json::to_string(&KeptPayload {
        path: path_only(path).to_string(),
        values,
    })
    .map_err(|_| AppError::Internal)?;
    put(
        db,
        KEPT_PURPOSE,
        &payload,
        Duration::minutes(KEPT_MINUTES),
        now,
    )
    .await
}

/// The values kept under `handle` for the page at `path`, removed as they are read. Values kept
/// for another page are removed too: they were meant for one page view.
pub async fn take_form(
    db: &DatabaseConnection,
    handle: &str,
    path: &str,
    now: DateTime<Utc>,
) -> Result<Option<Vec<(String, String)>>, AppError> {
    let Some(payload) = take(db, KEPT_PURPOSE, handle, now).await? else {
        return Ok(None);
    };
    Ok(serde_json::from_str::<KeptPayload>(&payload)
        .ok()
        .filter(|kept| kept.path == path_only(path))
        .map(|kept| kept.values))
}

fn path_only(target: &str) -> &str {
    target.split('?').next().unwrap_or(target)
}
