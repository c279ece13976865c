//! ASVS level 2 controls over HTTP: security headers and the CSP nonce, cross-site request
//! refusal, no state change by GET, session rotation at sign-in, and 4xx (never 5xx) for bad
//! bytes and oversized input.

use reqwest::Method;
use serde_json::json;

use crate::{
    on_both_databases,
    support::{session_cookie, Db, TestApp},
    workflow::{full_service, get_case, register},
};

on_both_databases!(
    pages_and_api_carry_security_headers,
    cross_site_posts_are_refused_and_get_changes_nothing,
    sign_in_rotates_the_session,
    password_spraying_from_one_address_is_throttled,
    bad_bytes_and_oversized_input_get_4xx,
);

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header on {}", res.url()))
}

async fn pages_and_api_carry_security_headers(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let mut nonces = Vec::new();
    for path in ["/", "/track", "/no-such-page"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
        assert_eq!(header(&res, "referrer-policy"), "same-origin");
        assert_eq!(header(&res, "x-frame-options"), "DENY");
        let policy = header(&res, "content-security-policy").to_string();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy}"))
            .to_string();
        let html = res.text().await.unwrap();
        // Every script on the page carries this response's nonce, and there is at least one.
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path}: no hydration script");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "{path}: a script without the nonce"
        );
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce per response");

    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&res, "content-security-policy"),
        app::backend::csp::NON_PAGE_POLICY
    );
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    app.finish().await;
}

