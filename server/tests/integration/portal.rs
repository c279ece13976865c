//! The citizen portal: status lookup by code and PIN (page and JSON), its rate limit across
//! servers, feedback once per delivered case, the catalogue and office pages.

use std::collections::HashMap;

use app::backend::entities::{feedback, service, workflow_step};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{json, Value};

use crate::{
    on_both_databases,
    support::{Db, TestApp},
};

on_both_databases!(
    lookup_shows_the_status_and_nothing_personal,
    wrong_code_and_wrong_pin_answer_alike,
    lookups_are_rate_limited_across_servers,
    busy_clients_never_pass_the_shared_limit,
    feedback_is_taken_once_after_delivery,
    catalogue_search_and_office_scorecard,
);

const NAME_KM: &str = "សុខ ដារ៉ា";
const NAME_LATIN: &str = "SOK DARA";
const ID_CARD: &str = "010203040";

/// A demo service whose workflow has all ten stages.
async fn full_service(app: &TestApp) -> i32 {
    for s in service::Entity::find().all(&app.db).await.unwrap() {
        let steps = workflow_step::Entity::find()
            .filter(workflow_step::Column::ServiceId.eq(s.id))
            .count(&app.db)
            .await
            .unwrap();
        if steps == 10 && s.fee_riel > 0 {
            return s.id;
        }
    }
    panic!("no service with all ten stages");
}

async fn register(app: &TestApp, tokens: &HashMap<String, String>) -> (String, String) {
    let service_id = full_service(app).await;
    let (status, body) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["desk.1201"]),
            Some(json!({
                "service_id": service_id, "quantity": 1, "applicant_kind": "person",
                "name_km": NAME_KM, "name_latin": NAME_LATIN, "sex": "M",
                "phone": "012 345 678", "id_card_number": ID_CARD, "village_code": "12010101",
                "address_detail": "House 12, Street 310"
            })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (
        body["code"].as_str().unwrap().to_string(),
        body["pin"].as_str().unwrap().to_string(),
    )
}

/// Takes the case through the given actions, in order, as the demo staff of office 1201.
async fn drive(app: &TestApp, tokens: &HashMap<String, String>, code: &str, steps: &[&str]) {
    let fee = app
        .api(
            Method::GET,
            &format!("/api/v1/cases/{code}"),
            Some(&tokens["desk.1201"]),
            None,
        )
        .await
        .1["fee_total"]
        .as_i64()
        .unwrap();
    for step in steps {
        let (who, body) = match *step {
            "pay" => ("cashier.1201", json!({ "action": "pay", "amount": fee })),
            "chief_check" | "chief_opinion" => ("chief.1201", json!({ "action": "forward" })),
            "technical_review" => ("tech.1201", json!({ "action": "forward" })),
            "director" => ("director.1201", json!({ "action": "forward" })),
            "approve" => ("decision.1201", json!({ "action": "approve" })),
            "tax_confirm" => ("desk.1201", json!({ "action": "tax_confirm" })),
            "deliver" => (
                "desk.1201",
                json!({ "action": "deliver", "receiver": NAME_LATIN }),
            ),
            "return" => (
                "tech.1201",
                json!({ "action": "return", "comment": "missing plan" }),
            ),
            "resubmit" => ("desk.1201", json!({ "action": "resubmit" })),
            other => panic!("unknown step {other}"),
        };
        let (_, case) = app
            .api(
                Method::GET,
                &format!("/api/v1/cases/{code}"),
                Some(&tokens[who]),
                None,
            )
            .await;
        let mut body = body;
        body["version"] = case["version"].clone();
        let (status, out) = app
            .api(
                Method::POST,
                &format!("/api/v1/cases/{code}/actions"),
                Some(&tokens[who]),
                Some(body),
            )
            .await;
        assert_eq!(status, 200, "{who} {step}: {out}");
    }
}

const TO_RETURNED: &[&str] = &[
    "pay",
    "chief_check",
    "technical_review",
    "chief_opinion",
    "director",
    "approve",
    "tax_confirm",
];

async fn track_json(app: &TestApp, code: &str, pin: &str) -> (u16, Value) {
    app.api(
        Method::POST,
        "/api/v1/track",
        None,
        Some(json!({ "code": code, "pin": pin })),
    )
    .await
}

