//! The database refuses impossible values: a stage, status, role, action, channel or complaint
//! state that the application does not know, and a row that names an office, user, sector or
//! service that does not exist.
//!
//! PostgreSQL gets real `CHECK` and `FOREIGN KEY` constraints. SQLite cannot add either to an
//! existing table, and rebuilding `cases` (which four tables reference) inside the migration's
//! transaction would have to switch foreign keys off, which SQLite ignores inside a transaction;
//! so on SQLite the same rules are `BEFORE INSERT/UPDATE/DELETE` triggers that abort the
//! statement, with the constraint's name in the message.
//!
//! The lists are this migration's own copy, not the application's enums: a migration describes
//! the schema at one point in time. A test checks that the enums still match them, so adding a
//! stage means writing a migration that widens the check.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000009_constraints"
    }
}

pub const STAGES: &[&str] = &[
    "registration",
    "cashier",
    "chief_check",
    "technical_review",
    "chief_opinion",
    "director_opinion",
    "decision",
    "tax_branch",
    "returned",
    "delivered",
];
pub const CASE_STATUSES: &[&str] = &["active", "returned_to_citizen", "rejected", "delivered"];
pub const CHANNELS: &[&str] = &["counter", "online"];
pub const CASE_EVENT_KINDS: &[&str] = &[
    "register",
    "pre_register",
    "complete_registration",
    "pay",
    "cancel_payment",
    "forward",
    "return",
    "resubmit",
    "reject",
    "approve",
    "tax_confirm",
    "deliver",
];
pub const ROLES: &[&str] = &[
    "front_desk",
    "cashier",
    "office_chief",
    "technical_officer",
    "admin_director",
    "decision_maker",
    "office_admin",
    "province_viewer",
    "national_viewer",
    "system_admin",
];
pub const COMPLAINT_STATUSES: &[&str] = &["open", "answered", "closed"];
pub const COMPLAINT_CATEGORIES: &[&str] = &["delay", "fee", "staff_conduct", "middleman", "other"];

/// A column that holds one name out of a fixed list.
struct Allowed {
    table: &'static str,
    column: &'static str,
    values: &'static [&'static str],
}

const fn allowed(
    table: &'static str,
    column: &'static str,
    values: &'static [&'static str],
) -> Allowed {
    Allowed {
        table,
        column,
        values,
    }
}

const ALLOWED: &[Allowed] = &[
    allowed("cases", "stage", STAGES),
    allowed("cases", "status", CASE_STATUSES),
    allowed("cases", "channel", CHANNELS),
    allowed("case_events", "action", CASE_EVENT_KINDS),
    allowed("case_events", "from_stage", STAGES),
    allowed("case_events", "to_stage", STAGES),
    allowed("case_events", "status_after", CASE_STATUSES),
    allowed("users", "role", ROLES),
    allowed("workflow_steps", "stage", STAGES),
    allowed("complaints", "status", COMPLAINT_STATUSES),
    allowed("complaints", "category", COMPLAINT_CATEGORIES),
    allowed("stat_backlog", "stage", STAGES),
];

/// A column that names another table's row and had no foreign key yet.
///
/// `complaints.case_code` is left out on purpose: it is what the citizen typed as a reference,
/// and refusing an unknown code would tell anyone which case codes exist.
struct Reference {
    table: &'static str,
    column: &'static str,
    to: &'static str,
    to_column: &'static str,
}

const fn reference(
    table: &'static str,
    column: &'static str,
    to: &'static str,
    to_column: &'static str,
) -> Reference {
    Reference {
        table,
        column,
        to,
        to_column,
    }
}

const REFERENCES: &[Reference] = &[
    reference("cases", "province_code", "provinces", "code"),
    reference("case_sequences", "province_code", "provinces", "code"),
    reference("case_events", "actor_user_id", "users", "id"),
    reference("receipt_sequences", "office_code", "offices", "code"),
    reference("payments", "office_code", "offices", "code"),
    reference("payments", "cashier_user_id", "users", "id"),
    reference("payments", "cancelled_by", "users", "id"),
    reference("feedback", "office_code", "offices", "code"),
    reference("complaints", "answered_by", "users", "id"),
    reference("audit_log", "actor_user_id", "users", "id"),
    reference("stat_office_month", "office_code", "offices", "code"),
    reference("stat_office_month", "sector_id", "sectors", "id"),
    reference("stat_office_month", "province_code", "provinces", "code"),
    reference("stat_service_month", "service_id", "services", "id"),
    reference("stat_service_month", "sector_id", "sectors", "id"),
    reference("stat_duration", "service_id", "services", "id"),
    reference("stat_duration", "sector_id", "sectors", "id"),
    reference("stat_backlog", "sector_id", "sectors", "id"),
];

fn check_name(a: &Allowed) -> String {
    format!("ck_{}_{}", a.table, a.column)
}

fn fk_name(r: &Reference) -> String {
    format!("fk_{}_{}", r.table, r.column)
}

fn value_list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A trigger that aborts the statement with `message` when `condition` holds for the row.
fn abort_trigger(name: &str, event: &str, table: &str, condition: &str, message: &str) -> String {
    format!(
        r#"CREATE TRIGGER IF NOT EXISTS "{name}" BEFORE {event} ON "{table}" FOR EACH ROW WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"#
    )
}

