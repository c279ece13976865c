//! This server's counters of requests and database statements, read at `GET /metrics`.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use sea_orm::DatabaseConnection;

#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub statements: AtomicU64,
    pub failed_statements: AtomicU64,
}

impl Counters {
    /// Counters fed by every statement `db` runs, transactions included.
    pub fn counting(db: &mut DatabaseConnection) -> Arc<Counters> {
        let counters = Arc::new(Counters::default());
        let counting = counters.clone();
        db.set_metric_callback(move |info| {
            counting.statements.fetch_add(1, Ordering::Relaxed);
            if info.failed {
                counting.failed_statements.fetch_add(1, Ordering::Relaxed);
            }
        });
        counters
    }

    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}