/// A lookup as a browser without JavaScript makes it: the form's POST, then the page it is sent
/// to, opened with the grant cookie the POST left.
struct Lookup {
    posted: u16,
    location: String,
    status: u16,
    html: String,
}

async fn lookup_page_at(app: &TestApp, base: &str, code: &str, pin: &str, lang: &str) -> Lookup {
    let res = app
        .client
        .post(format!("{base}/api/track/lookup"))
        .header("accept", "text/html")
        .header("referer", format!("{base}/track"))
        .form(&[("code", code), ("pin", pin)])
        .send()
        .await
        .unwrap();
    let posted = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        !location.contains("pin") && (pin.len() < 4 || !location.contains(pin)),
        "a PIN in the redirect: {location}"
    );
    let grant = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .find(|c| c.starts_with("owso_track="))
        .map(|c| {
            assert!(c.contains("HttpOnly"), "{c}");
            c.split(';').next().unwrap().to_string()
        });
    let mut req = app
        .client
        .get(format!("{base}{location}"))
        .header("accept-language", lang);
    if let Some(grant) = &grant {
        req = req.header("cookie", grant);
    }
    let res = req.send().await.unwrap();
    Lookup {
        posted,
        location,
        status: res.status().as_u16(),
        html: res.text().await.unwrap(),
    }
}

async fn lookup_page(app: &TestApp, code: &str, pin: &str, lang: &str) -> Lookup {
    lookup_page_at(app, &app.base, code, pin, lang).await
}

async fn page(app: &TestApp, path: &str, lang: &str) -> (u16, String) {
    let res = app
        .client
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn assert_private(text: &str) {
    for secret in [
        NAME_KM,
        NAME_LATIN,
        "012345678",
        "012 345 678",
        ID_CARD,
        "Street 310",
    ] {
        assert!(!text.contains(secret), "the status shows {secret:?}");
    }
}

async fn lookup_shows_the_status_and_nothing_personal(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (code, pin) = register(&app, &tokens).await;

    let (status, body) = track_json(&app, &code, &pin).await;
    assert_eq!(status, 200, "{body}");
    assert_private(&body.to_string());
    assert_eq!(body["code"], code.as_str());
    assert_eq!(body["stage"], "cashier");
    assert_eq!(body["status"], "active");
    assert_eq!(body["paid"], false);
    assert_eq!(body["office"]["code"], "1201");
    assert_eq!(body["passed"].as_array().unwrap().len(), 2);
    assert_eq!(body["passed"][0]["stage"], "registration");
    assert_eq!(body["passed"][1]["stage"], "cashier");
    assert_eq!(body["passed"][1]["no"], 2);
    assert_eq!(body["ahead"][0], "chief_check");
    assert_eq!(body["ahead"].as_array().unwrap().len(), 8);
    assert_eq!(body["ready_for_pickup"], false);

    // The page, in English, with JavaScript off: the form's POST, then the case's page.
    let Lookup {
        posted,
        location,
        status,
        html,
    } = lookup_page(&app, &code, &pin, "en").await;
    assert_eq!(
        (posted, location.as_str()),
        (302, &*format!("/track/{code}"))
    );
    assert_eq!(status, 200);
    assert_private(&html);
    assert!(html.contains("At “Cashier” for 0 working days"), "{html}");
    assert!(html.contains("not paid yet"));
    assert!(html.contains("Steps still ahead"));
    // The receipt's QR target asks for the PIN only, and looks nothing up without a grant.
    let (status, html) = page(&app, &format!("/track/{code}"), "en").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("Enter the PIN of request {code}")));
    assert!(!html.contains("Steps passed"));
    // A grant opens its own case only, and only while it lasts in the database.
    let res = app
        .client
        .post(app.url("/api/track/lookup"))
        .header("accept", "text/html")
        .form(&[("code", code.as_str()), ("pin", pin.as_str())])
        .send()
        .await
        .unwrap();
    let grant = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("owso_track="))
        .unwrap();
    let (other_code, _) = register(&app, &tokens).await;
    let (_, html) = app.get_as(&format!("/track/{other_code}"), &grant).await;
    assert!(!html.contains("Steps passed") && !html.contains("track-title"));
    let (_, html) = app.get_as(&format!("/track/{code}"), &grant).await;
    assert!(html.contains("track-title"), "the grant opens its case");
    let forged = format!("owso_track={}", "0".repeat(64));
    let (_, html) = app.get_as(&format!("/track/{code}"), &forged).await;
    assert!(
        !html.contains("track-title"),
        "a made-up handle opens nothing"
    );

    // Paid, through every review, back at the front desk: ready for pickup, with the address.
    drive(&app, &tokens, &code, TO_RETURNED).await;
    let (_, body) = track_json(&app, &code, &pin).await;
    assert_eq!(body["stage"], "returned");
    assert_eq!(body["paid"], true);
    // Read in the same query as the case: the live payment's date, in Cambodian time.
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    assert_eq!(body["paid_on"], today.to_string());
    assert_eq!(body["ready_for_pickup"], true);
    assert_eq!(body["passed"].as_array().unwrap().len(), 9);
    assert_eq!(body["passed"][8]["stage"], "returned");
    let html = lookup_page(&app, &code, &pin, "en").await.html;
    assert!(html.contains("Your document is ready"), "{html}");
    assert!(html.contains(body["office"]["address_en"].as_str().unwrap()));
    assert!(html.contains(body["office"]["hours_en"].as_str().unwrap()));
    assert_private(&html);

    drive(&app, &tokens, &code, &["deliver"]).await;
    let (_, body) = track_json(&app, &code, &pin).await;
    assert_eq!(body["status"], "delivered");
    assert!(body["delivered_on"].is_string());
    assert_eq!(body["ahead"], json!([]));
    assert_eq!(body["can_give_feedback"], true);
    let html = lookup_page(&app, &code, &pin, "km").await.html;
    assert_private(&html);
    assert!(html.contains("feedback-form"));
    app.finish().await;
}

