//! Scale-out: two server processes on one database, as N stateless servers behind a load
//! balancer. Sessions, cases and rate limits live in the database, so either server answers
//! for the other at once. (Rate limits across servers: `portal::lookups_are_rate_limited_across_servers`.)

use reqwest::Method;
use serde_json::json;

use crate::{
    on_both_databases,
    support::{Db, TestApp},
    workflow::{full_service, get_case, register},
};

on_both_databases!(a_session_and_a_case_move_between_servers);

async fn a_session_and_a_case_move_between_servers(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (other, second) = app.second_server(&[]).await;

    // Signed in on the first server, the cashier's cookie works on the second.
    let cookie = app.session_of("cashier.1201").await;
    let inbox = app
        .client
        .get(format!("{other}/staff/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status().as_u16(), 200);

    // Registered on the first, paid on the second, seen paid on the first at once.
    let service_id = full_service(&app).await;
    let (code, _) = register(&app, &tokens, service_id).await;
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let paid = app
        .client
        .post(format!("{other}/api/v1/cases/{code}/actions"))
        .bearer_auth(&tokens["cashier.1201"])
        .json(&json!({ "action": "pay", "version": 1, "amount": case["fee_total"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status().as_u16(), 200);
    let (_, seen) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(seen["version"], 2);
    assert_eq!(seen["paid"], true);

    // A stale action on the first server after the move on the second: 409, not a lost update.
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/api/v1/cases/{code}/actions"),
            Some(&tokens["cashier.1201"]),
            Some(json!({ "action": "pay", "version": 1, "amount": case["fee_total"] })),
        )
        .await;
    assert_eq!(status, 409);

    // Signing out on the second ends the session on the first.
    let out = app
        .client
        .post(format!("{other}/api/auth/logout"))
        .header("cookie", &cookie)
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert!(out.status().is_redirection(), "{}", out.status());
    assert_eq!(app.get_as("/staff/inbox", &cookie).await.0, 401);
    second.abort();
    app.finish().await;
}
