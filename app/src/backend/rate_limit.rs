//! Fixed-window request counters in the `rate_hits` table, shared by every server on the
//! database, so several servers enforce one limit together.
//!
//! Writing the counter on every request made each public lookup a serialised write (on SQLite an
//! fsync), which capped lookups at a few hundred a second. A server therefore reserves hits in
//! the database in leases: the first hit of a client in a window reserves one, and each further
//! trip to the database reserves twice as many as the last, up to a sixteenth of the limit. The
//! reserved hits are counted in the database at once, so the servers together never let a client
//! past the limit; a busy client costs one write per lease instead of one per request. The price
//! is that hits a server reserved but did not use are lost to the others, so with many servers a
//! client may be refused slightly before the limit, never after it. Under the default limit
//! (20 per 10 minutes) a lease is a single hit and counting stays exact.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use super::settings::RateLimit;
use crate::error::AppError;

/// The most hits one lease may reserve, whatever the limit.
const MAX_LEASE: u32 = 4096;
/// Past this many remembered clients, leases of finished windows are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// One limit, with this server's unspent leases. Cheap to clone; clones share the leases.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    leases: Arc<Mutex<HashMap<(&'static str, String), Lease>>>,
}

/// Hits a server reserved for one client and window.
#[derive(Debug, Clone, Copy)]
struct Lease {
    window_start: i64,
    /// Reserved in the database and not yet used.
    left: u32,
    /// How many the next trip to the database reserves.
    next: u32,
    /// The database said the window's limit is spent: refuse without asking again.
    spent: bool,
    /// A request is reserving the next lease.
    reserving: bool,
}

impl Lease {
    fn new(window_start: i64) -> Lease {
        Lease {
            window_start,
            left: 0,
            next: 1,
            spent: false,
            reserving: false,
        }
    }
}

/// What the database granted for one reservation of `reserved` hits.
fn granted(max: u32, total_after: i64, reserved: u32) -> u32 {
    let before = total_after - reserved as i64;
    (max as i64 - before).clamp(0, reserved as i64) as u32
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            leases: Arc::default(),
        }
    }

    fn lease_cap(&self) -> u32 {
        (self.limit.max / 16).clamp(1, MAX_LEASE)
    }

    /// Counts one request by `key` (a client address) in `bucket`; refuses it, with the seconds
    /// until the window ends, once the window's limit is spent.
    pub async fn hit(
        &self,
        db: &DatabaseConnection,
        bucket: &'static str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let window = self.limit.window_secs.max(1) as i64;
        let now_secs = now.timestamp();
        let window_start = now_secs - now_secs.rem_euclid(window);
        let refused = AppError::RateLimited {
            retry_after_secs: (window_start + window - now_secs).max(1) as u64,
        };
        let key: String = key.chars().take(64).collect();
        let map_key = (bucket, key);
        // Only one request per client reserves a lease at a time; requests that find the lease
        // empty meanwhile reserve a single hit each, so a burst cannot reserve many leases.
        let (reserve, leader) = {
            let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
            let lease = leases
                .entry(map_key.clone())
                .or_insert_with(|| Lease::new(window_start));
            if lease.window_start < window_start {
                *lease = Lease::new(window_start);
            }
            if lease.spent {
                return Err(refused);
            }
            if lease.left > 0 {
                lease.left -= 1;
                return Ok(());
            }
            if lease.reserving {
                (1, false)
            } else {
                lease.reserving = true;
                (lease.next, true)
            }
        };
        let total = reserve_in_db(db, bucket, &map_key.1, window_start, window, reserve).await;
        let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        if leases.len() > PRUNE_ABOVE {
            leases.retain(|_, l| l.window_start + window > now_secs);
        }
        let lease = leases
            .entry(map_key)
            .or_insert_with(|| Lease::new(window_start));
        if lease.window_start < window_start {
            *lease = Lease::new(window_start);
        }
        // A lease reserved for a window that has meanwhile ended is not carried into the next.
        let current = lease.window_start == window_start;
        if leader && current {
            lease.reserving = false;
        }
        let got = granted(self.limit.max, total?, reserve);
        if got == 0 {
            if current {
                lease.spent = true;
            }
            return Err(refused);
        }
        if current {
            // This request takes one of the granted hits.
            lease.left += got - 1;
            if leader {
                lease.next = reserve.saturating_mul(2).min(self.lease_cap());
            }
        }
        Ok(())
    }
}

/// Adds `reserve` hits to the window's counter and answers the new total.
async fn reserve_in_db(
    db: &DatabaseConnection,
    bucket: &str,
    key: &str,
    window_start: i64,
    window: i64,
    reserve: u32,
) -> Result<i64, AppError> {
    let backend = db.get_database_backend();
    let p = |n: usize| {
        if backend == sea_orm::DatabaseBackend::Postgres {
            format!("${n}")
        } else {
            "?".to_string()
        }
    };
    let sql = format!(
        "INSERT INTO rate_hits (bucket, client, window_start, count) VALUES ({}, {}, {}, {}) \
         ON CONFLICT (bucket, client, window_start) DO UPDATE SET count = rate_hits.count + excluded.count \
         RETURNING count",
        p(1),
        p(2),
        p(3),
        p(4)
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                bucket.into(),
                key.into(),
                window_start.into(),
                (reserve as i32).into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    let total: i32 = row.try_get("", "count")?;
    if total as i64 == reserve as i64 {
        // The window's first reservation clears finished windows, so the table stays small
        // without a separate cleaning job.
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
    Ok(total as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reservation_is_granted_up_to_the_limit_only() {
        assert_eq!(granted(20, 1, 1), 1);
        assert_eq!(granted(20, 20, 1), 1);
        assert_eq!(granted(20, 21, 1), 0);
        assert_eq!(granted(20, 24, 8), 4);
        assert_eq!(granted(20, 40, 8), 0);
        assert_eq!(granted(1_000_000, 4096, 4096), 4096);
    }

    #[test]
    fn leases_stay_single_hits_under_small_limits() {
        let small = RateLimiter::new(RateLimit {
            max: 20,
            window_secs: 600,
        });
        assert_eq!(small.lease_cap(), 1);
        let big = RateLimiter::new(RateLimit {
            max: 1_000_000_000,
            window_secs: 60,
        });
        assert_eq!(big.lease_cap(), MAX_LEASE);
        let medium = RateLimiter::new(RateLimit {
            max: 320,
            window_secs: 60,
        });
        assert_eq!(medium.lease_cap(), 20);
    }
}
