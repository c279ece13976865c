//! The staff workflow through the JSON API: every step, roles, jurisdiction, conflicts, audit.

use std::collections::HashMap;

use app::backend::{
    audit::{self, Verification},
    auth,
    entities::{audit_entry, service, workflow_step},
};
use reqwest::Method;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::{
    on_both_databases,
    support::{session_cookie, Db, TestApp},
};

on_both_databases!(
    a_case_goes_through_every_step_with_return_and_resubmit,
    roles_and_jurisdiction_are_enforced,
    concurrent_actions_on_one_case_have_one_winner,
    fifty_clients_on_ten_cases_have_one_winner_per_step,
    login_locks_after_five_failures_and_audit_chain_detects_tampering,
    login_form_issues_a_fresh_http_only_session,
);

/// The id of a demo service whose workflow has every stage, tax branch included.
pub(crate) async fn full_service(app: &TestApp) -> i32 {
    for s in service::Entity::find().all(&app.db).await.unwrap() {
        let steps = workflow_step::Entity::find()
            .filter(workflow_step::Column::ServiceId.eq(s.id))
            .all(&app.db)
            .await
            .unwrap();
        if steps.len() == 10 && s.fee_riel > 0 {
            return s.id;
        }
    }
    panic!("the demo catalogue has no service with all ten stages");
}

fn new_case(service_id: i32) -> Value {
    json!({
        "service_id": service_id, "quantity": 2, "applicant_kind": "person",
        "name_km": "សុខ ដារ៉ា", "name_latin": "SOK DARA", "sex": "M", "date_of_birth": "1990-05-01",
        "phone": "012 345 678", "id_card_number": "010203040", "village_code": "12010101"
    })
}

pub(crate) async fn register(
    app: &TestApp,
    tokens: &HashMap<String, String>,
    service_id: i32,
) -> (String, String) {
    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["desk.1201"]),
            Some(new_case(service_id)),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let code = body["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 10);
    assert!(code.starts_with("12"));
    assert_eq!(body["pin"].as_str().unwrap().len(), 6);
    assert_eq!(body["version"], 1);
    (code, body["pin"].as_str().unwrap().to_string())
}

pub(crate) async fn get_case(app: &TestApp, token: &str, code: &str) -> (u16, Value) {
    app.api(
        Method::GET,
        &format!("/api/v1/cases/{code}"),
        Some(token),
        None,
    )
    .await
}

pub(crate) async fn act(app: &TestApp, token: &str, code: &str, body: Value) -> (u16, Value) {
    app.api(
        Method::POST,
        &format!("/api/v1/cases/{code}/actions"),
        Some(token),
        Some(body),
    )
    .await
}

/// Every action that takes a paid case from the cashier to hand-over at office 1201, without a
/// return: (who, request body without the version).
pub(crate) fn full_workflow(fee: Value) -> Vec<(&'static str, Value)> {
    vec![
        ("cashier.1201", json!({ "action": "pay", "amount": fee })),
        ("chief.1201", json!({ "action": "forward" })),
        ("tech.1201", json!({ "action": "forward" })),
        ("chief.1201", json!({ "action": "forward" })),
        ("director.1201", json!({ "action": "forward" })),
        ("decision.1201", json!({ "action": "approve" })),
        ("desk.1201", json!({ "action": "tax_confirm" })),
        (
            "desk.1201",
            json!({ "action": "deliver", "receiver": "SOK DARA" }),
        ),
    ]
}