/// An insert trigger and an update trigger that refuse a row of `table` meeting `condition`.
fn guard_writes(
    out: &mut Vec<(String, String)>,
    name: &str,
    table: &str,
    column: &str,
    condition: &str,
    message: &str,
) {
    for (suffix, event) in [
        ("insert", "INSERT".to_string()),
        ("update", format!(r#"UPDATE OF "{column}""#)),
    ] {
        let trigger = format!("{name}_{suffix}");
        let sql = abort_trigger(&trigger, &event, table, condition, message);
        out.push((trigger, sql));
    }
}

/// SQLite: the statements that create the triggers, paired with their names.
fn sqlite_triggers() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in ALLOWED {
        let name = check_name(a);
        let condition = format!(r#"NEW."{}" NOT IN ({})"#, a.column, value_list(a.values));
        let message = format!("CHECK constraint failed: {name}");
        guard_writes(&mut out, &name, a.table, a.column, &condition, &message);
    }
    for r in REFERENCES {
        let name = fk_name(r);
        let message = format!("FOREIGN KEY constraint failed: {name}");
        let missing = format!(
            r#"NEW."{col}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "{to}" WHERE "{to_col}" = NEW."{col}")"#,
            col = r.column,
            to = r.to,
            to_col = r.to_column
        );
        guard_writes(&mut out, &name, r.table, r.column, &missing, &message);
        let still_named = format!(
            r#"EXISTS (SELECT 1 FROM "{table}" WHERE "{col}" = OLD."{to_col}")"#,
            table = r.table,
            col = r.column,
            to_col = r.to_column
        );
        let trigger = format!("{name}_delete");
        let sql = abort_trigger(&trigger, "DELETE", r.to, &still_named, &message);
        out.push((trigger, sql));
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                // The triggers guard new writes only; a row written before them must pass the
                // same rules, or the migration fails and says which. Checked first because
                // SQLite runs this migration outside a transaction: a refusal leaves nothing.
                for a in ALLOWED {
                    let bad = format!(
                        r#"SELECT 1 FROM "{t}" WHERE "{c}" NOT IN ({v}) LIMIT 1"#,
                        t = a.table,
                        c = a.column,
                        v = value_list(a.values)
                    );
                    refuse_if_any(db, &bad, &check_name(a)).await?;
                }
                for r in REFERENCES {
                    let bad = format!(
                        r#"SELECT 1 FROM "{t}" WHERE "{c}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "{to}" WHERE "{tc}" = "{t}"."{c}") LIMIT 1"#,
                        t = r.table,
                        c = r.column,
                        to = r.to,
                        tc = r.to_column
                    );
                    refuse_if_any(db, &bad, &fk_name(r)).await?;
                }
                for (_, sql) in sqlite_triggers() {
                    db.execute_unprepared(&sql).await?;
                }
            }
            _ => {
                for a in ALLOWED {
                    db.execute_unprepared(&format!(
                        r#"ALTER TABLE "{t}" ADD CONSTRAINT "{n}" CHECK ("{c}" IN ({v}))"#,
                        t = a.table,
                        n = check_name(a),
                        c = a.column,
                        v = value_list(a.values)
                    ))
                    .await?;
                }
                for r in REFERENCES {
                    manager
                        .create_foreign_key(crate::foreign_key(
                            r.table,
                            r.column,
                            r.to,
                            r.to_column,
                        ))
                        .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for (name, _) in sqlite_triggers() {
                    db.execute_unprepared(&format!(r#"DROP TRIGGER IF EXISTS "{name}""#))
                        .await?;
                }
            }
            _ => {
                for r in REFERENCES {
                    manager
                        .drop_foreign_key(
                            ForeignKey::drop()
                                .name(fk_name(r))
                                .table(r.table)
                                .to_owned(),
                        )
                        .await?;
                }
                for a in ALLOWED {
                    db.execute_unprepared(&format!(
                        r#"ALTER TABLE "{}" DROP CONSTRAINT "{}""#,
                        a.table,
                        check_name(a)
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}

async fn refuse_if_any(
    db: &SchemaManagerConnection<'_>,
    query: &str,
    name: &str,
) -> Result<(), DbErr> {
    let found = db
        .query_one_raw(sea_orm_migration::sea_orm::Statement::from_string(
            DatabaseBackend::Sqlite,
            query.to_string(),
        ))
        .await?;
    if found.is_some() {
        return Err(DbErr::Migration(format!(
            "a row already breaks {name}; correct it before migrating"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_one_insert_and_one_update_trigger_and_references_one_delete() {
        let triggers = sqlite_triggers();
        assert_eq!(triggers.len(), ALLOWED.len() * 2 + REFERENCES.len() * 3);
        let mut names: Vec<&str> = triggers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), triggers.len(), "trigger names are unique");
    }

    #[test]
    fn the_trigger_names_the_rule_it_enforces() {
        let (_, sql) = &sqlite_triggers()[0];
        assert!(sql.starts_with(
            r#"CREATE TRIGGER IF NOT EXISTS "ck_cases_stage_insert" BEFORE INSERT ON "cases""#
        ));
        assert!(sql.contains("'registration', 'cashier'"));
        assert!(sql.contains("RAISE(ABORT, 'CHECK constraint failed: ck_cases_stage')"));
    }
}
