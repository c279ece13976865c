//! The foundation: schema and reference data, pages, health, language, generator and CLI.

use std::{collections::HashSet, io::Write, process::Command};

use app::backend::entities::*;
use app::domain::{CaseStatus, Stage};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement};

use crate::{
    on_both_databases,
    support::{connect, owso_bin, Db, FreshDb, TestApp},
};

on_both_databases!(
    reference_data_is_complete,
    migrations_go_down_and_up_again,
    healthz_answers_ok_then_503_without_database,
    home_is_khmer_first_with_english_by_header_or_cookie,
    offices_page_lists_all_210_offices,
    language_switch_sets_cookie,
    generator_is_deterministic_and_codes_unique,
);

macro_rules! count {
    ($db:expr, $entity:ident) => {
        $entity::Entity::find().count($db).await.unwrap()
    };
}

async fn reference_data_is_complete(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let db = &app.db;
    assert_eq!(count!(db, province), 25);
    assert_eq!(count!(db, district), 210);
    assert_eq!(count!(db, commune), 1_652);
    assert_eq!(count!(db, village), 14_578);
    assert_eq!(count!(db, office), 210);
    assert_eq!(count!(db, sector), 17);
    let holidays = holiday::Entity::find().all(db).await.unwrap();
    for year in 2024..=2027 {
        assert!(
            holidays
                .iter()
                .filter(|h| h.day.format("%Y").to_string() == year.to_string())
                .count()
                >= 15
        );
    }
    // The demo catalogue: at least 80 services, every sector covered, each with a workflow.
    let services = service::Entity::find().all(db).await.unwrap();
    assert!(services.len() >= 80, "{}", services.len());
    assert!(services.iter().all(|s| s.is_demo));
    let sectors: HashSet<i32> = services.iter().map(|s| s.sector_id).collect();
    assert_eq!(sectors.len(), 17);
    let labour = services
        .iter()
        .find(|s| s.fee_riel == 600_000 && s.sector_id == 12)
        .expect("seed example");
    assert!(labour.name_en.contains("internal work rules"));
    let steps = workflow_step::Entity::find().all(db).await.unwrap();
    for s in &services {
        let mine: Vec<_> = steps.iter().filter(|w| w.service_id == s.id).collect();
        assert!(mine.len() >= 4, "{} has {} steps", s.code, mine.len());
        assert_eq!(
            mine.iter().map(|w| w.working_days).sum::<i32>(),
            s.time_standard_days,
            "{}",
            s.code
        );
        assert_eq!(
            mine.iter().any(|w| w.stage == Stage::TaxBranch),
            s.tax_branch,
            "{}",
            s.code
        );
    }
    let pp = office::Entity::find_by_id("1201")
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(pp.name_km.contains("ការិយាល័យច្រកចេញចូលតែមួយ"));
    assert!(!pp.opening_hours_en.is_empty());
    app.finish().await;
}

async fn migrations_go_down_and_up_again(kind: Db) {
    let fresh = FreshDb::new(kind).await;
    let db = connect(&fresh.url).await;
    Migrator::up(&db, None).await.unwrap();
    Migrator::down(&db, None).await.unwrap();
    let remaining = Migrator::get_applied_migrations(&db).await.unwrap();
    assert!(remaining.is_empty());
    // The tables are gone: querying one fails.
    assert!(office::Entity::find().count(&db).await.is_err());
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(count!(&db, village), 14_578);
    let _ = db.close().await;
    fresh.drop_now().await;
}

async fn healthz_answers_ok_then_503_without_database(kind: Db) {
    let app = TestApp::spawn(kind).await;
    assert_eq!(app.get_text("/healthz").await, (200, "ok".to_string()));
    // Take the database away under the running server.
    match kind {
        Db::Postgres => app.fresh.drop_now().await,
        Db::Sqlite => {
            let _ = app.db.clone().close().await;
        }
    }
    let (status, _) = app.get_text("/healthz").await;
    assert_eq!(status, 503);
    app.finish().await;
}