async fn a_case_goes_through_every_step_with_return_and_resubmit(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let service_id = full_service(&app).await;
    let (code, _) = register(&app, &tokens, service_id).await;

    let (status, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["stage"], "cashier");
    assert_eq!(case["status"], "active");
    let fee = case["fee_total"].as_i64().unwrap();
    assert_eq!(fee, case["fee_per_unit"].as_i64().unwrap() * 2);
    assert_eq!(
        case["allowed_actions"],
        json!([]),
        "front desk cannot take the payment"
    );

    // (who, action, extra) for each step; the technical officer returns it once for correction.
    let script: Vec<(&str, &str, Value)> = vec![
        ("cashier.1201", "pay", json!({ "amount": fee })),
        (
            "chief.1201",
            "forward",
            json!({ "comment": "ឯកសារគ្រប់គ្រាន់" }),
        ),
        ("tech.1201", "return", json!({ "comment": "ខ្វះប្លង់ទីតាំង" })),
        ("desk.1201", "resubmit", json!({})),
        ("tech.1201", "forward", json!({})),
        ("chief.1201", "forward", json!({})),
        ("director.1201", "forward", json!({})),
        ("decision.1201", "approve", json!({})),
        ("desk.1201", "tax_confirm", json!({})),
        ("desk.1201", "deliver", json!({ "receiver": "SOK DARA" })),
    ];
    let mut version = 1;
    for (who, action, extra) in script {
        let (_, before) = get_case(&app, &tokens[who], &code).await;
        let allowed: Vec<&str> = before["allowed_actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            allowed.contains(&action),
            "{who} may not {action} at {}: {allowed:?}",
            before["stage"]
        );
        let mut body = json!({ "action": action, "version": version });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, outcome) = act(&app, &tokens[who], &code, body).await;
        assert_eq!(status, 200, "{who} {action}: {outcome}");
        version += 1;
        assert_eq!(outcome["version"], version);
        if action == "return" {
            assert_eq!(outcome["status"], "returned_to_citizen");
        }
        if action == "pay" {
            assert!(outcome["receipt_number"]
                .as_str()
                .unwrap()
                .starts_with("1201-"));
        }
    }
    let (_, done) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(done["stage"], "delivered");
    assert_eq!(done["status"], "delivered");
    assert_eq!(done["receiver_name"], "SOK DARA");
    assert!(done["paid"].as_bool().unwrap());
    let events = done["events"].as_array().unwrap();
    assert_eq!(events.len(), 11, "register + 10 actions");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["seq"], i as i64 + 1, "the timeline has no gaps");
    }
    assert_eq!(events[3]["comment"], "ខ្វះប្លង់ទីតាំង");
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verification::Intact { rows: 17 + 17 + 11 }
    );
    app.finish().await;
}

