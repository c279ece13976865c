//! Issue 17, item 5: the database itself refuses impossible values, whichever client writes.

use app::{
    domain::{workflow::CaseEventKind, CaseStatus, Channel, Role, Stage},
    types::complaints::ComplaintStatus,
};
use migration::{m20261205_000009_constraints as rules, Migrator, MigratorTrait};
use sea_orm::{ActiveEnum, ConnectionTrait, DatabaseConnection};

use crate::{
    on_both_databases,
    support::{connect, Db, FreshDb},
};

on_both_databases!(the_database_refuses_impossible_values_and_the_migration_applies_over_demo_data);

/// The migrations before the constraints, on a fresh database.
const BEFORE_CONSTRAINTS: u32 = 8;

const BAD_STEP: &str = "INSERT INTO workflow_steps (service_id, position, stage, working_days) \
     SELECT MIN(id), 99, 'limbo', 1 FROM services";
const GOOD_STEP: &str = "INSERT INTO workflow_steps (service_id, position, stage, working_days) \
     SELECT MIN(id), 98, 'cashier', 1 FROM services";

async fn refused(db: &DatabaseConnection, sql: &str, rule: &str) {
    match db.execute_unprepared(sql).await {
        Ok(_) => panic!("accepted, though it breaks {rule}: {sql}"),
        Err(e) => assert!(
            e.to_string().contains(rule),
            "{sql}: {e} does not name {rule}"
        ),
    }
}

async fn accepted(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn the_database_refuses_impossible_values_and_the_migration_applies_over_demo_data(kind: Db) {
    let fresh = FreshDb::new(kind).await;
    let db = connect(&fresh.url).await;
    Migrator::up(&db, Some(BEFORE_CONSTRAINTS)).await.unwrap();
    owso_server::seed::demo(&db, 600)
        .await
        .unwrap_or_else(|e| panic!("{}", e.message));
    Migrator::up(&db, None)
        .await
        .expect("the constraints accept the demo data");

    refused(&db, BAD_STEP, "ck_workflow_steps_stage").await;
    accepted(&db, GOOD_STEP).await;
    let first_case = "(SELECT MIN(id) FROM cases)";
    refused(
        &db,
        &format!("UPDATE cases SET stage = 'limbo' WHERE id = {first_case}"),
        "ck_cases_stage",
    )
    .await;
    refused(
        &db,
        &format!("UPDATE cases SET status = 'lost' WHERE id = {first_case}"),
        "ck_cases_status",
    )
    .await;
    refused(
        &db,
        &format!("UPDATE cases SET channel = 'fax' WHERE id = {first_case}"),
        "ck_cases_channel",
    )
    .await;
    refused(
        &db,
        "UPDATE case_events SET action = 'teleport' WHERE id = (SELECT MIN(id) FROM case_events)",
        "ck_case_events_action",
    )
    .await;
    refused(
        &db,
        "UPDATE users SET role = 'king' WHERE id = (SELECT MIN(id) FROM users)",
        "ck_users_role",
    )
    .await;
    refused(
        &db,
        "UPDATE payments SET office_code = '9999' WHERE id = (SELECT MIN(id) FROM payments)",
        "fk_payments_office_code",
    )
    .await;
    refused(
        &db,
        "INSERT INTO case_events (case_id, seq, action, to_stage, status_after, actor_user_id, at) \
         SELECT MIN(id), 999, 'forward', 'cashier', 'active', 999999, CURRENT_TIMESTAMP FROM cases",
        "fk_case_events_actor_user_id",
    )
    .await;
    accepted(
        &db,
        &format!("UPDATE cases SET stage = 'cashier' WHERE id = {first_case}"),
    )
    .await;

    // Down takes the rules away; up puts them back only over rows that keep them.
    // Three steps: the notices and KHQR migrations, then the constraints.
    Migrator::down(&db, Some(3)).await.unwrap();
    accepted(&db, BAD_STEP).await;
    let again = Migrator::up(&db, None).await;
    assert!(
        again
            .as_ref()
            .is_err_and(|e| e.to_string().contains("ck_workflow_steps_stage")),
        "a bad row already there stops the migration: {again:?}"
    );
    accepted(&db, "DELETE FROM workflow_steps WHERE stage = 'limbo'").await;
    Migrator::up(&db, None).await.unwrap();
    refused(&db, BAD_STEP, "ck_workflow_steps_stage").await;

    let _ = db.close().await;
    fresh.drop_now().await;
}

fn values<E: ActiveEnum<Value = String>>() -> Vec<String> {
    E::iter().map(|e| e.to_value()).collect()
}

#[test]
fn the_enums_hold_exactly_the_values_the_database_allows() {
    assert_eq!(values::<Stage>(), rules::STAGES);
    assert_eq!(values::<CaseStatus>(), rules::CASE_STATUSES);
    assert_eq!(values::<Channel>(), rules::CHANNELS);
    assert_eq!(values::<CaseEventKind>(), rules::CASE_EVENT_KINDS);
    assert_eq!(values::<Role>(), rules::ROLES);
    assert_eq!(
        values::<app::domain::khqr::PaymentChannel>(),
        migration::m20261206_000010_khqr::PAYMENT_CHANNELS
    );
    assert_eq!(
        values::<app::domain::khqr::RequestState>(),
        migration::m20261206_000010_khqr::REQUEST_STATES
    );
    assert_eq!(values::<ComplaintStatus>(), rules::COMPLAINT_STATUSES);
    {
        use app::domain::notice::{NoticeChannel, NoticeEvent, NoticeStatus};
        use migration::m20261207_000011_notices as notices;
        assert_eq!(values::<NoticeEvent>(), notices::NOTICE_EVENTS);
        assert_eq!(values::<NoticeChannel>(), notices::NOTICE_CHANNELS);
        assert_eq!(values::<NoticeStatus>(), notices::NOTICE_STATUSES);
        for event in NoticeEvent::ALL {
            assert_eq!(event.to_value(), event.id());
        }
    }
    assert_eq!(
        app::types::complaints::COMPLAINT_CATEGORIES.as_slice(),
        rules::COMPLAINT_CATEGORIES
    );
    // What the application writes is what it reads back as an id.
    for stage in Stage::ALL {
        assert_eq!(stage.to_value(), stage.id());
    }
    for role in Role::ALL {
        assert_eq!(role.to_value(), role.id());
    }
}
