//! Dashboard server time at growing case counts, on SQLite (and PostgreSQL when
//! `OWSO_BENCH_PG_URL` names an empty database).
//!
//! `cargo bench -p server --bench dashboard` generates 100k, 1M and 5M cases with the same
//! generator as `owso generate`, and after each size times the whole dashboard (tiles, nine
//! charts drawn as SVG, filter options) for the national viewer, a province viewer and an
//! office, plus the JSON summary. `OWSO_BENCH_SIZES=100000,1000000` picks other sizes, and
//! `OWSO_BENCH_PG_SIZES` other sizes for PostgreSQL.

use std::time::{Duration, Instant};

use app::{
    backend::{auth::CurrentUser, db, stats::dashboard},
    domain::Role,
    i18n::Locale,
    types::stats::StatsQuery,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

fn viewer(role: Role, office: Option<&str>, province: Option<&str>) -> CurrentUser {
    CurrentUser {
        id: 0,
        username: "bench".into(),
        full_name: "bench".into(),
        role,
        office_code: office.map(str::to_string),
        province_code: province.map(str::to_string),
        sectors: Vec::new(),
        jurisdiction: app::domain::Jurisdiction::for_role(
            role,
            office.and_then(|o| app::domain::DistrictCode::parse(o).ok()),
            province.and_then(|p| app::domain::ProvinceCode::parse(p).ok()),
        )
        .expect("a bench viewer fits its role"),
    }
}

fn summarise(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:7.1} ms  p90 {:7.1} ms  min {:7.1} ms",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 9 / 10]),
        ms(samples[0])
    )
}

async fn time_dashboard(
    db: &DatabaseConnection,
    label: &str,
    user: &CurrentUser,
    query: StatsQuery,
) {
    let now = chrono::Utc::now();
    let mut samples = Vec::new();
    for i in 0..23 {
        let started = Instant::now();
        let d = dashboard::dashboard(db, user, &query, Locale::Km, now)
            .await
            .expect("dashboard");
        if i >= 3 {
            samples.push(started.elapsed());
        }
        std::hint::black_box(d);
    }
    println!("  {label:<34} {}", summarise(samples));
}

async fn time_summary(db: &DatabaseConnection, user: &CurrentUser) {
    let now = chrono::Utc::now();
    let mut samples = Vec::new();
    for i in 0..23 {
        let started = Instant::now();
        let s = dashboard::summary(db, user, &StatsQuery::default(), now)
            .await
            .expect("summary");
        if i >= 3 {
            samples.push(started.elapsed());
        }
        std::hint::black_box(s);
    }
    println!(
        "  {:<34} {}",
        "GET /api/v1/stats (national)",
        summarise(samples)
    );
}

async fn run(engine: &str, url: &str, sizes: &[u64]) {
    let conn = db::connect(url, 4).await.expect("connect");
    Migrator::up(&conn, None).await.expect("migrate");
    owso_server::seed::load_catalogue(&conn)
        .await
        .expect("catalogue");
    let mut have = 0u64;
    for (i, &size) in sizes.iter().enumerate() {
        let started = Instant::now();
        owso_server::generate::generate(
            &conn,
            owso_server::generate::Options {
                cases: size - have,
                seed: 1000 + i as u64,
                year: None,
                progress: false,
            },
        )
        .await
        .expect("generate");
        println!(
            "{engine}: {size} cases (generated {} more in {:.1} s)",
            size - have,
            started.elapsed().as_secs_f64()
        );
        have = size;
        let national = viewer(Role::NationalViewer, None, None);
        time_dashboard(
            &conn,
            "dashboard, national, this year",
            &national,
            StatsQuery::default(),
        )
        .await;
        time_dashboard(
            &conn,
            "dashboard, national, one quarter",
            &national,
            StatsQuery {
                quarter: Some("1".into()),
                ..Default::default()
            },
        )
        .await;
        time_dashboard(
            &conn,
            "dashboard, province 12",
            &viewer(Role::ProvinceViewer, None, Some("12")),
            StatsQuery::default(),
        )
        .await;
        time_dashboard(
            &conn,
            "dashboard, office 1201",
            &viewer(Role::OfficeChief, Some("1201"), None),
            StatsQuery::default(),
        )
        .await;
        time_summary(&conn, &national).await;
    }
}

fn main() {
    let sizes_from = |name: &str| -> Option<Vec<u64>> {
        std::env::var(name)
            .ok()
            .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
    };
    let sizes =
        sizes_from("OWSO_BENCH_SIZES").unwrap_or_else(|| vec![100_000, 1_000_000, 5_000_000]);
    // Generating cases is much slower on PostgreSQL, so its sizes may be chosen apart.
    let pg_sizes = sizes_from("OWSO_BENCH_PG_SIZES").unwrap_or_else(|| sizes.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = std::env::temp_dir().join(format!("owso-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bench.db");
    runtime.block_on(run(
        "sqlite",
        &format!("sqlite://{}?mode=rwc", path.display()),
        &sizes,
    ));
    let _ = std::fs::remove_dir_all(&dir);
    if let Ok(url) = std::env::var("OWSO_BENCH_PG_URL") {
        runtime.block_on(run("postgres", &url, &pg_sizes));
    }
}
