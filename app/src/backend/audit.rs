//! The audit log: append-only and hash-chained. Each row stores SHA-256(previous hash ‖ row), so
//! editing or deleting any row breaks the chain from that row on; `owso audit verify` finds it.

use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait,
    FromQueryResult, QueryOrder, Set, Statement,
};

use super::{entities::audit_entry, secrets::sha256_hex};
use crate::error::AppError;

/// One change or auth event, as the caller describes it.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent {
    pub actor_user_id: Option<i32>,
    pub actor_name: Option<String>,
    pub ip: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(FromQueryResult)]
struct Head {
    last_id: i64,
    last_hash: String,
}

/// The text a row's hash covers. Any change to a stored field changes it.
fn canonical(row: &audit_entry::Model) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "\u{0}".into());
    [
        row.id.to_string(),
        row.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        row.actor_user_id
            .map(|v| v.to_string())
            .unwrap_or_else(|| "\u{0}".into()),
        opt(&row.actor_name),
        opt(&row.ip),
        row.action.clone(),
        row.entity.clone(),
        opt(&row.entity_id),
        opt(&row.before_json),
        opt(&row.after_json),
    ]
    .join("\u{1f}")
}

pub fn row_hash(prev_hash: &str, row: &audit_entry::Model) -> String {
    sha256_hex(format!("{prev_hash}\u{1e}{}", canonical(row)).as_bytes())
}

/// Appends an event inside the caller's write transaction, so it commits or rolls back with
/// the change it describes. The head row is locked (PostgreSQL) or already exclusive (SQLite's
/// write transaction), so concurrent writers never fork the chain.
pub async fn record(
    txn: &DatabaseTransaction,
    event: AuditEvent,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let backend = txn.get_database_backend();
    let lock = if backend == DatabaseBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let head = Head::find_by_statement(Statement::from_string(
        backend,
        format!("SELECT last_id, last_hash FROM audit_head WHERE id = 1{lock}"),
    ))
    .one(txn)
    .await?
    .ok_or(AppError::Internal)?;
    // Stored timestamps keep microseconds, so the hash must not see nanoseconds.
    let at = now
        .with_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now);
    let mut row = audit_entry::Model {
        id: head.last_id + 1,
        at,
        actor_user_id: event.actor_user_id,
        actor_name: event.actor_name,
        ip: event.ip,
        action: event.action,
        entity: event.entity,
        entity_id: event.entity_id,
        before_json: event.before.map(|v| v.to_string()),
        after_json: event.after.map(|v| v.to_string()),
        prev_hash: head.last_hash.clone(),
        hash: String::new(),
    };
    row.hash = row_hash(&head.last_hash, &row);
    let model: audit_entry::ActiveModel = row.clone().into();
    let mut model = model.reset_all();
    model.id = Set(row.id);
    model.insert(txn).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        if backend == DatabaseBackend::Postgres {
            "UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1"
        } else {
            "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1"
        },
        [row.id.into(), row.hash.into()],
    ))
    .await?;
    Ok(())
}

/// The outcome of checking the whole chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact { rows: u64 },
    Broken { row_id: i64, reason: String },
}

/// Walks the log in id order, in pages, recomputing every hash.
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verification, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let mut prev_hash = "0".repeat(64);
    let mut expected_id = 1;
    let mut rows = 0u64;
    loop {
        let page = audit_entry::Entity::find()
            .filter(audit_entry::Column::Id.gte(expected_id))
            .order_by_asc(audit_entry::Column::Id)
            .limit(5_000)
            .all(db)
            .await?;
        if page.is_empty() {
            break;
        }
        for row in page {
            if row.id != expected_id {
                return Ok(Verification::Broken {
                    row_id: expected_id,
                    reason: "row missing".into(),
                });
            }
            if row.prev_hash != prev_hash {
                return Ok(Verification::Broken {
                    row_id: row.id,
                    reason: "previous hash does not match".into(),
                });
            }
            if row_hash(&prev_hash, &row) != row.hash {
                return Ok(Verification::Broken {
                    row_id: row.id,
                    reason: "row was altered".into(),
                });
            }
            prev_hash = row.hash;
            expected_id += 1;
            rows += 1;
        }
    }
    let head = Head::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT last_id, last_hash FROM audit_head WHERE id = 1".to_string(),
    ))
    .one(db)
    .await?;
    if let Some(head) = head {
        if head.last_id != expected_id - 1 || head.last_hash != prev_hash {
            return Ok(Verification::Broken {
                row_id: expected_id,
                reason: "rows after the last one were removed".into(),
            });
        }
    }
    Ok(Verification::Intact { rows })
}
