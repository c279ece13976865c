//! Issue 19 figures: KHQR payload generation on one core, and what the Bakong confirmation task
//! costs with 10,000 open payment requests.
//!
//! `cargo bench -p server --bench khqr` encodes payloads (with their MD5, as the receipt does) on
//! one thread for `OWSO_BENCH_SECONDS` (default 3), then fills a fresh SQLite database with
//! `OWSO_BENCH_REQUESTS` open requests (default 10,000) and runs confirmation rounds against a
//! local stand-in of the Bakong API that has seen none of them (the common case: a citizen who
//! has not paid yet), and one where it has seen 1 % of them.

#[path = "../tests/integration/bank_stand_in.rs"]
#[allow(dead_code)]
mod bank_stand_in;

use std::time::{Duration, Instant};

use app::{
    backend::{
        db,
        entities::{case, payment_request},
        payments,
    },
    domain::{
        khqr::{self, PaymentAccount, PaymentAccountInput, PaymentCode, RequestState},
        Riel,
    },
};
use migration::{Migrator, MigratorTrait};
use owso_server::bakong::{poll_once, BakongClient};
use sea_orm::{EntityTrait, QuerySelect, Set};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn payload_rate(seconds: u64) -> f64 {
    let account = PaymentAccount::parse(&PaymentAccountInput {
        account_id: "owso_1201@aclb".into(),
        merchant_name: "OWSO Chamkar Mon".into(),
        merchant_name_km: "ខណ្ឌចំការមន".into(),
        city: "Phnom Penh".into(),
        merchant_id: String::new(),
        acquiring_bank: String::new(),
    })
    .expect("a valid account");
    let started = Instant::now();
    let mut made = 0u64;
    let mut bytes = 0usize;
    while started.elapsed() < Duration::from_secs(seconds) {
        for i in 0..1_000i64 {
            let code = PaymentCode {
                account: account.clone(),
                amount: Riel(25_000 + i),
                bill_number: format!("12-2026-{:06}", made % 1_000_000),
                store_label: "1201".into(),
                created_ms: 1_796_000_000_000 + i,
                expires_ms: 1_796_086_400_000 + i,
            };
            let payload = khqr::encode(&code).expect("encodes");
            bytes += payments::payload_md5(&payload).len() + payload.len();
            made += 1;
        }
    }
    std::hint::black_box(bytes);
    made as f64 / started.elapsed().as_secs_f64()
}

async fn poller(requests: u64) {
    let dir = std::env::temp_dir().join(format!("owso-bench-khqr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let conn = db::connect(&url, 8).await.expect("database");
    Migrator::up(&conn, None).await.unwrap();
    owso_server::seed::load_catalogue(&conn).await.unwrap();
    owso_server::generate::generate(
        &conn,
        owso_server::generate::Options {
            cases: 2_000,
            seed: 7,
            year: None,
            progress: false,
        },
    )
    .await
    .unwrap();
    let now = chrono::Utc::now();
    let expires = now + payments::CODE_LIFETIME;
    let case_ids: Vec<i64> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .limit(2_000)
        .into_tuple()
        .all(&conn)
        .await
        .unwrap();
    for chunk in (0..requests).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|i| payment_request::ActiveModel {
            case_id: Set(case_ids[*i as usize % case_ids.len()]),
            office_code: Set("1201".into()),
            amount: Set(25_000),
            currency: Set("KHR".into()),
            payload: Set(String::new()),
            md5: Set(format!("{i:032x}")),
            created_at: Set(now),
            expires_at: Set(expires),
            state: Set(RequestState::Open),
            next_check_at: Set(now),
            checks: Set(0),
            ..Default::default()
        });
        payment_request::Entity::insert_many(rows)
            .exec(&conn)
            .await
            .unwrap();
    }
    let (bank_url, bank) = bank_stand_in::stand_in().await;
    let client = BakongClient::new(app::backend::settings::BakongSettings {
        url: bank_url,
        token: app::backend::settings::Secret::new(bank_stand_in::TOKEN.into()),
        interval: Duration::from_secs(5),
    })
    .unwrap();
    let started = Instant::now();
    let round = poll_once(&conn, &client, now).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "KHQR poller: {} open requests, one round (none paid): {} Bakong API calls (batches of {}), {} database statements, {:.2} s",
        round.asked,
        round.api_calls,
        owso_server::bakong::BATCH,
        round.statements,
        elapsed
    );
    let per_minute = 60 / 5;
    println!(
        "KHQR poller: every 5 s while requests are under an hour old: {} API calls/min and {} statements/min; 10x fewer for older ones",
        round.api_calls * per_minute,
        round.statements * per_minute
    );
    // 1 % paid: each is a pay action of its own transaction.
    for i in (0..requests).step_by(100) {
        bank.lock().unwrap().paid.insert(
            format!("{i:032x}"),
            bank_stand_in::transaction(&format!("h{i}"), 25_000, "KHR"),
        );
    }
    let later = now + chrono::Duration::seconds(6);
    let started = Instant::now();
    let round = poll_once(&conn, &client, later).await.unwrap();
    println!(
        "KHQR poller: next round with 1 % paid: {} asked, {} applied or held ({} paid, {} held: these demo cases are not all at the cashier), {} statements, {:.2} s",
        round.asked,
        round.paid + round.flagged,
        round.paid,
        round.flagged,
        round.statements,
        started.elapsed().as_secs_f64()
    );
    let _ = conn.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    let seconds = setting("OWSO_BENCH_SECONDS", 3);
    println!(
        "KHQR payloads: {:.0} per second on one core (encode + MD5)",
        payload_rate(seconds)
    );
    let requests = setting("OWSO_BENCH_REQUESTS", 10_000);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(poller(requests));
}