async fn roles_and_jurisdiction_are_enforced(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let service_id = full_service(&app).await;
    let (code, _) = register(&app, &tokens, service_id).await;

    // No token, a bad token: 401.
    assert_eq!(get_case(&app, "", &code).await.0, 401);
    assert_eq!(get_case(&app, "nope", &code).await.0, 401);
    // Another office's staff: "not found", never "forbidden".
    for who in ["desk.0203", "cashier.0203", "chief.0203"] {
        let (status, body) = get_case(&app, &tokens[who], &code).await;
        assert_eq!(status, 404, "{who}: {body}");
        let (status, _) = act(
            &app,
            &tokens[who],
            &code,
            json!({ "action": "pay", "version": 1, "amount": 1 }),
        )
        .await;
        assert_eq!(status, 404, "{who} acting");
    }
    // The province and national viewers see it and may do nothing.
    for who in ["viewer.12", "national", "sysadmin"] {
        let (status, body) = get_case(&app, &tokens[who], &code).await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(body["allowed_actions"], json!([]));
        let (status, _) = act(
            &app,
            &tokens[who],
            &code,
            json!({ "action": "pay", "version": 1, "amount": 1 }),
        )
        .await;
        assert_eq!(status, 422, "{who} acting");
    }
    // Every office role but the cashier is refused the payment with 422 and nothing written.
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let fee = case["fee_total"].as_i64().unwrap();
    for who in [
        "desk.1201",
        "chief.1201",
        "tech.1201",
        "director.1201",
        "decision.1201",
        "admin.1201",
    ] {
        let (status, body) = act(
            &app,
            &tokens[who],
            &code,
            json!({ "action": "pay", "version": 1, "amount": fee }),
        )
        .await;
        assert_eq!(status, 422, "{who}: {body}");
        assert_eq!(body["error"], "illegal_transition");
    }
    // Skipping a step, a wrong amount, a missing reason, an unknown action.
    let (status, _) = act(
        &app,
        &tokens["chief.1201"],
        &code,
        json!({ "action": "forward", "version": 1 }),
    )
    .await;
    assert_eq!(status, 422);
    let (status, body) = act(
        &app,
        &tokens["cashier.1201"],
        &code,
        json!({ "action": "pay", "version": 1, "amount": fee - 1 }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["field"], "amount");
    let (status, body) = act(
        &app,
        &tokens["cashier.1201"],
        &code,
        json!({ "action": "dance", "version": 1 }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    // A stale version: 409.
    let (status, _) = act(
        &app,
        &tokens["cashier.1201"],
        &code,
        json!({ "action": "pay", "version": 7, "amount": fee }),
    )
    .await;
    assert_eq!(status, 409);
    let (_, unchanged) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(unchanged["version"], 1);
    assert_eq!(unchanged["events"].as_array().unwrap().len(), 1);

    // Only the front desk registers; bad fields are named.
    let (status, _) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["cashier.1201"]),
            Some(new_case(service_id)),
        )
        .await;
    assert_eq!(status, 403);
    let mut bad = new_case(service_id);
    bad["phone"] = json!("12");
    bad["name_km"] = json!("");
    bad["quantity"] = json!(0);
    bad["village_code"] = json!("99999999");
    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["desk.1201"]),
            Some(bad),
        )
        .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    for f in ["phone", "name_km", "quantity", "village_code"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let (status, _) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["desk.1201"]),
            Some(json!({ "service_id": "x" })),
        )
        .await;
    assert!((400..500).contains(&status), "{status}");

    // Inboxes: the cashier sees it, the other office's cashier does not.
    let (status, inbox) = app
        .api(
            Method::GET,
            "/api/v1/inbox",
            Some(&tokens["cashier.1201"]),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == code.as_str()));
    let (_, other) = app
        .api(
            Method::GET,
            "/api/v1/inbox",
            Some(&tokens["cashier.0203"]),
            None,
        )
        .await;
    assert!(!other["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == code.as_str()));
    let (_, found) = app
        .api(
            Method::GET,
            "/api/v1/inbox?q=012345678",
            Some(&tokens["cashier.1201"]),
            None,
        )
        .await;
    assert_eq!(found["total"], 1, "search by phone");
    let (_, found) = app
        .api(
            Method::GET,
            "/api/v1/inbox?q=SOK",
            Some(&tokens["cashier.1201"]),
            None,
        )
        .await;
    assert_eq!(found["total"], 1, "search by Latin name");

    let (status, spec) = app
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.0.3");
    for path in [
        "/api/v1/cases",
        "/api/v1/cases/{code}",
        "/api/v1/cases/{code}/actions",
        "/api/v1/inbox",
        "/api/v1/stats",
    ] {
        assert!(spec["paths"][path].is_object(), "{path}");
    }
    app.finish().await;
}

async fn concurrent_actions_on_one_case_have_one_winner(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let service_id = full_service(&app).await;
    let (code, _) = register(&app, &tokens, service_id).await;
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let fee = case["fee_total"].as_i64().unwrap();
    let attempts = (0..8).map(|_| {
        act(
            &app,
            &tokens["cashier.1201"],
            &code,
            json!({ "action": "pay", "version": 1, "amount": fee }),
        )
    });
    let results = futures_join_all(attempts).await;
    let wins = results.iter().filter(|(s, _)| *s == 200).count();
    let conflicts = results.iter().filter(|(s, _)| *s == 409).count();
    assert_eq!((wins, conflicts), (1, 7), "{results:?}");
    let (_, after) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["events"].as_array().unwrap().len(), 2);
    // Concurrent registrations never share a code.
    let regs = futures_join_all((0..10).map(|_| register(&app, &tokens, service_id))).await;
    let mut codes: Vec<_> = regs.into_iter().map(|(c, _)| c).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 10);
    app.finish().await;
}

