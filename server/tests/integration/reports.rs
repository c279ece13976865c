//! Quarterly and semester reports and the public scorecard, over generated cases: totals that
//! add up and match the cases and payments, the silent offices, jurisdiction, the CSV export,
//! and the rule that an average rating needs five ratings.

use std::collections::{BTreeMap, BTreeSet};

use app::{
    backend::{
        auth::load_user,
        calendar::local_date,
        entities::{case, feedback, office, payment, user},
        reports::{months_back, report},
        stats::rollup::stage_column,
    },
    domain::CaseStatus,
    types::reports::{Period, PeriodPart, STAGE_COLUMNS},
};
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    on_both_databases,
    support::{Db, TestApp},
};

on_both_databases!(
    report_totals_add_up_and_match_the_cases,
    reports_stay_inside_the_jurisdiction,
    scorecard_averages_need_five_ratings,
);

async fn generate(app: &TestApp, cases: u64) {
    owso_server::generate::generate(
        &app.db,
        owso_server::generate::Options {
            cases,
            seed: 11,
            year: None,
            progress: false,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{}", e.message));
}

/// The quarter before the current one: over, and inside the generator's two years.
fn last_quarter() -> Period {
    let today = local_date(Utc::now());
    let q = (today.month() - 1) / 3 + 1;
    if q == 1 {
        Period {
            year: today.year() - 1,
            part: PeriodPart::Quarter(4),
        }
    } else {
        Period {
            year: today.year(),
            part: PeriodPart::Quarter(q - 1),
        }
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Direct {
    stages: BTreeMap<&'static str, u64>,
    receipts: u64,
    revenue: i64,
    completed: u64,
    on_time: u64,
}

/// The period's figures per office, counted straight from `cases` and `payments`.
async fn direct_counts(app: &TestApp, from: NaiveDate, to: NaiveDate) -> BTreeMap<String, Direct> {
    let within = |d: NaiveDate| d >= from && d <= to;
    let mut out: BTreeMap<String, Direct> = BTreeMap::new();
    for c in case::Entity::find().all(&app.db).await.unwrap() {
        if within(local_date(c.registered_at)) {
            let column = if c.status == CaseStatus::Rejected {
                "rejected"
            } else {
                stage_column(c.stage)
            };
            *out.entry(c.office_code.clone())
                .or_default()
                .stages
                .entry(column)
                .or_default() += 1;
        }
        if let Some(at) = c.delivered_at.filter(|at| within(local_date(*at))) {
            let d = out.entry(c.office_code.clone()).or_default();
            d.completed += 1;
            d.on_time += u64::from(local_date(at) <= c.due_on);
        }
    }
    for p in payment::Entity::find()
        .filter(payment::Column::CancelledAt.is_null())
        .all(&app.db)
        .await
        .unwrap()
    {
        if within(local_date(p.paid_at)) {
            let d = out.entry(p.office_code.clone()).or_default();
            d.receipts += 1;
            d.revenue += p.amount;
        }
    }
    out
}

pub(crate) async fn user_named(app: &TestApp, name: &str) -> app::backend::auth::CurrentUser {
    let model = user::Entity::find()
        .filter(user::Column::Username.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    load_user(&app.db, model).await.unwrap()
}

async fn report_totals_add_up_and_match_the_cases(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    generate(&app, 1_500).await;
    let period = last_quarter();
    let national = user_named(&app, "national").await;
    let r = report(&app.db, &national, &period.id(), None, None, Utc::now())
        .await
        .unwrap();
    assert_eq!(r.offices.len(), 210, "every office, silent ones included");
    assert!(!r.in_progress);

    // Per-office figures match the cases and payments; the offices add up to the unit.
    let direct = direct_counts(&app, period.first_day(), period.last_day()).await;
    let mut sums = vec![0u64; STAGE_COLUMNS.len()];
    let (mut receipts, mut revenue, mut completed, mut on_time) = (0, 0, 0, 0);
    for o in &r.offices {
        let want = direct.get(&o.code).map(|d| {
            let stages: Vec<u64> = STAGE_COLUMNS
                .iter()
                .map(|c| d.stages.get(c).copied().unwrap_or(0))
                .collect();
            (stages, d.receipts, d.revenue, d.completed, d.on_time)
        });
        let f = &o.figures;
        let got = (
            f.stages.clone(),
            f.receipts,
            f.revenue,
            f.completed,
            f.completed_on_time,
        );
        match want {
            Some(want) => assert_eq!(got, want, "office {}", o.code),
            None => assert!(f.is_silent(), "office {}", o.code),
        }
        for (s, n) in sums.iter_mut().zip(&f.stages) {
            *s += n;
        }
        receipts += f.receipts;
        revenue += f.revenue;
        completed += f.completed;
        on_time += f.completed_on_time;
    }
    assert_eq!(r.total.stages, sums);
    assert_eq!(
        (
            r.total.receipts,
            r.total.revenue,
            r.total.completed,
            r.total.completed_on_time
        ),
        (receipts, revenue, completed, on_time)
    );
    assert!(r.total.registered() > 0, "the quarter has cases");
    assert!(r.total.median_days.is_some());

    // Silent offices are exactly those with nothing registered, paid or delivered.
    let silent: BTreeSet<&str> = r.silent().map(|o| o.code.as_str()).collect();
    let expected: BTreeSet<&str> = r
        .offices
        .iter()
        .map(|o| o.code.as_str())
        .filter(|c| !direct.contains_key(*c))
        .collect();
    assert_eq!(silent, expected);
    assert!(!silent.is_empty() && silent.len() < 210, "{}", silent.len());

    // A province report is the province's rows of the national one, and adds up the same way.
    let pp = report(
        &app.db,
        &national,
        &period.id(),
        Some("12"),
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let national_12: Vec<_> = r
        .offices
        .iter()
        .filter(|o| o.province_code == "12")
        .map(|o| (&o.code, &o.figures.stages, o.figures.revenue))
        .collect();
    let province_rows: Vec<_> = pp
        .offices
        .iter()
        .map(|o| (&o.code, &o.figures.stages, o.figures.revenue))
        .collect();
    assert_eq!(national_12, province_rows);
    assert_eq!(
        pp.total.revenue,
        pp.offices.iter().map(|o| o.figures.revenue).sum::<i64>()
    );

    // The page: silent offices first, then the totals and tables.
    let cookie = app.session_of("national").await;
    let (status, html) = get_en(&app, &format!("/reports/{}", period.id()), &cookie).await;
    assert_eq!(status, 200, "{html}");
    let silent_at = html.find("data-testid=\"report-silent\"").unwrap();
    let totals_at = html.find("data-testid=\"report-totals\"").unwrap();
    let stages_at = html.find("data-testid=\"report-stages\"").unwrap();
    assert!(silent_at < totals_at && totals_at < stages_at);
    assert_eq!(
        html[silent_at..totals_at]
            .matches("class=\"silent-office\"")
            .count(),
        silent.len()
    );
    assert!(html.contains("Offices that sent nothing"));
    assert!(
        html.contains("report-print-hint"),
        "a print hint without JavaScript"
    );

    // The CSV: byte-order mark, a header row, one row per office, silent ones marked.
    let res = app
        .client
        .get(app.url(&format!("/reports/{}.csv", period.id())))
        .header("cookie", &cookie)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(&format!("owso-{}-KH.csv", period.id())));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Period,Office code,Office (Khmer),Office (English)"));
    assert!(lines[0].contains("Sent nothing"));
    assert_eq!(lines.len(), 211);
    let rows: Vec<Vec<String>> = lines.iter().map(|l| csv_fields(l)).collect();
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{lines:?}");
    let silent_rows: BTreeSet<&str> = rows[1..]
        .iter()
        .filter(|r| r[6] == "yes")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(silent_rows, silent);
    // In Khmer, the same rows under Khmer headers.
    let res = app
        .client
        .get(app.url(&format!("/reports/{}.csv?province=12", period.id())))
        .header("cookie", &cookie)
        .header("accept-language", "km")
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("លេខកូដការិយាល័យ"));
    assert_eq!(text.lines().count(), 1 + pp.offices.len());
    app.finish().await;
}

/// One CSV line's fields, with quoted fields unquoted (names carry commas).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

async fn get_en(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let mut req = app
        .client
        .get(app.url(path))
        .header("accept-language", "en");
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn reports_stay_inside_the_jurisdiction(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    generate(&app, 200).await;
    let p = last_quarter().id();
    let chief = app.session_of("chief.1201").await;
    let viewer = app.session_of("viewer.12").await;
    let national = app.session_of("national").await;
    let desk = app.session_of("desk.1201").await;
    let cases = [
        // Office leadership: their own office only.
        (&chief, format!("/reports/{p}"), 200),
        (&chief, format!("/reports/{p}?office=1201"), 200),
        (&chief, format!("/reports/{p}?office=1202"), 404),
        (&chief, format!("/reports/{p}?province=12"), 404),
        (&chief, format!("/reports/{p}.csv?office=1202"), 404),
        (&chief, format!("/reports/{p}.csv?province=12"), 404),
        (&chief, format!("/reports/{p}.csv"), 200),
        // Province viewers: their province and its offices.
        (&viewer, format!("/reports/{p}"), 200),
        (&viewer, format!("/reports/{p}?province=12"), 200),
        (&viewer, format!("/reports/{p}?office=1201"), 200),
        (&viewer, format!("/reports/{p}?province=17"), 404),
        (&viewer, format!("/reports/{p}?office=1701"), 404),
        (&viewer, format!("/reports/{p}.csv?province=17"), 404),
        // Other office roles read no reports.
        (&desk, format!("/reports/{p}"), 403),
        (&desk, format!("/reports/{p}.csv"), 403),
        // Bad periods and unknown codes are the user's mistakes, never a server error.
        (&national, format!("/reports/{p}?province=17"), 200),
        (&national, "/reports/2026-Q9".to_string(), 422),
        (&national, "/reports/nonsense".to_string(), 422),
        (&national, "/reports/2026-Q3x.csv".to_string(), 422),
        (&national, "/reports/2099-S1".to_string(), 422),
        (&national, format!("/reports/{p}?office=1299"), 422),
        (&national, format!("/reports/{p}?office=12x"), 422),
        (&national, format!("/reports/{p}?province=1201"), 422),
        (&national, format!("/reports/{p}.csv?office=1299"), 422),
    ];
    for (cookie, path, want) in cases {
        let (status, body) = get_en(&app, &path, cookie).await;
        assert_eq!(status, want, "{path}: {}", &body[..body.len().min(300)]);
    }
    let (_, html) = get_en(&app, "/reports/2026-Q9", &national).await;
    assert!(html.contains("Not a report period"), "a clear message");
    let (_, html) = get_en(&app, &format!("/reports/{p}?office=1299"), &national).await;
    assert!(html.contains("No office has this code"));
    let (_, text) = get_en(&app, "/reports/2026-Q9.csv", &national).await;
    assert!(text.starts_with("Not a report period"), "{text}");

    // Without a session: the page asks to sign in, the CSV is refused.
    let (status, html) = get_en(&app, &format!("/reports/{p}"), "").await;
    assert_eq!(status, 401);
    assert!(html.contains("href=\"/login\""));
    assert_eq!(get_en(&app, &format!("/reports/{p}.csv"), "").await.0, 401);
    assert_eq!(get_en(&app, "/reports", "").await.0, 401);

    // The form: its target sends the browser to the period page with one unit.
    let (status, html) = get_en(&app, "/reports", &national).await;
    assert_eq!(status, 200);
    assert!(html.contains("action=\"/reports/open\""));
    let res = app
        .client
        .get(app.url("/reports/open?year=2026&part=S1&province=12&office="))
        .header("cookie", &national)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/reports/2026-S1?province=12");
    app.finish().await;
}

/// A figure's value on a scorecard page.
fn figure(html: &str, testid: &str) -> String {
    let at = html.find(&format!("data-testid=\"{testid}\"")).unwrap();
    let start = html[at..].find("figure-value\">").unwrap() + at + 14;
    let end = html[start..].find('<').unwrap() + start;
    html[start..end].to_string()
}

async fn scorecard_averages_need_five_ratings(kind: Db) {
    let app = TestApp::spawn(kind).await;
    generate(&app, 3_000).await;
    let since = months_back(local_date(Utc::now()), 12);
    let mut ratings: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for f in feedback::Entity::find().all(&app.db).await.unwrap() {
        if local_date(f.created_at) >= since {
            ratings
                .entry(f.office_code)
                .or_default()
                .push(i64::from(f.rating));
        }
    }
    let (busy, values) = ratings
        .iter()
        .find(|(_, v)| v.len() >= 5)
        .expect("an office with five ratings");
    let (quiet, few) = ratings
        .iter()
        .find(|(_, v)| (1..5).contains(&v.len()))
        .expect("an office with a few ratings");
    let n = values.len() as i64;
    let avg_x10 = (values.iter().sum::<i64>() * 10 + n / 2) / n;
    let expected = format!("{}.{}", avg_x10 / 10, avg_x10 % 10);

    let (status, html) = get_en(&app, &format!("/offices/{busy}"), "").await;
    assert_eq!(status, 200);
    assert_eq!(figure(&html, "score-rating"), expected);
    assert_eq!(figure(&html, "score-ratings"), values.len().to_string());
    let (_, html) = get_en(&app, &format!("/offices/{quiet}"), "").await;
    assert_eq!(figure(&html, "score-rating"), "not enough ratings yet");
    assert_eq!(figure(&html, "score-ratings"), few.len().to_string());
    assert!(html.contains("last 12 full months and this month"));

    // The ranking: offices with five ratings ranked by their average, the others after them.
    let (status, html) = get_en(&app, "/scorecard", "").await;
    assert_eq!(status, 200);
    let split = html.find("data-testid=\"scorecard-unranked\"").unwrap();
    let (ranked, unranked) = html.split_at(split);
    assert!(ranked.contains(&format!("data-code=\"{busy}\"")));
    assert!(unranked.contains(&format!("data-code=\"{quiet}\"")));
    let rated = ratings.values().filter(|v| v.len() >= 5).count();
    assert_eq!(ranked.matches("class=\"scorecard-row\"").count(), rated);
    let offices = office::Entity::find()
        .filter(office::Column::Active.eq(true))
        .all(&app.db)
        .await
        .unwrap()
        .len();
    assert_eq!(
        html.matches("class=\"scorecard-row\"").count(),
        offices,
        "every active office once"
    );
    // Averages never rise down the ranking.
    let averages: Vec<f64> = ranked
        .split("class=\"score-rating\">")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].parse().unwrap())
        .collect();
    assert_eq!(averages.len(), rated);
    assert!(averages.windows(2).all(|w| w[0] >= w[1]), "{averages:?}");
    assert!(!unranked
        .split("class=\"score-rating\">")
        .skip(1)
        .any(|s| s.starts_with(|c: char| c.is_ascii_digit())));

    // One province, sorted by on-time share.
    let (status, html) = get_en(&app, "/scorecard?sort=on_time&province=12", "").await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = html
        .split("data-code=\"")
        .skip(1)
        .map(|s| &s[..4])
        .collect();
    assert!(!codes.is_empty() && codes.iter().all(|c| c.starts_with("12")));
    let (status, html) = get_en(&app, "/scorecard?province=1", "").await;
    assert_eq!(status, 422);
    assert!(html.contains("Wrong number of digits"), "a clear message");
    app.finish().await;
}