async fn wrong_code_and_wrong_pin_answer_alike(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (code, pin) = register(&app, &tokens).await;
    let wrong_pin = if pin == "000000" { "000001" } else { "000000" };
    let unknown = format!("{}{:06}", &code[..4], 999_999);

    let (s1, b1) = track_json(&app, &code, wrong_pin).await;
    let (s2, b2) = track_json(&app, &unknown, &pin).await;
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(b1, b2);
    assert_eq!(b1, json!({ "error": "not_found" }));

    let l1 = lookup_page(&app, &code, wrong_pin, "en").await;
    let l2 = lookup_page(&app, &unknown, &pin, "en").await;
    assert_eq!(
        (l1.location.as_str(), l2.location.as_str()),
        (
            &*format!("/track/{code}?error=track_not_found"),
            &*format!("/track/{unknown}?error=track_not_found")
        )
    );
    let message = "No request matches this code and PIN";
    assert!(l1.html.contains(message) && l2.html.contains(message));
    assert!(!l1.html.contains("Steps passed"));
    assert_private(&l1.html);

    // Malformed input names the field; it is never a 500.
    let (status, body) = track_json(&app, &code, "12").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["field"], "pin");
    let (status, body) = track_json(&app, "abc", "").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"].as_array().unwrap().len(), 2);
    let bad = lookup_page(&app, "12", "<script>", "en").await;
    assert!(
        bad.location.starts_with("/track?error=err_"),
        "{}",
        bad.location
    );
    assert!(!bad.html.contains("<script>"));
    let long = "9".repeat(5000);
    let bad = lookup_page(&app, &long, &long, "en").await;
    assert_eq!((bad.posted, bad.status), (302, 200));
    assert!(!bad.location.contains(&long[..20]));
    app.finish().await;
}

