//! `owso stats`: rebuild or check the statistics rollups.

use app::backend::stats::rollup;
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::cli::{CliError, StatsAction};

pub async fn run(db: &DatabaseConnection, action: StatsAction) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    match action {
        StatsAction::Rebuild => {
            let txn = db.begin().await?;
            rollup::rebuild(&txn).await?;
            txn.commit().await?;
            println!(
                "rollups rebuilt in {:.2} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        StatsAction::Check => {
            let rows = check(db).await?;
            println!("rollups match a recomputation: {rows} rows");
            Ok(())
        }
    }
}

/// Recomputes the rollups and compares them with the kept ones; answers the number of rows.
pub async fn check(db: &DatabaseConnection) -> Result<usize, CliError> {
    let kept = rollup::snapshot(db).await?;
    // Recomputed in a transaction that is rolled back, so a check never changes data.
    let txn = db.begin().await?;
    rollup::rebuild(&txn).await?;
    let fresh = rollup::snapshot(&txn).await?;
    txn.rollback().await?;
    if kept == fresh {
        return Ok(kept.len());
    }
    let missing: Vec<&String> = fresh.iter().filter(|r| !kept.contains(r)).take(5).collect();
    let extra: Vec<&String> = kept.iter().filter(|r| !fresh.contains(r)).take(5).collect();
    Err(CliError::runtime(format!(
        "rollups differ from a recomputation ({} kept rows, {} recomputed); expected {missing:?}, found {extra:?}",
        kept.len(),
        fresh.len()
    )))
}
