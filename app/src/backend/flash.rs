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
