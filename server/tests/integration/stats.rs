//! Statistics: rollups kept by real actions equal a recomputation, the dashboard's totals agree
//! with the cases themselves, and every caller sees only their jurisdiction.

use std::collections::HashMap;

use app::backend::{
    calendar::local_date,
    entities::{case, payment},
    stats::rollup,
};
use app::domain::CaseStatus;
use chrono::Datelike;
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{json, Value};

use crate::{
    on_both_databases,
    support::{Db, TestApp},
    workflow::{act, full_service, full_workflow, get_case, register},
};

on_both_databases!(
    rollups_follow_every_action_and_totals_agree_with_the_cases,
    statistics_are_scoped_and_bad_filters_are_named,
);

/// Takes a case one step, as `who`, at the version the case is at.
async fn step(
    app: &TestApp,
    tokens: &HashMap<String, String>,
    who: &str,
    code: &str,
    extra: Value,
) {
    let (_, before) = get_case(app, &tokens[who], code).await;
    let mut body = extra;
    body["version"] = before["version"].clone();
    let (status, outcome) = act(app, &tokens[who], code, body.clone()).await;
    assert_eq!(status, 200, "{who} {body}: {outcome}");
}

async fn stats(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    app.api(
        Method::GET,
        &format!("/api/v1/stats{query}"),
        Some(token),
        None,
    )
    .await
}

async fn assert_rollups_match_a_recomputation(app: &TestApp) {
    let kept = rollup::snapshot(&app.db).await.unwrap();
    let txn = app.db.begin().await.unwrap();
    rollup::rebuild(&txn).await.unwrap();
    let fresh = rollup::snapshot(&txn).await.unwrap();
    txn.rollback().await.unwrap();
    assert!(!kept.is_empty());
    let missing: Vec<_> = fresh.iter().filter(|r| !kept.contains(r)).take(3).collect();
    let extra: Vec<_> = kept.iter().filter(|r| !fresh.contains(r)).take(3).collect();
    assert_eq!(
        kept.len(),
        fresh.len(),
        "missing {missing:?}, extra {extra:?}"
    );
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
}

async fn rollups_follow_every_action_and_totals_agree_with_the_cases(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    owso_server::generate::generate(
        &app.db,
        owso_server::generate::Options {
            cases: 2_500,
            seed: 11,
            year: None,
            progress: false,
        },
    )
    .await
    .unwrap();
    assert_rollups_match_a_recomputation(&app).await;

    // Real actions on top: one case all the way to delivery, one paid then the payment
    // cancelled, one only registered.
    let service_id = full_service(&app).await;
    let (delivered, _) = register(&app, &tokens, service_id).await;
    let fee = get_case(&app, &tokens["desk.1201"], &delivered).await.1["fee_total"].clone();
    for (who, body) in full_workflow(fee.clone()) {
        step(&app, &tokens, who, &delivered, body).await;
    }
    let (cancelled, _) = register(&app, &tokens, service_id).await;
    step(
        &app,
        &tokens,
        "cashier.1201",
        &cancelled,
        json!({ "action": "pay", "amount": fee }),
    )
    .await;
    step(
        &app,
        &tokens,
        "chief.1201",
        &cancelled,
        json!({ "action": "cancel_payment", "comment": "ប្រាក់ខុស" }),
    )
    .await;
    register(&app, &tokens, service_id).await;
    assert_rollups_match_a_recomputation(&app).await;

    // The national figures against the cases and payments themselves.
    let year = local_date(chrono::Utc::now()).year();
    let cases = case::Entity::find().all(&app.db).await.unwrap();
    let payments = payment::Entity::find()
        .filter(payment::Column::CancelledAt.is_null())
        .all(&app.db)
        .await
        .unwrap();
    let in_period = |at: chrono::DateTime<chrono::Utc>, quarter: Option<u32>| {
        let d = local_date(at);
        d.year() == year && quarter.is_none_or(|q| (d.month() - 1) / 3 + 1 == q)
    };
    let national = &tokens["national"];
    let current_quarter = (local_date(chrono::Utc::now()).month() - 1) / 3 + 1;
    for (query, quarter, province) in [
        (format!("?year={year}"), None, None),
        (
            format!("?year={year}&quarter={current_quarter}"),
            Some(current_quarter),
            None,
        ),
        (format!("?year={year}&province=12"), None, Some("12")),
    ] {
        let (status, body) = stats(&app, national, &query).await;
        assert_eq!(status, 200, "{body}");
        let mine = |office: &str| province.is_none_or(|p| office.starts_with(p));
        let expected_cases: Vec<&case::Model> = cases
            .iter()
            .filter(|c| in_period(c.registered_at, quarter) && mine(&c.office_code))
            .collect();
        assert_eq!(body["total_cases"], expected_cases.len() as i64, "{query}");
        let tiles = body["tiles"].as_array().unwrap();
        let tile_sum: i64 = tiles.iter().map(|t| t["cases"].as_i64().unwrap()).sum();
        assert_eq!(tile_sum, expected_cases.len() as i64, "{query}");
        for tile in tiles {
            let key = tile["key"].as_str().unwrap();
            let expected = expected_cases
                .iter()
                .filter(|c| {
                    if key == "rejected" {
                        c.status == CaseStatus::Rejected
                    } else {
                        c.stage.id() == key && c.status != CaseStatus::Rejected
                    }
                })
                .count() as i64;
            assert_eq!(tile["cases"], expected, "{query} tile {key}");
        }
        let revenue: i64 = payments
            .iter()
            .filter(|p| in_period(p.paid_at, quarter) && mine(&p.office_code))
            .map(|p| p.amount)
            .sum();
        assert!(revenue > 0);
        assert_eq!(body["money"]["revenue"], revenue, "{query}");
        let by_district: i64 = body["revenue_by_district"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["revenue"].as_i64().unwrap())
            .sum();
        assert_eq!(
            by_district, revenue,
            "{query}: districts add up to the total"
        );
    }

    // The CSV of the revenue chart carries the same figures, with a BOM for Excel.
    let cookie = app.session_of("national").await;
    let res = app
        .client
        .get(app.url(&format!(
            "/stats/export/revenue-by-district.csv?year={year}"
        )))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "UTF-8 BOM");
    let csv_revenue: i64 = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit(',').next()?.trim().parse::<i64>().ok())
        .sum();
    let (_, body) = stats(&app, national, &format!("?year={year}")).await;
    assert_eq!(csv_revenue, body["money"]["revenue"].as_i64().unwrap());

    // The per-sector chart comes from the service rollup; it must count what the cases say.
    let (_, csv) = app
        .get_as(
            &format!("/stats/export/cases-by-sector.csv?year={year}"),
            &cookie,
        )
        .await;
    let mut charted: Vec<(i64, i64)> = csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cells = l.rsplit(',');
            let revenue = cells.next()?.trim().parse().ok()?;
            let cases = cells.next()?.trim().parse().ok()?;
            Some((cases, revenue))
        })
        .collect();
    let sector_of: std::collections::HashMap<i64, i32> =
        cases.iter().map(|c| (c.id, c.sector_id)).collect();
    let mut per_sector: std::collections::BTreeMap<i32, (i64, i64)> = Default::default();
    for c in cases.iter().filter(|c| in_period(c.registered_at, None)) {
        per_sector.entry(c.sector_id).or_default().0 += 1;
    }
    for p in payments.iter().filter(|p| in_period(p.paid_at, None)) {
        per_sector.entry(sector_of[&p.case_id]).or_default().1 += p.amount;
    }
    let mut expected: Vec<(i64, i64)> = per_sector.into_values().collect();
    expected.sort();
    charted.sort();
    assert!(expected.len() > 3, "several sectors: {expected:?}");
    assert_eq!(charted, expected, "cases and revenue per sector");
    app.finish().await;
}