/// 50 clients race on the same 10 cases through a whole workflow: at every step each client
/// tries every case with the version it last saw. Exactly one wins per case and step, the rest
/// get 409, and each timeline ends with one event per version.
async fn fifty_clients_on_ten_cases_have_one_winner_per_step(kind: Db) {
    const CLIENTS: usize = 50;
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let service_id = full_service(&app).await;
    let mut codes = Vec::new();
    for _ in 0..10 {
        codes.push(register(&app, &tokens, service_id).await.0);
    }
    let (_, first) = get_case(&app, &tokens["desk.1201"], &codes[0]).await;
    let fee = first["fee_total"].as_i64().unwrap();
    let steps = full_workflow(json!(fee));
    for (step, (who, body)) in steps.iter().enumerate() {
        let version = step as i64 + 1;
        // Client k starts at case k mod 10, so every case sees contention from the first moment.
        let attempts = (0..CLIENTS).flat_map(|client| {
            let codes = &codes;
            (0..codes.len()).map(move |i| codes[(client + i) % codes.len()].clone())
        });
        let results = futures_join_all(attempts.map(|code| {
            let mut body = body.clone();
            body["version"] = json!(version);
            let token = tokens[*who].clone();
            let app = &app;
            async move { (code.clone(), act(app, &token, &code, body).await) }
        }))
        .await;
        for code in &codes {
            let statuses: Vec<u16> = results
                .iter()
                .filter(|(c, _)| c == code)
                .map(|(_, (status, _))| *status)
                .collect();
            let wins = statuses.iter().filter(|s| **s == 200).count();
            let conflicts = statuses.iter().filter(|s| **s == 409).count();
            assert_eq!(
                (wins, conflicts),
                (1, CLIENTS - 1),
                "step {step} ({}) on {code}: {statuses:?}",
                body["action"]
            );
        }
    }
    let mut receipts = Vec::new();
    for code in &codes {
        let (_, done) = get_case(&app, &tokens["desk.1201"], code).await;
        assert_eq!(done["status"], "delivered", "{code}");
        assert_eq!(
            done["version"],
            steps.len() as i64 + 1,
            "no lost update on {code}"
        );
        let seqs: Vec<i64> = done["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(
            seqs,
            (1..=steps.len() as i64 + 1).collect::<Vec<_>>(),
            "{code}"
        );
        receipts.push(done["receipt_number"].as_str().unwrap().to_string());
    }
    receipts.sort();
    receipts.dedup();
    assert_eq!(receipts.len(), codes.len(), "one receipt number per case");
    app.finish().await;
}

/// Polls every future together on this task, like `futures::future::join_all`.
async fn futures_join_all<F: std::future::Future>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.unwrap()).collect()
}

async fn login_locks_after_five_failures_and_audit_chain_detects_tampering(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let now = chrono::Utc::now();
    let ip = Some("10.0.0.9".to_string());
    let ok = auth::login(
        &app.db,
        "chief.1201",
        "owso-demo-2026",
        ip.clone(),
        None,
        now,
    )
    .await
    .unwrap();
    assert_eq!(ok.user.username, "chief.1201");
    assert!(auth::session_user(&app.db, &ok.token, now)
        .await
        .unwrap()
        .is_some());
    // Idle for 31 minutes: the session is gone.
    let later = now + chrono::Duration::minutes(31);
    assert!(auth::session_user(&app.db, &ok.token, later)
        .await
        .unwrap()
        .is_none());
    for _ in 0..5 {
        let err = auth::login(
            &app.db,
            "chief.1201",
            "wrong-password",
            ip.clone(),
            None,
            now,
        )
        .await
        .unwrap_err();
        assert_eq!(err, app::error::AppError::Unauthorized);
    }
    let locked = auth::login(
        &app.db,
        "chief.1201",
        "owso-demo-2026",
        ip.clone(),
        None,
        now,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(locked, app::error::AppError::RateLimited { .. }),
        "{locked:?}"
    );
    let after_lock = now + chrono::Duration::minutes(16);
    assert!(auth::login(
        &app.db,
        "chief.1201",
        "owso-demo-2026",
        ip.clone(),
        None,
        after_lock
    )
    .await
    .is_ok());
    // An unknown user gets the same answer as a wrong password.
    let unknown = auth::login(&app.db, "nobody", "owso-demo-2026", ip, None, now)
        .await
        .unwrap_err();
    assert_eq!(unknown, app::error::AppError::Unauthorized);

    let actions: Vec<String> = audit_entry::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for a in [
        "user_create",
        "token_create",
        "login",
        "login_failed",
        "login_locked",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} not audited");
    }
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        Verification::Intact { .. }
    ));
    // Edit one row behind the application's back: verification names it.
    app.db
        .execute_unprepared("UPDATE audit_log SET actor_name = 'mallory' WHERE id = 20")
        .await
        .unwrap();
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        Verification::Broken {
            row_id: 20,
            reason: "row was altered".into()
        }
    );
    app.finish().await;
}