async fn lookups_are_rate_limited_across_servers(kind: Db) {
    let app = TestApp::spawn_with(kind, &[("OWSO_TRACK_RATE_LIMIT", "4/10m")]).await;
    let tokens = app.demo_tokens().await;
    let (code, pin) = register(&app, &tokens).await;
    let (other, second) = app
        .second_server(&[("OWSO_TRACK_RATE_LIMIT", "4/10m")])
        .await;

    let (s, _) = track_json(&app, &code, &pin).await;
    assert_eq!(s, 200);
    let l = lookup_page(&app, &code, "000000", "en").await;
    assert_eq!(l.posted, 302);
    let res = app
        .client
        .post(format!("{other}/api/v1/track"))
        .json(&json!({ "code": code, "pin": pin }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let l = lookup_page_at(&app, &other, &code, &pin, "en").await;
    assert_eq!(l.status, 200);
    assert!(l.html.contains("Steps passed"));

    // The fifth lookup, on either server, is refused: the right PIN no longer helps.
    let res = app
        .client
        .post(format!("{other}/api/v1/track"))
        .json(&json!({ "code": code, "pin": pin }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");

    let l = lookup_page(&app, &code, &pin, "en").await;
    assert!(
        l.location.contains("error=err_rate_limited&retry="),
        "{}",
        l.location
    );
    assert!(l
        .html
        .contains("Too many lookups from this connection. Please wait"));
    assert!(!l.html.contains("Steps passed"));
    let l = lookup_page(&app, &code, &pin, "km").await;
    assert!(l.html.contains("សូមរង់ចាំ"));
    // Malformed input is refused before it is counted, and pages without a lookup stay open.
    assert_eq!(track_json(&app, &code, "1").await.0, 422);
    assert_eq!(page(&app, &format!("/track/{code}"), "en").await.0, 200);
    second.abort();
    app.finish().await;
}

/// Under a large limit the servers reserve hits in leases instead of writing every lookup; the
/// database still holds every reserved hit, so the two servers together never let a client past
/// the limit, and at most one lease per server is left unused.
async fn busy_clients_never_pass_the_shared_limit(kind: Db) {
    // 320 per window: leases grow 1, 2, 4, … up to 320 / 16 = 20 hits.
    let limit = [("OWSO_TRACK_RATE_LIMIT", "320/1h")];
    let app = TestApp::spawn_with(kind, &limit).await;
    let tokens = app.demo_tokens().await;
    let (code, pin) = register(&app, &tokens).await;
    let (other, second) = app.second_server(&limit).await;
    let first = app.base.clone();

    let mut allowed = 0;
    let mut refused = 0;
    // Both servers in turn, in bursts, until each has been refused a few times.
    for round in 0..40 {
        let base = if round % 2 == 0 { &first } else { &other };
        let mut burst = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let request = app
                .client
                .post(format!("{base}/api/v1/track"))
                .json(&json!({ "code": code, "pin": pin }));
            burst.spawn(async move { request.send().await.unwrap().status().as_u16() });
        }
        for status in burst.join_all().await {
            match status {
                200 => allowed += 1,
                429 => refused += 1,
                other => panic!("status {other}"),
            }
        }
    }
    assert!(allowed <= 320, "{allowed} lookups passed a limit of 320");
    assert!(allowed >= 320 - 2 * 20, "only {allowed} of 320 allowed");
    assert_eq!(allowed + refused, 800);
    // Every lookup that passed was counted in the database before it was answered.
    let counted: i64 = rate_hits_total(&app).await;
    assert!(
        counted >= allowed as i64,
        "{counted} counted, {allowed} allowed"
    );
    second.abort();
    app.finish().await;
}

async fn rate_hits_total(app: &TestApp) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT CAST(SUM(count) AS BIGINT) AS total FROM rate_hits WHERE bucket = 'track'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "total").unwrap()
}

/// Posts the feedback form as a browser without JavaScript would.
async fn post_feedback(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String) {
    let res = app
        .client
        .post(app.url("/api/track/feedback"))
        .header("accept", "text/html")
        .header("referer", app.url("/track"))
        .form(fields)
        .send()
        .await
        .unwrap();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), location)
}