async fn statistics_are_scoped_and_bad_filters_are_named(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    owso_server::generate::generate(
        &app.db,
        owso_server::generate::Options {
            cases: 400,
            seed: 3,
            year: None,
            progress: false,
        },
    )
    .await
    .unwrap();
    // Out of jurisdiction: not found, as if the unit did not exist.
    for (who, query, status) in [
        ("viewer.12", "?province=17", 404),
        ("viewer.12", "?district=1701", 404),
        ("chief.1201", "?district=1202", 404),
        ("chief.1201", "?province=17", 404),
        ("desk.1201", "", 403),
        ("cashier.1201", "", 403),
    ] {
        let (got, body) = stats(&app, &tokens[who], query).await;
        assert_eq!(got, status, "{who} {query}: {body}");
    }
    let (got, _) = app.api(Method::GET, "/api/v1/stats", None, None).await;
    assert_eq!(got, 401);
    let (_, own) = stats(&app, &tokens["viewer.12"], "").await;
    assert_eq!(own["selection"]["province"], "12");
    assert!(own["revenue_by_district"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["code"].as_str().unwrap().starts_with("12")));
    let (_, own) = stats(&app, &tokens["chief.1201"], "").await;
    assert_eq!(own["selection"]["district"], "1201");

    // Bad filters name their field, in a 422, never a 500.
    for (query, field) in [
        ("?year=1999", "year"),
        ("?year=abc", "year"),
        ("?year=3000", "year"),
        ("?district=9999", "district"),
        ("?province=99", "province"),
        ("?sector=99", "sector"),
        ("?quarter=5", "quarter"),
        ("?quarter=2&month=5", "month"),
        ("?province=17&district=1201", "district"),
    ] {
        let (got, body) = stats(&app, &tokens["national"], query).await;
        assert_eq!(got, 422, "{query}: {body}");
        assert!(body.to_string().contains(field), "{query}: {body}");
    }

    // The page and the CSV follow the same rules.
    let viewer = app.session_of("viewer.12").await;
    let (status, page) = app.get_as("/stats", &viewer).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"tile-cashier\""));
    assert!(page.contains("<svg role=\"img\""));
    let (status, _) = app.get_as("/stats?province=17", &viewer).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .get_as("/stats/export/revenue-by-district.csv?province=17", &viewer)
        .await;
    assert_eq!(status, 404);
    let (status, _) = app.get_as("/stats/export/no-such-chart.csv", &viewer).await;
    assert_eq!(status, 404);
    let (status, _) = app.get_text("/stats/export/on-time.csv").await;
    assert_eq!(status, 401);
    app.finish().await;
}
