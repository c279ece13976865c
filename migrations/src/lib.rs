//! Schema and reference data for OWSO. Every migration runs unchanged on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_geography;
mod m20261121_000002_catalogue;
mod m20261121_000003_cases;
mod m20261121_000004_auth;
mod m20261122_000005_rate_hits;
mod m20261123_000006_stats;
mod m20261123_000007_quality_audits;
mod m20261204_000008_flashes;
pub mod m20261205_000009_constraints;
pub mod m20261206_000010_khqr;
pub mod m20261207_000011_notices;
mod reference;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_geography::Migration),
            Box::new(m20261121_000002_catalogue::Migration),
            Box::new(m20261121_000003_cases::Migration),
            Box::new(m20261121_000004_auth::Migration),
            Box::new(m20261122_000005_rate_hits::Migration),
            Box::new(m20261123_000006_stats::Migration),
            Box::new(m20261123_000007_quality_audits::Migration),
            Box::new(m20261204_000008_flashes::Migration),
            Box::new(m20261205_000009_constraints::Migration),
            Box::new(m20261206_000010_khqr::Migration),
            Box::new(m20261207_000011_notices::Migration),
        ]
    }
}

/// A named foreign key `table.column → to.to_column`.
pub(crate) fn foreign_key(
    table: &'static str,
    column: &'static str,
    to: &'static str,
    to_column: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, to_column)
        .take()
}
