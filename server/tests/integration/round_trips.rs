//! Database statements per page, read from the server's own `/metrics`: the busiest pages must
//! not drift back to a query per component. The bounds are what the pages need today.

use crate::{
    on_both_databases,
    support::{Db, TestApp},
};

on_both_databases!(
    metrics_count_requests_and_statements,
    a_staff_page_reads_the_session_once,
    the_status_page_opens_its_case_in_few_statements,
);

async fn statements(app: &TestApp) -> u64 {
    let (status, text) = app.get_text("/metrics").await;
    assert_eq!(status, 200);
    text.lines()
        .find_map(|l| l.strip_prefix("owso_db_statements_total ")?.parse().ok())
        .expect("owso_db_statements_total")
}

async fn metrics_count_requests_and_statements(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let (_, before) = app.get_text("/metrics").await;
    assert!(before.contains("# TYPE owso_http_requests_total counter"));
    let requests = |text: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix("owso_http_requests_total ")?.parse().ok())
            .unwrap()
    };
    let s0 = statements(&app).await;
    // The offices page reads the offices from the database.
    assert_eq!(app.get_text("/offices").await.0, 200);
    assert!(statements(&app).await > s0);
    let (_, after) = app.get_text("/metrics").await;
    // Each request is counted as it arrives: the three /metrics calls and /offices.
    assert_eq!(requests(&after), requests(&before) + 4);
    app.finish().await;
}

async fn a_staff_page_reads_the_session_once(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let cookie = app.session_of("chief.1201").await;
    // The first view may refresh the session's last-seen time; measure the second.
    assert_eq!(app.get_as("/staff/inbox", &cookie).await.0, 200);
    let s0 = statements(&app).await;
    let (status, page) = app.get_as("/staff/inbox", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("stage-counts"), "the inbox rendered");
    let used = statements(&app).await - s0;
    // Measured 11 with the session looked up once per request (the session with its user, and
    // the user's sectors), the rest the layout's and the inbox's own queries. Before, each of
    // the page's server functions looked the session up again, three statements each time.
    assert!(used <= 11, "{used} statements for one inbox page");
    app.finish().await;
}

async fn the_status_page_opens_its_case_in_few_statements(kind: Db) {
    let app = TestApp::spawn_with(kind, &[("OWSO_TRACK_RATE_LIMIT", "1000/1m")]).await;
    let tokens = app.demo_tokens().await;
    let service = crate::workflow::full_service(&app).await;
    let (code, pin) = crate::workflow::register(&app, &tokens, service).await;
    let res = app
        .post_form("/api/track/lookup", None, &[("code", &code), ("pin", &pin)])
        .await;
    let grant = crate::support::cookies_set(&res);
    let path = format!("/track/{code}");
    // The first view makes the case's Telegram-less contact row when it lacks one.
    assert_eq!(app.get_as(&path, &grant).await.0, 200);
    let s0 = statements(&app).await;
    let (status, page) = app.get_as(&path, &grant).await;
    assert_eq!(status, 200);
    assert!(page.contains(&code));
    let used = statements(&app).await - s0;
    // Measured 7 for a case waiting at the cashier: the case with its grant, payment and rating
    // in one query, its notice contact, its timeline, and the open KHQR code with its office
    // account. The grant was a query of its own, and the contact read the case a second time.
    assert!(used <= 7, "{used} statements for one status page");
    app.finish().await;
}
