use std::{str::FromStr, time::Duration};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// The two supported engines: SQLite embedded, PostgreSQL for many servers on one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn of_url(url: &str) -> Result<DbKind, String> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            Err(format!(
                "DATABASE_URL: expected sqlite://… or postgres://…, got {:?}",
                url.split("://").next().unwrap_or(url)
            ))
        }
    }
}

/// Opens a pool. SQLite gets WAL, a busy timeout, foreign keys and `synchronous=FULL`: a
/// committed case or payment must survive a power cut, and WAL keeps FULL cheap (one fsync of
/// the log per commit). The file and its folder are created when missing.
pub async fn connect(url: &str, pool_size: u32) -> Result<DatabaseConnection, DbErr> {
    let kind = DbKind::of_url(url).map_err(DbErr::Custom)?;
    if kind == DbKind::Sqlite {
        if let Some(path) = sqlite_path(url) {
            if let Some(parent) = std::path::Path::new(&path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        DbErr::Custom(format!("cannot create {}: {e}", parent.display()))
                    })?;
                }
            }
        }
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(pool_size)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if kind == DbKind::Sqlite {
        options.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    }
    let db = Database::connect(options).await?;
    if kind == DbKind::Sqlite {
        // Keeps the WAL from growing without bound between automatic checkpoints under load.
        db.execute_unprepared("PRAGMA wal_autocheckpoint = 4000")
            .await?;
    }
    Ok(db)
}

/// The file path inside a `sqlite://path?opts` URL, or `None` for an in-memory database.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(path.to_string())
}

/// Parses a URL early so that a malformed one fails before anything is written.
pub fn validate_url(url: &str) -> Result<DbKind, String> {
    let kind = DbKind::of_url(url)?;
    if kind == DbKind::Sqlite {
        sea_orm::sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .map_err(|e| format!("DATABASE_URL: {e}"))?;
    } else {
        sea_orm::sqlx::postgres::PgConnectOptions::from_str(url)
            .map_err(|e| format!("DATABASE_URL: {e}"))?;
    }
    Ok(kind)
}

/// A write transaction. On SQLite it also holds this process's turn at the database's single
/// write lock, released when the transaction ends (commit, rollback or drop).
pub struct WriteTxn {
    // Declared first so the transaction ends before the next writer is let in.
    txn: sea_orm::DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTxn {
    type Target = sea_orm::DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

// Lets a write transaction go wherever sea-orm takes a connection, like the transaction it holds.
#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> sea_orm::DbBackend {
        self.txn.get_database_backend()
    }
    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }
    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }
    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

/// Starts a write transaction. On SQLite it takes the write lock at `BEGIN` (`BEGIN IMMEDIATE`),
/// so two writers queue instead of one failing when it upgrades its lock. Writers of one process
/// queue first on an in-process FIFO turn: SQLite's own busy handler makes a waiting writer
/// sleep and poll (1, 2, 5 … 100 ms), so under load the lock sat free while writers slept.
/// Other processes on the same file still meet the busy timeout.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        let turn = write_turn_of(db).lock_owned().await;
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(WriteTxn {
            txn,
            _turn: Some(turn),
        })
    } else {
        Ok(WriteTxn {
            txn: db.begin().await?,
            _turn: None,
        })
    }
}

/// One turn per SQLite file, shared by every pool this process opens on it.
fn write_turn_of(db: &DatabaseConnection) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::{
        collections::HashMap,
        path::PathBuf,
        sync::{Arc, Mutex, OnceLock},
    };
    static TURNS: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let file = std::fs::canonicalize(&file).unwrap_or(file);
    TURNS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(file)
        .or_default()
        .clone()
}

/// The yearly counters that number cases (per province), receipts (per office) and complaints
/// (nationwide, so the key is ignored).
#[derive(Debug, Clone, Copy)]
pub enum Sequence {
    Case,
    Receipt,
    Complaint,
}

/// Takes the next number of a yearly counter inside the caller's transaction. One upsert with
/// `RETURNING` is atomic on both engines, so concurrent writers never get the same number.
pub async fn next_in_sequence(
    txn: &sea_orm::DatabaseTransaction,
    sequence: Sequence,
    key: &str,
    year: i32,
) -> Result<i32, crate::error::AppError> {
    let (table, key_column) = match sequence {
        Sequence::Case => ("case_sequences", Some("province_code")),
        Sequence::Receipt => ("receipt_sequences", Some("office_code")),
        Sequence::Complaint => ("complaint_sequences", None),
    };
    let backend = txn.get_database_backend();
    let (k, y) = if backend == sea_orm::DatabaseBackend::Postgres {
        ("$1", "$2")
    } else {
        ("?", "?")
    };
    let (sql, values): (String, Vec<sea_orm::Value>) = match key_column {
        Some(key_column) => (
            format!(
                "INSERT INTO {table} ({key_column}, year, last_value) VALUES ({k}, {y}, 1) \
                 ON CONFLICT ({key_column}, year) DO UPDATE SET last_value = {table}.last_value + 1 \
                 RETURNING last_value"
            ),
            vec![key.into(), year.into()],
        ),
        None => (
            format!(
                "INSERT INTO {table} (year, last_value) VALUES ({k}, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_value = {table}.last_value + 1 \
                 RETURNING last_value"
            ),
            vec![year.into()],
        ),
    };
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend, sql, values,
        ))
        .await?
        .ok_or(crate::error::AppError::Internal)?;
    Ok(row.try_get::<i32>("", "last_value")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_engines_and_paths() {
        assert_eq!(DbKind::of_url("sqlite://data/owso.db"), Ok(DbKind::Sqlite));
        assert_eq!(DbKind::of_url("postgres://u@h/db"), Ok(DbKind::Postgres));
        assert!(DbKind::of_url("mysql://u@h/db").is_err());
        assert_eq!(
            sqlite_path("sqlite://data/owso.db?mode=rwc").as_deref(),
            Some("data/owso.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