async fn login_form_issues_a_fresh_http_only_session(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    // A staff page without a session says so and shows nothing.
    let (status, html) = app.get_text("/staff/inbox").await;
    assert_eq!(status, 401, "{html}");
    let first = app.form_login("desk.1201", "owso-demo-2026").await;
    assert_eq!(first.status(), 302);
    assert_eq!(first.headers()["location"], "/staff/inbox");
    let first = session_cookie(&first);
    let second = session_cookie(&app.form_login("desk.1201", "owso-demo-2026").await);
    assert_ne!(first, second, "every login issues a new session id");
    let inbox = app
        .client
        .get(app.url("/staff/inbox"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status(), 200);
    assert!(inbox.text().await.unwrap().contains("desk.1201"));
    // A failed login goes back to the form with a flag and no cookie.
    let failed = app.form_login("desk.1201", "wrong-password!").await;
    assert_eq!(failed.headers()["location"], "/login?error=failed");
    assert!(failed.headers().get("set-cookie").is_none());
    // Logout ends the session on the server, not only in the browser.
    let out = app.post_form("/api/auth/logout", Some(&second), &[]).await;
    assert_eq!(out.status(), 302);
    let after = app
        .client
        .get(app.url("/staff/inbox"))
        .header("cookie", &second)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    // Registration through the form: a bad field comes back named, a good form gives a receipt.
    let cookie = session_cookie(&app.form_login("desk.1201", "owso-demo-2026").await);
    let service = full_service(&app).await.to_string();
    let mut fields = vec![
        ("service_id", service.as_str()),
        ("quantity", "1"),
        ("applicant_kind", "person"),
        ("name_km", "<script>alert(1)</script>"),
        ("name_latin", "SOK DARA"),
        ("sex", "M"),
        ("phone", "12"),
        ("village_code", "12010101"),
    ];
    let bad = app
        .post_form("/api/cases/register", Some(&cookie), &fields)
        .await;
    let location = bad.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/staff/cases/new?") && location.contains("err_phone=err_bad_phone"),
        "{location}"
    );
    fields[6] = ("phone", "012345678");
    let good = app
        .post_form("/api/cases/register", Some(&cookie), &fields)
        .await;
    let location = good.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/staff/cases/12") && location.ends_with("/receipt?print"),
        "{location}"
    );
    let receipt = app
        .client
        .get(app.url(&location))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(receipt.status(), 200);
    let html = receipt.text().await.unwrap();
    assert!(
        html.contains("<svg") && html.contains("/track/12"),
        "the receipt has the QR code"
    );
    // What was typed as HTML is stored as text and shown escaped.
    let code = &location["/staff/cases/".len().."/staff/cases/".len() + 10];
    let page = app
        .client
        .get(app.url(&format!("/staff/cases/{code}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;"),
        "escaped"
    );
    // Disabling the account ends its live session at once and refuses new sign-ins.
    let ended = owso_server::users::disable(&app.db, "desk.1201")
        .await
        .unwrap_or_else(|e| panic!("{}", e.message));
    assert!(ended >= 1);
    let gone = app
        .client
        .get(app.url("/staff/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 401);
    let refused = app.form_login("desk.1201", "owso-demo-2026").await;
    assert_eq!(refused.headers()["location"], "/login?error=failed");
    app.finish().await;
}