async fn home_is_khmer_first_with_english_by_header_or_cookie(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"<html lang="km""#),
        "{}",
        &html[..300.min(html.len())]
    );
    assert!(html.contains("សេវារដ្ឋបាល នៅច្រកតែមួយ"));
    assert!(html.contains("noto-sans-khmer-khmer-400-normal.woff2"));
    assert!(html.contains("ទិន្នន័យសាកល្បង"), "demo data is labelled");

    let en = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    let en = en.text().await.unwrap();
    assert!(en.contains(r#"<html lang="en""#));
    assert!(en.contains("Administrative services through one window"));

    let cookie = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en")
        .header("cookie", "owso_lang=km")
        .send()
        .await
        .unwrap();
    assert!(cookie.text().await.unwrap().contains(r#"<html lang="km""#));

    let (status, _) = app.get_text("/no/such/page").await;
    assert_eq!(status, 404);
    app.finish().await;
}

async fn offices_page_lists_all_210_offices(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let (status, html) = app.get_text("/offices").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches(r#"class="office""#).count(), 210);
    assert_eq!(html.matches(r#"class="province""#).count(), 25);
    assert!(html.contains("មង្គលបូរី") && html.contains("Mongkol Borey"));
    assert!(html.contains("២១០"), "the count is in Khmer digits");
    app.finish().await;
}

async fn language_switch_sets_cookie(kind: Db) {
    let app = TestApp::spawn(kind).await;
    // Without JavaScript the form posts here and is sent back to the page it came from.
    let res = app
        .client
        .post(app.url("/api/prefs/language"))
        .header("referer", app.url("/offices"))
        .header("accept", "text/html")
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&app.url("/offices")), "{location}");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("owso_lang=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let res = app
        .client
        .post(app.url("/api/prefs/language"))
        .header("accept", "application/json")
        .form(&[("lang", "xx")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    app.finish().await;
}

async fn generator_is_deterministic_and_codes_unique(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let opts = |seed| owso_server::generate::Options {
        cases: 1_500,
        seed,
        year: None,
        progress: false,
    };
    owso_server::generate::generate(&app.db, opts(7))
        .await
        .unwrap_or_else(|e| panic!("{}", e.message));
    owso_server::generate::generate(&app.db, opts(8))
        .await
        .unwrap_or_else(|e| panic!("{}", e.message));
    let cases = case::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(cases.len(), 3_000);
    let codes: HashSet<&str> = cases.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes.len(), 3_000, "codes are unique");
    for c in &cases {
        assert_eq!(c.code.len(), 10);
        assert_eq!(&c.code[..2], c.province_code.as_str());
        assert_eq!(
            c.code[2..4].parse::<i32>().unwrap(),
            c.registration_year % 100
        );
        assert_eq!(c.pin.len(), 6);
        assert_eq!(c.fee_total, c.fee_per_unit * c.quantity as i64);
        assert!(c.applicant_id.is_some() != c.enterprise_id.is_some());
    }
    // Every stage and status appears; most old cases are delivered.
    let stages: HashSet<Stage> = cases.iter().map(|c| c.stage).collect();
    assert!(stages.len() >= 8, "{stages:?}");
    let delivered = cases
        .iter()
        .filter(|c| c.status == CaseStatus::Delivered)
        .count();
    assert!(delivered > cases.len() / 2);
    // Sequences continue where the first run stopped: no gaps, no duplicates per province-year.
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM case_sequences s WHERE s.last_value <> \
             (SELECT MAX(sequence) FROM cases c WHERE c.province_code = s.province_code AND c.registration_year = s.year)",
        ))
        .await
        .unwrap();
    assert_eq!(rows[0].try_get::<i64>("", "n").unwrap(), 0);
    // Every event row and payment decodes through its entity.
    let events = case_event::Entity::find().all(&app.db).await.unwrap();
    assert!(events.len() > cases.len() * 3);
    let steps = workflow_step::Entity::find().all(&app.db).await.unwrap();
    replay_through_the_state_machine(&cases, &events, &steps);
    let payments = payment::Entity::find().all(&app.db).await.unwrap();
    assert!(!payments.is_empty());
    assert_eq!(
        payments
            .iter()
            .map(|p| &p.receipt_number)
            .collect::<HashSet<_>>()
            .len(),
        payments.len()
    );
    assert!(applicant::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .is_some());
    assert!(enterprise::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .is_some());

    // Same seed on a fresh database: the same cases.
    let other = TestApp::spawn(kind).await;
    owso_server::generate::generate(&other.db, opts(7))
        .await
        .unwrap();
    let again = case::Entity::find().all(&other.db).await.unwrap();
    let first: Vec<_> = cases
        .iter()
        .take(1_500)
        .map(|c| (&c.code, &c.pin, c.service_id, &c.office_code))
        .collect();
    let second: Vec<_> = again
        .iter()
        .map(|c| (&c.code, &c.pin, c.service_id, &c.office_code))
        .collect();
    assert_eq!(first, second);
    other.finish().await;
    app.finish().await;
}

fn owso(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(owso_bin().as_ref());
    cmd.args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn cli_rejects_bad_input_with_one_line_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("owso-cli-{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/owso.db", dir.display());
    let env = [("DATABASE_URL", url.as_str())];

    let (code, _, err) = owso(&["generate", "--cases", "-5"], &env, None);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--cases") && err.contains("-5"), "{err}");

    let (code, _, err) = owso(
        &["migrate", "status"],
        &[("DATABASE_URL", "mysql://root@localhost/x")],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("DATABASE_URL"), "{err}");

    let (code, _, err) = owso(
        &["migrate", "status"],
        &[("DATABASE_URL", "postgres://owso:owso@127.0.0.1:1/none")],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("DATABASE_URL"), "{err}");

    let (code, _, err) = owso(
        &[
            "user",
            "add",
            "--username",
            "boss1",
            "--role",
            "boss",
            "--office",
            "1201",
        ],
        &env,
        Some("secret-pass\n"),
    );
    assert_eq!(code, 2);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("unknown role"), "{err}");
    // Nothing was written: the database was never even created.
    assert!(!dir.join("owso.db").exists());

    let (code, _, err) = owso(
        &[
            "user",
            "add",
            "--username",
            "desk1",
            "--role",
            "front_desk",
            "--office",
            "9999",
        ],
        &env,
        Some("secret-pass\n"),
    );
    assert_eq!(code, 2, "{err}");
    let (code, out, err) = owso(
        &[
            "user",
            "add",
            "--username",
            "desk1",
            "--role",
            "front_desk",
            "--office",
            "1201",
        ],
        &env,
        Some("secret-pass\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created user"));
    let (code, _, err) = owso(
        &[
            "user",
            "add",
            "--username",
            "desk1",
            "--role",
            "front_desk",
            "--office",
            "1201",
        ],
        &env,
        Some("secret-pass\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("taken"), "{err}");
    let (code, _, err) = owso(
        &[
            "user",
            "add",
            "--username",
            "short",
            "--role",
            "national_viewer",
        ],
        &env,
        Some("short\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("password"), "{err}");

    let (code, out, _) = owso(&["migrate", "status"], &env, None);
    assert_eq!(code, 0);
    assert_eq!(
        out.matches("Applied").count(),
        Migrator::migrations().len(),
        "{out}"
    );
    let (code, out, _) = owso(&["--help"], &env, None);
    assert_eq!(code, 0);
    for command in ["serve", "migrate", "seed", "generate", "user"] {
        assert!(out.contains(command), "{out}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Every generated timeline is one the state machine allows: each event after registration is a
/// transition `decide` grants some role (the case's sector for technical officers), landing where
/// the event says, and the case ends where its last event left it.
fn replay_through_the_state_machine(
    cases: &[case::Model],
    events: &[case_event::Model],
    steps: &[workflow_step::Model],
) {
    use std::collections::HashMap;

    use app::domain::{
        workflow::{decide, Action, ActorFacts, CaseEventKind, CaseFacts},
        CaseStatus, Role, Stage,
    };

    let mut workflows: HashMap<i32, Vec<(i32, Stage)>> = HashMap::new();
    for s in steps {
        workflows
            .entry(s.service_id)
            .or_default()
            .push((s.position, s.stage));
    }
    let workflows: HashMap<i32, Vec<Stage>> = workflows
        .into_iter()
        .map(|(id, mut steps)| {
            steps.sort();
            (id, steps.into_iter().map(|(_, s)| s).collect())
        })
        .collect();
    let mut timelines: HashMap<i64, Vec<&case_event::Model>> = HashMap::new();
    for e in events {
        timelines.entry(e.case_id).or_default().push(e);
    }
    let mut replayed = 0;
    for c in cases {
        let steps = &workflows[&c.service_id];
        let mut timeline = timelines.remove(&c.id).unwrap_or_default();
        timeline.sort_by_key(|e| e.seq);
        let (first, rest) = timeline.split_first().expect("a case has events");
        assert!([CaseEventKind::Register, CaseEventKind::PreRegister].contains(&first.action));
        let mut stage = first.to_stage.unwrap();
        let mut status = CaseStatus::Active;
        let mut paid = false;
        for e in rest {
            let action = Action::from_id(e.action.id()).unwrap();
            let facts = CaseFacts {
                stage,
                status,
                steps,
                sector_id: c.sector_id,
                paid,
            };
            let sectors = [c.sector_id];
            let granted = Role::ALL.into_iter().find_map(|role| {
                decide(
                    &facts,
                    &ActorFacts {
                        role,
                        sectors: &sectors,
                    },
                    action,
                )
                .ok()
            });
            let t = granted.unwrap_or_else(|| {
                panic!("{}: {action:?} at {stage:?}/{status:?} is refused", c.code)
            });
            assert_eq!(Some(t.to_stage), e.to_stage, "{}", c.code);
            assert_eq!(t.to_status, e.status_after, "{}", c.code);
            stage = t.to_stage;
            status = t.to_status;
            paid |= action == Action::Pay;
            replayed += 1;
        }
        assert_eq!(stage, c.stage, "{}", c.code);
        assert_eq!(status, c.status, "{}", c.code);
    }
    assert!(
        replayed > cases.len() * 2,
        "{replayed} transitions replayed"
    );
}
