//! Reads on the request thread's own SQLite connection (`backend::local_reads`) give the same
//! models as sea-orm's pool, field for field: every column of the tables the status page reads,
//! NULLs, dates, timestamps and enums included. On PostgreSQL there is no such connection.

use std::sync::Arc;

use app::backend::{
    entities::{case, case_event, notice_contact, office_payment_account, payment_request},
    local_reads::{LocalSqlite, Reader},
    metrics::Counters,
    payments,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    on_both_databases,
    support::{Db, TestApp},
    workflow::{full_service, register},
};

on_both_databases!(local_reads_match_the_pool_field_for_field);

async fn local_reads_match_the_pool_field_for_field(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    owso_server::seed::load_demo_payment_accounts(&app.db)
        .await
        .unwrap();
    let service_id = full_service(&app).await;
    let (code, _) = register(&app, &tokens, service_id).await;
    register(&app, &tokens, service_id).await;
    let now = chrono::Utc::now();
    payments::code_for_case_code(&app.db, &code, now)
        .await
        .unwrap()
        .expect("the case waits at a cashier with an account");

    let counters = Arc::new(Counters::default());
    let local = LocalSqlite::for_url(&app.fresh.url, counters.clone());
    assert_eq!(local.is_some(), kind == Db::Sqlite);
    let reader = Reader::new(&app.db, local.as_deref());

    let cases = reader
        .all(case::Entity::find().order_by_asc(case::Column::Id))
        .await
        .unwrap();
    assert_eq!(cases.len(), 2);
    let expected = case::Entity::find()
        .order_by_asc(case::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(cases, expected);
    assert!(cases[0].delivered_at.is_none() && cases[0].accepted_at.is_some());

    let events = reader
        .all(app::backend::cases::timeline_query(cases[0].id))
        .await
        .unwrap();
    assert!(!events.is_empty());
    let expected = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(cases[0].id))
        .order_by_asc(case_event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events, expected);

    let contacts = reader.all(notice_contact::Entity::find()).await.unwrap();
    let expected = notice_contact::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(contacts, expected);

    let accounts = reader
        .all(office_payment_account::Entity::find())
        .await
        .unwrap();
    assert!(!accounts.is_empty());
    let expected = office_payment_account::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(accounts, expected);

    // A timestamp bound as a parameter compares with stored ones as it does on the pool.
    let live = payment_request::Entity::find().filter(payment_request::Column::ExpiresAt.gt(now));
    let requests = reader.all(live.clone()).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests, live.all(&app.db).await.unwrap());
    let expired =
        payment_request::Entity::find().filter(payment_request::Column::ExpiresAt.lt(now));
    assert!(reader.all(expired).await.unwrap().is_empty());

    let one = reader
        .one(case::Entity::find().filter(case::Column::Code.eq(code.as_str())))
        .await
        .unwrap();
    assert_eq!(one.map(|c| c.code), Some(code));
    if kind == Db::Sqlite {
        // Each local read is counted as a statement, as the pool's are, for `/metrics`.
        assert_eq!(counters.statements(), 7);
    }
    app.finish().await;
}
