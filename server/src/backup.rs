//! `owso backup FILE` and `owso restore FILE`.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy from one read transaction, so it
//! runs while servers keep writing. Restoring replaces the database file, which is only safe
//! with the servers stopped.
//!
//! PostgreSQL: `pg_dump --format=custom` (a consistent snapshot under load) and `pg_restore
//! --clean`, both from the PostgreSQL client tools, which must match the server's version.
//!
//! Both write to `FILE.partial` first and rename, so an interrupted backup never looks complete,
//! and a restore ends by checking the audit chain and the rollups.

use std::path::{Path, PathBuf};

use app::backend::{
    db::{self, DbKind},
    settings::Settings,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::cli::{open, verify_audit, CliError};

pub async fn backup(settings: &Settings, file: &Path) -> Result<(), CliError> {
    if file.exists() {
        return Err(CliError::usage(format!(
            "{}: exists; choose a new file name",
            file.display()
        )));
    }
    let partial = partial_of(file);
    let _ = std::fs::remove_file(&partial);
    let started = std::time::Instant::now();
    match kind(settings)? {
        DbKind::Sqlite => {
            let conn = open(settings).await?;
            let target = partial.to_string_lossy().replace('\'', "''");
            conn.execute_unprepared(&format!("VACUUM INTO '{target}'"))
                .await?;
            conn.close().await?;
        }
        DbKind::Postgres => run_pg_tool(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                &format!("--file={}", partial.display()),
            ],
            &settings.database_url,
        )?,
    }
    sync_file(&partial)?;
    std::fs::rename(&partial, file)
        .map_err(|e| CliError::runtime(format!("{}: {e}", file.display())))?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written to {} ({} bytes) in {:.2} s",
        file.display(),
        bytes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn restore(settings: &Settings, file: &Path) -> Result<(), CliError> {
    if !file.is_file() {
        return Err(CliError::usage(format!("{}: no such file", file.display())));
    }
    match kind(settings)? {
        DbKind::Sqlite => restore_sqlite(settings, file).await?,
        DbKind::Postgres => run_pg_tool(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                &file.to_string_lossy(),
            ],
            &settings.database_url,
        )?,
    }
    let conn = open(settings).await?;
    // A backup from an older release gets this release's migrations.
    Migrator::up(&conn, None).await?;
    let audit_rows = verify_audit(&conn).await?;
    let rollup_rows = crate::stats::check(&conn).await?;
    let cases = count_cases(&conn).await?;
    println!(
        "restored {}: {cases} cases; audit log intact ({audit_rows} rows); rollups match ({rollup_rows} rows)",
        file.display()
    );
    Ok(())
}

async fn restore_sqlite(settings: &Settings, file: &Path) -> Result<(), CliError> {
    let target = db::sqlite_path(&settings.database_url)
        .map(PathBuf::from)
        .ok_or_else(|| {
            CliError::usage("DATABASE_URL: restore needs a SQLite file, not :memory:")
        })?;
    // The copy is checked beside the live file, before the live file is touched.
    let staged = partial_of(&target);
    std::fs::copy(file, &staged)
        .map_err(|e| CliError::runtime(format!("{}: {e}", staged.display())))?;
    let checked = db::connect(&format!("sqlite://{}", staged.display()), 1)
        .await
        .map_err(|e| CliError::usage(format!("{}: not a SQLite database: {e}", file.display())))?;
    let integrity = checked
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<String>(0).ok())
        .unwrap_or_else(|| "not a SQLite database".into());
    if integrity == "ok" {
        // Folds the copy's own log back in, so the staged file is complete on its own.
        checked
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    }
    checked.close().await?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", staged.display()));
    }
    if integrity != "ok" {
        let _ = std::fs::remove_file(&staged);
        return Err(CliError::runtime(format!(
            "{}: fails SQLite's integrity check: {integrity}",
            file.display()
        )));
    }
    sync_file(&staged)?;
    // A write-ahead log left beside the old file would be replayed into the new one.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)
                .map_err(|e| CliError::runtime(format!("{}: {e}", side.display())))?;
        }
    }
    std::fs::rename(&staged, &target)
        .map_err(|e| CliError::runtime(format!("{}: {e}", target.display())))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

async fn count_cases(conn: &DatabaseConnection) -> Result<i64, CliError> {
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT COUNT(*) AS n FROM cases",
        ))
        .await?
        .ok_or_else(|| CliError::runtime("cannot count the cases"))?;
    Ok(row.try_get::<i64>("", "n")?)
}

fn kind(settings: &Settings) -> Result<DbKind, CliError> {
    DbKind::of_url(&settings.database_url).map_err(CliError::usage)
}

fn partial_of(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", file.display()))
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret` percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    (
        format!("{scheme}://{user}@{host}{tail}"),
        Some(percent_decode(password)),
    )
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn sync_file(file: &Path) -> Result<(), CliError> {
    std::fs::File::open(file)
        .and_then(|f| f.sync_all())
        .map_err(|e| CliError::runtime(format!("{}: {e}", file.display())))
}

/// Runs a PostgreSQL client tool on the database at `url`. The password goes through the
/// environment (`PGPASSWORD`), never the command line, where `ps` shows it to every local user.
fn run_pg_tool(tool: &str, args: &[&str], url: &str) -> Result<(), CliError> {
    let (url, password) = split_password(url);
    let mut command = std::process::Command::new(tool);
    command.arg(format!("--dbname={url}")).args(args);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command
        .output()
        .map_err(|e| {
            CliError::runtime(format!(
                "{tool}: cannot run it ({e}); install the PostgreSQL client tools of the server's version"
            ))
        })?;
    if !output.status.success() {
        return Err(CliError::runtime(format!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://owso:s%40cret:x@db.local:5432/owso?sslmode=disable"),
            (
                "postgres://owso@db.local:5432/owso?sslmode=disable".to_string(),
                Some("s@cret:x".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://owso@db/owso"),
            ("postgres://owso@db/owso".to_string(), None)
        );
        assert_eq!(
            split_password("postgres:///owso"),
            ("postgres:///owso".to_string(), None)
        );
    }
}