async fn cross_site_posts_are_refused_and_get_changes_nothing(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let form = [("username", "cashier.1201"), ("password", "owso-demo-2026")];

    for (name, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let res = app
            .client
            .post(app.url("/api/auth/login"))
            .header(name, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403, "{name}: {value}");
        assert!(res.headers().get("set-cookie").is_none());
    }

    // The cashier, signed in properly, is tricked into posting a payment from another site.
    let cookie = app.session_of("cashier.1201").await;
    let service_id = full_service(&app).await;
    let (code, _) = register(&app, &tokens, service_id).await;
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let fee = case["fee_total"].as_i64().unwrap().to_string();
    let pay = [
        ("code", code.as_str()),
        ("action", "pay"),
        ("version", "1"),
        ("amount", fee.as_str()),
    ];
    let forged = app
        .client
        .post(app.url("/api/cases/act"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .form(&pay)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
    let (_, unchanged) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(unchanged["version"], 1);
    assert_eq!(unchanged["stage"], "cashier");

    // The same post from our own page goes through.
    let genuine = app
        .client
        .post(app.url("/api/cases/act"))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .header("sec-fetch-site", "same-origin")
        .form(&pay)
        .send()
        .await
        .unwrap();
    let status = genuine.status().as_u16();
    assert!(
        status == 200 || status == 302,
        "{status}: {:?}",
        genuine.text().await
    );
    let (_, paid) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(paid["version"], 2);

    // Server functions answer only POST: a GET to one (a link, an image tag) changes nothing.
    for path in ["/api/auth/logout", "/api/cases/act"] {
        let res = app
            .client
            .get(app.url(&format!("{path}?code={code}&action=forward&version=2")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert!(
            !res.status().is_success() && !res.status().is_redirection(),
            "GET {path}: {}",
            res.status()
        );
    }
    let (_, after) = get_case(&app, &tokens["desk.1201"], &code).await;
    assert_eq!(after["version"], 2);
    assert_eq!(who_is(&app, &cookie).await, Some("cashier.1201".into()));
    app.finish().await;
}

/// The username behind a session cookie, through the `auth/me` server function.
async fn who_is(app: &TestApp, cookie: &str) -> Option<String> {
    let res = app
        .client
        .post(app.url("/api/auth/me"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    body["username"].as_str().map(str::to_string)
}

async fn sign_in_rotates_the_session(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let first = app.session_of("desk.1201").await;
    assert_eq!(who_is(&app, &first).await, Some("desk.1201".into()));
    let again = app
        .client
        .post(app.url("/api/auth/login"))
        .header("accept", "text/html")
        .header("cookie", &first)
        .form(&[("username", "desk.1201"), ("password", "owso-demo-2026")])
        .send()
        .await
        .unwrap();
    let second = session_cookie(&again);
    assert_ne!(first, second, "a new session id at sign-in");
    assert_eq!(who_is(&app, &second).await, Some("desk.1201".into()));
    assert_eq!(
        who_is(&app, &first).await,
        None,
        "the old id no longer works"
    );
    app.finish().await;
}

async fn bad_bytes_and_oversized_input_get_4xx(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let is_4xx = |status: u16| (400..500).contains(&status);

    let raw_post = |path: &str, content_type: &'static str, body: Vec<u8>| {
        app.client
            .post(app.url(path))
            .header("content-type", content_type)
            .body(body)
    };
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "login, raw invalid UTF-8",
            raw_post(
                "/api/auth/login",
                form,
                b"username=\xff\xfe&password=x".to_vec(),
            ),
        ),
        (
            "login, percent-encoded invalid UTF-8",
            raw_post(
                "/api/auth/login",
                form,
                b"username=%FF%FE&password=x".to_vec(),
            ),
        ),
        (
            "complaint, missing fields",
            raw_post("/api/complaints/file", form, b"category=delay".to_vec()),
        ),
        (
            "complaint, body over the size limit",
            raw_post(
                "/api/complaints/file",
                form,
                format!(
                    "category=delay&office_code=1201&body={}",
                    "x".repeat(400_000)
                )
                .into_bytes(),
            ),
        ),
        (
            "complaint, a 20 000-character text",
            raw_post(
                "/api/complaints/file",
                form,
                format!(
                    "category=delay&office_code=1201&body={}&phone=012345678",
                    "ក".repeat(20_000).replace('ក', "%E1%9E%80")
                )
                .into_bytes(),
            ),
        ),
        (
            "JSON API, invalid UTF-8",
            raw_post(
                "/api/v1/cases",
                "application/json",
                b"{\"name_km\":\"\xff\"}".to_vec(),
            )
            .bearer_auth(&tokens["desk.1201"]),
        ),
        (
            "JSON API, a 10 000-character name",
            app.client
                .post(app.url("/api/v1/cases"))
                .bearer_auth(&tokens["desk.1201"])
                .json(&json!({
                    "service_id": full_service(&app).await, "quantity": 1,
                    "applicant_kind": "person", "name_km": "ក".repeat(10_000),
                    "name_latin": "X", "phone": "012345678", "village_code": "12010101"
                })),
        ),
        (
            "JSON API, a 5 000-character case code",
            app.client
                .get(app.url(&format!("/api/v1/cases/{}", "9".repeat(5_000))))
                .bearer_auth(&tokens["desk.1201"]),
        ),
        (
            "track lookup, a 5 000-character code",
            app.client
                .post(app.url("/api/track/lookup"))
                .form(&[("code", "1".repeat(5_000)), ("pin", "123456".to_string())]),
        ),
        (
            "track API, invalid UTF-8 in the body",
            app.client
                .post(app.url("/api/v1/track"))
                .header("content-type", "application/json")
                .body(b"{\"code\":\"\xff\xfe\",\"pin\":\"1\"}".to_vec()),
        ),
    ];
    for (what, request) in cases {
        // A server that refuses a body as too large may close the connection before the client
        // has finished sending it; the client then sees a reset instead of the 413. Retry.
        let mut answer = None;
        for _ in 0..5 {
            if let Ok(res) = request.try_clone().unwrap().send().await {
                answer = Some((res.status().as_u16(), res.text().await.unwrap_or_default()));
                break;
            }
        }
        let (status, body) = answer.unwrap_or_else(|| panic!("{what}: no answer"));
        assert!(is_4xx(status), "{what}: {status} {body}");
    }
    let (status, _) = app
        .api(
            Method::GET,
            "/api/v1/inbox?stage=%FF",
            Some(&tokens["desk.1201"]),
            None,
        )
        .await;
    assert!(status < 500, "inbox with a bad stage: {status}");
    app.finish().await;
}

/// Guessing one password over many accounts never trips a per-account lock, so the address is
/// throttled too: after 20 failures from one address even a right password is refused there,
/// while the same account signs in from elsewhere.
async fn password_spraying_from_one_address_is_throttled(kind: Db) {
    use app::{backend::auth, error::AppError};
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let now = chrono::Utc::now();
    let attacker = Some("203.0.113.7".to_string());
    let accounts = [
        "desk.1201",
        "cashier.1201",
        "chief.1201",
        "tech.1201",
        "director.1201",
        "decision.1201",
        "admin.1201",
    ];
    for i in 0..auth::MAX_FAILED_PER_IP as usize {
        let err = auth::login(
            &app.db,
            accounts[i % accounts.len()],
            "Password123",
            attacker.clone(),
            None,
            now,
        )
        .await
        .unwrap_err();
        assert_eq!(err, AppError::Unauthorized, "attempt {i}");
    }
    let refused = auth::login(&app.db, "desk.0203", "owso-demo-2026", attacker, None, now)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, AppError::RateLimited { .. }),
        "{refused:?}"
    );
    let elsewhere = auth::login(
        &app.db,
        "desk.0203",
        "owso-demo-2026",
        Some("198.51.100.1".into()),
        None,
        now,
    )
    .await;
    assert!(elsewhere.is_ok(), "{elsewhere:?}");
    app.finish().await;
}
