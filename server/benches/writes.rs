//! P5: complete workflows per second through the JSON API, on SQLite and PostgreSQL.
//!
//! `cargo bench -p server --bench writes` starts the release `owso serve` on a fresh database
//! with the demo catalogue, then `OWSO_BENCH_WRITERS` API clients (default 32) each register a
//! case and take it through payment, checks, opinions, decision, tax confirmation and hand-over
//! (9 writes), over and over, for `OWSO_BENCH_SECONDS` (default 20). PostgreSQL runs on the
//! server named by `OWSO_TEST_PG_URL` (as the tests), unless `OWSO_BENCH_PG=0`.

#[path = "../tests/integration/support.rs"]
#[allow(dead_code, unused_macros)]
mod support;

#[path = "../tests/integration/processes.rs"]
#[allow(dead_code)]
mod processes;

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use processes::{prepare, Ledger, Load, Server, SCRIPT};
use support::Db;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn run(kind: Db, writers: usize, seconds: u64) {
    let (fresh, setup) = prepare(kind).await;
    let log = std::env::temp_dir().join(format!("owso-bench-writes-{}.log", std::process::id()));
    let server = Server::start(&fresh.url, &log).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let load = Load::new(&server.base, &setup, ledger.clone());
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| tokio::spawn(load.clone().write(None)))
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    load.stop();
    for task in tasks {
        task.await.expect("writer");
    }
    let elapsed = started.elapsed().as_secs_f64();
    server.kill().await;
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    let last_version = SCRIPT.len() as i64 + 1;
    let complete = ledger
        .actions
        .iter()
        .filter(|(_, v)| *v == last_version)
        .count();
    let writes = ledger.cases.len() + ledger.actions.len();
    println!(
        "P5 writes ({kind:?}): {:.0} complete workflows/s, {:.0} API writes/s; {writers} clients, {elapsed:.1} s, {complete} workflows delivered, {writes} writes",
        complete as f64 / elapsed,
        writes as f64 / elapsed,
    );
    let _ = std::fs::remove_file(&log);
    fresh.drop_now().await;
}

fn main() {
    let writers = setting("OWSO_BENCH_WRITERS", 32) as usize;
    let seconds = setting("OWSO_BENCH_SECONDS", 20);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(Db::Sqlite, writers, seconds));
    if std::env::var("OWSO_BENCH_PG").as_deref() != Ok("0") {
        runtime.block_on(run(Db::Postgres, writers, seconds));
    }
}