async fn feedback_is_taken_once_after_delivery(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (code, pin) = register(&app, &tokens).await;
    let form = |rating: &'static str, comment: &'static str| {
        vec![
            ("code", code.clone()),
            ("pin", pin.clone()),
            ("rating", rating.to_string()),
            ("comment", comment.to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_feedback(app, &refs).await
        }
    };

    let (status, to) = send(form("5", "")).await;
    assert_eq!(status, 302);
    assert_eq!(
        to,
        format!("/track/{code}?error=feedback_not_delivered"),
        "not before delivery"
    );
    drive(&app, &tokens, &code, TO_RETURNED).await;
    drive(&app, &tokens, &code, &["deliver"]).await;

    let (status, to) = send(form("9", "")).await;
    assert_eq!(
        (status, to.as_str()),
        (302, &*format!("/track/{code}?error=err_out_of_range"))
    );
    let mut wrong = form("4", "");
    wrong[1].1 = if pin == "000000" { "000001" } else { "000000" }.into();
    let (_, to) = send(wrong).await;
    assert_eq!(to, format!("/track/{code}?error=track_not_found"));

    let (status, to) = send(form("4", "<script>alert(1)</script> quick")).await;
    assert_eq!(status, 302);
    assert_eq!(to, format!("/track/{code}?feedback=thanks"));
    assert!(!to.contains(&pin), "the PIN never goes into a redirect");
    let (_, to) = send(form("1", "again")).await;
    assert_eq!(to, format!("/track/{code}?error=feedback_already_given"));

    let rows = feedback::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].rating, 4);
    assert_eq!(rows[0].office_code, "1201");
    assert_eq!(
        rows[0].comment.as_deref(),
        Some("<script>alert(1)</script> quick")
    );
    let (_, body) = track_json(&app, &code, &pin).await;
    assert_eq!(body["feedback_rating"], 4);
    assert_eq!(body["can_give_feedback"], false);
    let html = lookup_page(&app, &code, &pin, "en").await.html;
    assert!(html.contains("You rated this service 4 out of 5"));
    assert!(!html.contains("feedback-form"));
    let (_, html) = page(&app, &format!("/track/{code}?feedback=thanks"), "en").await;
    assert!(html.contains("Thank you for your feedback"));

    // The office's scorecard counts the case and the rating, but one rating is no average.
    let (status, html) = page(&app, "/offices/1201", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Scorecard"), "{html}");
    for (id, value) in [
        ("score-received", "1"),
        ("score-delivered", "1"),
        ("score-on-time", "100%"),
        ("score-rating", "not enough ratings yet"),
        ("score-ratings", "1"),
    ] {
        let at = html.find(&format!("data-testid=\"{id}\"")).unwrap();
        let value_at = html[at..].find("figure-value\">").unwrap() + at + 14;
        assert!(
            html[value_at..].starts_with(value),
            "{id}: {}",
            &html[value_at..value_at + 20]
        );
    }
    app.finish().await;
}

async fn catalogue_search_and_office_scorecard(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let services = service::Entity::find().all(&app.db).await.unwrap();
    let (status, html) = page(&app, "/services", "en").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("/services?sector=").count(), 17);

    // A Khmer word from inside a name finds that service; so does Latin text in any case.
    let guesthouse = services.iter().find(|s| s.code == "TOU-001").unwrap();
    for q in ["ផ្ទះសំណាក់", "GUESTHOUSE", "guesthouse", "tou-001"] {
        let (status, html) = page(&app, &format!("/services?q={}", urlencode(q)), "en").await;
        assert_eq!(status, 200);
        assert!(html.contains("data-code=\"TOU-001\""), "{q}");
    }
    let (_, html) = page(&app, "/services?q=zzzz-nothing", "en").await;
    assert!(html.contains("No service matches your search"));
    let (_, html) = page(&app, "/services?sector=14", "en").await;
    let in_sector = services.iter().filter(|s| s.sector_id == 14).count();
    assert_eq!(html.matches("class=\"service\"").count(), in_sector);

    // The service page: fee with separators, Khmer digits in Khmer, documents, offices.
    let (status, html) = page(&app, &format!("/services/{}", guesthouse.id), "km").await;
    assert_eq!(status, 200);
    assert!(html.contains("៤០០,០០០ ៛"), "Khmer digits");
    assert!(html.contains(&guesthouse.name_km));
    assert!(html.contains("២០"));
    let (status, html) = page(&app, "/services/TOU-001", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("400,000 ៛ per licence"));
    assert!(html.contains("20 working days"));
    assert!(html.contains("Offered at all 210"));
    assert!(html.contains("Fire prevention and safety certificate"));
    assert_eq!(page(&app, "/services/NOPE-1", "en").await.0, 404);

    let (status, html) = page(&app, "/offices/0203", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("score-received"));
    assert!(html.contains("This office offers all"));
    assert_eq!(page(&app, "/offices/9999", "en").await.0, 404);
    assert_eq!(page(&app, "/offices/%3Cx%3E", "en").await.0, 404);
    let (_, html) = page(&app, "/offices", "en").await;
    assert!(html.contains("href=\"/offices/1201\""));
    app.finish().await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
