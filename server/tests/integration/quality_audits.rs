//! Quality audits: reproducible random samples of delivered cases, drawn by province and national
//! viewers within their jurisdiction, and the monitoring officers' checklists.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use app::backend::{
    entities::{audit_entry, case, quality_audit_case, user},
    quality_audits::findings_by_office,
};
use chrono::{Datelike, Duration};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::{
    on_both_databases,
    support::{location, Db, TestApp},
};

on_both_databases!(
    samples_are_reproducible_bounded_and_in_scope,
    viewers_record_checklists_within_their_jurisdiction,
);

const YEAR: i32 = 2025;
const QUARTER: u32 = 2;

/// Calls a server function as a hydrated page would: the answer is the status and JSON body.
async fn call(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut req = app.client.post(app.url(path));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.form(fields).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn user_id(app: &TestApp, username: &str) -> i32 {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A year of generated cases, most of them delivered.
async fn spawn_with_cases(kind: Db) -> TestApp {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    owso_server::generate::generate(
        &app.db,
        owso_server::generate::Options {
            cases: 2_000,
            seed: 11,
            year: Some(YEAR),
            progress: false,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{}", e.message));
    app
}

/// The cases delivered in the quarter (Phnom Penh dates), by office, worked out here from the
/// rows rather than by the app.
async fn delivered_in_quarter(
    app: &TestApp,
    province: Option<&str>,
) -> BTreeMap<String, Vec<case::Model>> {
    let mut by_office: BTreeMap<String, Vec<case::Model>> = BTreeMap::new();
    for c in case::Entity::find().all(&app.db).await.unwrap() {
        let Some(at) = c.delivered_at else { continue };
        let local = (at + Duration::hours(7)).date_naive();
        let in_quarter = local.year() == YEAR && (local.month() - 1) / 3 + 1 == QUARTER;
        let in_scope = province.is_none_or(|p| c.office_code.starts_with(p));
        if c.status == app::domain::CaseStatus::Delivered && in_quarter && in_scope {
            by_office.entry(c.office_code.clone()).or_default().push(c);
        }
    }
    by_office
}

fn draw_fields<'a>(
    province: &'a str,
    per_office: &'a str,
    cap: &'a str,
    seed: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("year", "2025"),
        ("quarter", "2"),
        ("province", province),
        ("per_office", per_office),
        ("cap", cap),
        ("seed", seed),
    ]
}

/// The sampled case ids of an audit.
async fn sample_of(app: &TestApp, audit: i64) -> BTreeSet<i64> {
    quality_audit_case::Entity::find()
        .filter(quality_audit_case::Column::AuditId.eq(audit as i32))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.case_id)
        .collect()
}

async fn samples_are_reproducible_bounded_and_in_scope(kind: Db) {
    let app = spawn_with_cases(kind).await;
    let national = app.session_of("national").await;
    let expected = delivered_in_quarter(&app, Some("12")).await;
    assert!(
        expected.values().any(|c| c.len() >= 3),
        "the data gives some office several delivered cases"
    );

    // n per office holds, and only the quarter's delivered cases of the province are drawn.
    let (status, first) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &draw_fields("12", "2", "2000", "424242"),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    let first = first.as_i64().unwrap();
    let drawn = sample_of(&app, first).await;
    let by_id: HashMap<i64, &case::Model> =
        expected.values().flatten().map(|c| (c.id, c)).collect();
    assert!(
        drawn.iter().all(|id| by_id.contains_key(id)),
        "every drawn case is a delivered case of the quarter in 12"
    );
    for (office, cases) in &expected {
        let n = drawn
            .iter()
            .filter(|id| by_id[id].office_code == *office)
            .count();
        assert_eq!(n, cases.len().min(2), "office {office}");
    }

    // The same seed draws the same sample; another seed another one.
    let (_, again) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &draw_fields("12", "2", "2000", "424242"),
    )
    .await;
    assert_eq!(sample_of(&app, again.as_i64().unwrap()).await, drawn);
    let (_, other) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &draw_fields("12", "2", "2000", "7"),
    )
    .await;
    assert_ne!(sample_of(&app, other.as_i64().unwrap()).await, drawn);

    // The cap holds, and keeps part of the uncapped sample.
    let cap = (drawn.len() / 2).max(1);
    let (_, capped) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &draw_fields("12", "2", &cap.to_string(), "424242"),
    )
    .await;
    let capped = sample_of(&app, capped.as_i64().unwrap()).await;
    assert_eq!(capped.len(), cap);
    assert!(capped.is_subset(&drawn));

    // A national sample covers every province.
    let (status, whole) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &draw_fields("", "1", "2000", "5"),
    )
    .await;
    assert_eq!(status, 200, "{whole}");
    let nationwide = delivered_in_quarter(&app, None).await;
    assert_eq!(
        sample_of(&app, whole.as_i64().unwrap()).await.len(),
        nationwide.len()
    );

    // Bad input: 422 naming each field, in the user's language on the page.
    let (status, body) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &[
            ("year", "1999"),
            ("quarter", "5"),
            ("province", "12"),
            ("per_office", "0"),
            ("cap", "5000"),
            ("seed", "abc"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let fields: BTreeSet<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from(["year", "quarter", "per_office", "cap", "seed"])
    );
    let res = app
        .post_form(
            "/api/audits/draw",
            Some(&national),
            &draw_fields("12", "51", "10", "1"),
        )
        .await;
    let back = location(&res);
    assert!(
        back.starts_with("/audits/new?") && back.contains("err_per_office=err_out_of_range"),
        "{back}"
    );
    let (status, html) = app.get_as(&back, &national).await;
    assert_eq!(status, 200);
    assert!(html.contains("តម្លៃមិនត្រឹមត្រូវ"), "the message is in Khmer");
    // A quarter with nothing delivered says so instead of making an empty audit.
    let (status, body) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &[
            ("year", "2024"),
            ("quarter", "1"),
            ("province", "12"),
            ("per_office", "2"),
            ("cap", "10"),
            ("seed", "1"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["key"], "err_audit_no_cases");

    // Jurisdiction: province 12's viewer draws only for 12; office staff may not draw at all.
    let viewer = app.session_of("viewer.12").await;
    let chief = app.session_of("chief.1201").await;
    let (status, mine) = call(
        &app,
        "/api/audits/draw",
        Some(&viewer),
        &draw_fields("12", "1", "10", "9"),
    )
    .await;
    assert_eq!(status, 200, "{mine}");
    for province in ["02", ""] {
        let (status, body) = call(
            &app,
            "/api/audits/draw",
            Some(&viewer),
            &draw_fields(province, "1", "10", "9"),
        )
        .await;
        assert_eq!(status, 404, "province {province:?}: {body}");
    }
    assert_eq!(
        call(
            &app,
            "/api/audits/draw",
            Some(&chief),
            &draw_fields("12", "1", "10", "9")
        )
        .await
        .0,
        403
    );
    assert_eq!(
        call(
            &app,
            "/api/audits/draw",
            None,
            &draw_fields("12", "1", "10", "9")
        )
        .await
        .0,
        401
    );
    let whole = whole.as_i64().unwrap();
    assert_eq!(
        call(
            &app,
            "/api/audits/get",
            Some(&viewer),
            &[("id", &whole.to_string())]
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.get_as(&format!("/audits/{whole}"), &viewer).await.0,
        404
    );
    assert_eq!(
        call(
            &app,
            "/api/audits/get",
            Some(&viewer),
            &[("id", &first.to_string())]
        )
        .await
        .0,
        200
    );
    assert_eq!(app.get_as("/audits", &chief).await.0, 403);
    assert_eq!(app.get_as(&format!("/audits/{first}"), &chief).await.0, 403);
    let (_, list) = call(&app, "/api/audits/list", Some(&viewer), &[]).await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.contains(&whole) && ids.contains(&first));
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    // The draw is in the audit log.
    let logged = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("quality_audit_draw"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 6);
    app.finish().await;
}

async fn viewers_record_checklists_within_their_jurisdiction(kind: Db) {
    let app = spawn_with_cases(kind).await;
    let national = app.session_of("national").await;
    let viewer = app.session_of("viewer.12").await;
    let viewer_id = user_id(&app, "viewer.12").await;
    let national_id = user_id(&app, "national").await;
    let officer = format!("officers[{viewer_id}]");
    let mut fields = draw_fields("12", "1", "4", "2026");
    fields.push((officer.as_str(), "on"));
    let (status, audit) = call(&app, "/api/audits/draw", Some(&national), &fields).await;
    assert_eq!(status, 200, "{audit}");
    let audit = audit.as_i64().unwrap().to_string();
    let (_, view) = call(&app, "/api/audits/get", Some(&national), &[("id", &audit)]).await;
    let cases = view["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    assert!(cases.iter().all(|c| c["assignee"] == "viewer.12"), "{view}");
    let codes: Vec<String> = cases
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "cases are listed in code order");

    // The assigned officer records a checklist, JavaScript off; the summary shows it.
    let answers = [
        ("fee_correct", "no"),
        ("documents_complete", "yes"),
        ("deadline_met", "yes"),
        ("data_matches", "yes"),
        ("citizen_reached", "yes"),
        ("citizen_satisfied", ""),
    ];
    let mut form: Vec<(&str, &str)> = vec![("audit_id", &audit), ("code", &codes[0])];
    form.extend(answers);
    form.push(("findings", "Charged 5,000 riel above the fee"));
    let res = app
        .post_form("/api/audits/record", Some(&viewer), &form)
        .await;
    assert_eq!(
        location(&res),
        format!("/audits/{audit}/cases/{}?saved=1", codes[0])
    );
    let (_, view) = call(&app, "/api/audits/get", Some(&viewer), &[("id", &audit)]).await;
    let office_code = view["cases"][0]["office_code"].as_str().unwrap();
    let office = view["offices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["office_code"] == office_code)
        .unwrap();
    assert_eq!(office["checked"], 1);
    assert_eq!(office["findings"], 1);
    assert_eq!(
        office["items"][0],
        serde_json::json!({ "yes": 0, "answered": 1 })
    );
    assert_eq!(
        office["items"][5],
        serde_json::json!({ "yes": 0, "answered": 0 })
    );
    assert_eq!(view["cases"][0]["checked"], true);
    let (status, html) = app.get_as(&format!("/audits/{audit}"), &viewer).await;
    assert_eq!(status, 200);
    assert!(html.contains(&codes[0]) && html.contains("សង្ខេបតាមការិយាល័យ"));
    let (status, html) = app
        .get_as(&format!("/audits/{audit}/cases/{}", codes[0]), &viewer)
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Charged 5,000 riel above the fee"));
    let summary = findings_by_office(&app.db, YEAR, &[QUARTER], Some("12"))
        .await
        .unwrap();
    let row = summary.iter().find(|s| s.checked == 1).unwrap();
    assert_eq!((row.failed_items, row.findings), (1, 1));
    assert_eq!(summary.iter().map(|s| s.sampled).sum::<u64>(), 4);
    assert!(findings_by_office(&app.db, YEAR, &[1], None)
        .await
        .unwrap()
        .is_empty());
    assert!(findings_by_office(&app.db, YEAR, &[QUARTER], Some("02"))
        .await
        .unwrap()
        .is_empty());

    // Re-recording overwrites, and both are in the audit log.
    let mut again: Vec<(&str, &str)> = vec![
        ("audit_id", &audit),
        ("code", &codes[0]),
        ("fee_correct", "yes"),
    ];
    again.push(("findings", ""));
    let (status, body) = call(&app, "/api/audits/record", Some(&viewer), &again).await;
    assert_eq!(status, 200, "{body}");
    let summary = findings_by_office(&app.db, YEAR, &[QUARTER], Some("12"))
        .await
        .unwrap();
    assert_eq!(
        summary
            .iter()
            .map(|s| s.failed_items + s.findings)
            .sum::<u64>(),
        0
    );
    let entity = format!("{audit}:{}", codes[0]);
    let log = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityId.eq(entity.as_str()))
        .order_by_asc(audit_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log[0].before_json.is_none()
            && log[1]
                .before_json
                .as_deref()
                .unwrap()
                .contains("\"fee_correct\":false")
    );

    // Bad answers and over-long findings are refused by field.
    let long = "x".repeat(2_001);
    let (status, body) = call(
        &app,
        "/api/audits/record",
        Some(&viewer),
        &[
            ("audit_id", &audit),
            ("code", &codes[1]),
            ("deadline_met", "maybe"),
            ("findings", &long),
        ],
    )
    .await;
    assert_eq!(status, 422);
    let fields: BTreeSet<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, BTreeSet::from(["deadline_met", "findings"]));

    // The drawer gives a case to themself; the former officer may then read but not record.
    let (status, body) = call(
        &app,
        "/api/audits/assign",
        Some(&national),
        &[
            ("audit_id", &audit),
            ("code", &codes[1]),
            ("user_id", &national_id.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = call(
        &app,
        "/api/audits/assign",
        Some(&viewer),
        &[
            ("audit_id", &audit),
            ("code", &codes[2]),
            ("user_id", &viewer_id.to_string()),
        ],
    )
    .await;
    assert_eq!(status, 403, "only the drawer reassigns");
    let (status, view) = call(
        &app,
        "/api/audits/case",
        Some(&viewer),
        &[("audit_id", &audit), ("code", &codes[1])],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(view["can_record"], false);
    let (status, _) = call(
        &app,
        "/api/audits/record",
        Some(&viewer),
        &[
            ("audit_id", &audit),
            ("code", &codes[1]),
            ("fee_correct", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        "/api/audits/record",
        Some(&national),
        &[
            ("audit_id", &audit),
            ("code", &codes[1]),
            ("fee_correct", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 200);

    // Out of scope: another province's viewer would not see it; office staff are refused; a
    // case outside the sample is not found.
    let chief = app.session_of("chief.1201").await;
    assert_eq!(
        call(
            &app,
            "/api/audits/case",
            Some(&chief),
            &[("audit_id", &audit), ("code", &codes[0])]
        )
        .await
        .0,
        403
    );
    let outside = case::Entity::find()
        .filter(case::Column::Status.eq("delivered"))
        .filter(case::Column::Id.is_not_in(sample_of(&app, audit.parse().unwrap()).await))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        call(
            &app,
            "/api/audits/case",
            Some(&national),
            &[("audit_id", &audit), ("code", &outside.code)]
        )
        .await
        .0,
        404
    );
    let (_, other) = call(
        &app,
        "/api/audits/draw",
        Some(&national),
        &draw_fields("", "1", "3", "1"),
    )
    .await;
    let other = other.as_i64().unwrap().to_string();
    let (_, view) = call(&app, "/api/audits/get", Some(&national), &[("id", &other)]).await;
    let code = view["cases"][0]["code"].as_str().unwrap();
    assert_eq!(
        call(
            &app,
            "/api/audits/case",
            Some(&viewer),
            &[("audit_id", &other), ("code", code)]
        )
        .await
        .0,
        404
    );
    assert_eq!(
        app.get_as(&format!("/audits/{other}/cases/{code}"), &viewer)
            .await
            .0,
        404
    );
    app.finish().await;
}
