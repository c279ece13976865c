//! Fixed-window request counters in the `rate_hits` table. One upsert counts a hit atomically on
//! both engines, so several servers sharing the database enforce one limit together.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::settings::RateLimit;
use crate::error::AppError;

/// Counts one request by `key` (a client address) in `bucket`; refuses it, with the seconds
/// until the window ends, once the window's limit is spent.
pub async fn hit(
    db: &DatabaseConnection,
    bucket: &str,
    key: &str,
    limit: RateLimit,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let window = limit.window_secs.max(1) as i64;
    let now_secs = now.timestamp();
    let window_start = now_secs - now_secs.rem_euclid(window);
    let key: String = key.chars().take(64).collect();
    let backend = db.get_database_backend();
    let p = |n: usize| {
        if backend == sea_orm::DatabaseBackend::Postgres {
            format!("${n}")
        } else {
            "?".to_string()
        }
    };
    let sql = format!(
        "INSERT INTO rate_hits (bucket, client, window_start, count) VALUES ({}, {}, {}, 1) \
         ON CONFLICT (bucket, client, window_start) DO UPDATE SET count = rate_hits.count + 1 \
         RETURNING count",
        p(1),
        p(2),
        p(3)
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [bucket.into(), key.into(), window_start.into()],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let count: i32 = row.try_get("", "count")?;
    if count == 1 {
        // The first hit of a window clears finished windows, so the table stays small without a
        // separate cleaning job.
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "DELETE FROM rate_hits WHERE bucket = {} AND window_start < {}",
                p(1),
                p(2)
            ),
            [bucket.into(), (window_start - window).into()],
        ))
        .await?;
    }
    if count as i64 > limit.max as i64 {
        return Err(AppError::RateLimited {
            retry_after_secs: (window_start + window - now_secs).max(1) as u64,
        });
    }
    Ok(())
}
