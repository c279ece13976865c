//! Staff pages under load: signed-in officers of office 1201 browsing inbox → case → act.
//!
//! `cargo bench -p server --bench staff` starts the release `owso serve` on a fresh database with
//! the demo catalogue and `OWSO_BENCH_CASES` cases (default 1,000) registered at office 1201's
//! desk through the API, signs in
//! `OWSO_BENCH_CLIENTS` browsers (default 32; desk, cashier, chief, technical officer, director
//! and decision maker in turn, each with its own session cookie) and lets each, for
//! `OWSO_BENCH_SECONDS` (default 20): open its inbox page, open the first case on it, and post
//! the first action that page offers as a plain form (what a browser without JavaScript sends).
//! Prints pages per second, latency percentiles per kind of request, and the database
//! statements per request from the server's `/metrics`. PostgreSQL runs on the server named by
//! `OWSO_TEST_PG_URL` (as the tests), unless `OWSO_BENCH_PG=0`.

#[path = "../tests/integration/support.rs"]
#[allow(dead_code, unused_macros)]
mod support;

#[path = "../tests/integration/processes.rs"]
#[allow(dead_code)]
mod processes;

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use processes::{prepare, Load, Server};
use support::Db;

const PASSWORD: &str = "owso-demo-2026";
const OFFICERS: [&str; 6] = [
    "desk.1201",
    "cashier.1201",
    "chief.1201",
    "tech.1201",
    "director.1201",
    "decision.1201",
];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Timings {
    inbox: Vec<Duration>,
    case: Vec<Duration>,
    act: Vec<Duration>,
    /// Actions refused because another officer acted on the case first (its version moved on):
    /// the optimistic lock doing its job, not a fault.
    lost_races: u64,
    errors: u64,
}

/// The text after `marker` up to the next `"`, in `html`.
fn value_after<'a>(html: &'a str, marker: &str) -> Option<&'a str> {
    let start = html.find(marker)? + marker.len();
    let rest = &html[start..];
    Some(&rest[..rest.find('"')?])
}

/// The first action form of a case page: its action, version and the fee it proposes.
fn first_action(html: &str) -> Option<(String, String, Option<String>)> {
    let form = &html[html.find("class=\"action-form\"")?..];
    let action = value_after(form, "name=\"action\" value=\"")?.to_string();
    let version = value_after(form, "name=\"version\" value=\"")?.to_string();
    let amount = (action == "pay")
        .then(|| {
            value_after(form, "name=\"amount\" inputmode=\"numeric\" value=\"").map(str::to_string)
        })
        .flatten();
    Some((action, version, amount))
}

async fn sign_in(base: &str, username: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let res = client
        .post(format!("{base}/api/auth/login"))
        .header("accept", "text/html")
        .form(&[("username", username), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(
        res.status().is_redirection() || res.status().is_success(),
        "sign-in of {username}: {}",
        res.status()
    );
    client
}

async fn browse(
    client: reqwest::Client,
    base: String,
    stop: Arc<AtomicBool>,
    timings: Arc<Mutex<Timings>>,
) {
    let page = |path: String| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move {
            let started = Instant::now();
            let res = client.get(url).header("accept", "text/html").send().await;
            let body = match res {
                Ok(r) if r.status().is_success() => r.text().await.ok(),
                _ => None,
            };
            (started.elapsed(), body)
        }
    };
    while !stop.load(Ordering::Relaxed) {
        let (took, inbox) = page("/staff/inbox".into()).await;
        let Some(inbox) = inbox else {
            timings.lock().unwrap().errors += 1;
            continue;
        };
        timings.lock().unwrap().inbox.push(took);
        let Some(code) = value_after(&inbox, "href=\"/staff/cases/").map(str::to_string) else {
            // An empty inbox: its officer waits for colleagues to send cases on.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let (took, case) = page(format!("/staff/cases/{code}")).await;
        let Some(case) = case else {
            timings.lock().unwrap().errors += 1;
            continue;
        };
        timings.lock().unwrap().case.push(took);
        let Some((action, version, amount)) = first_action(&case) else {
            continue;
        };
        let mut form = vec![
            ("code", code.clone()),
            ("action", action.clone()),
            ("version", version),
        ];
        if let Some(amount) = amount {
            form.push(("amount", amount));
        }
        if action == "deliver" {
            form.push(("receiver", "BENCH RECEIVER".into()));
        }
        let started = Instant::now();
        let res = client
            .post(format!("{base}/api/cases/act"))
            .header("accept", "text/html")
            .form(&form)
            .send()
            .await;
        let took = started.elapsed();
        let mut t = timings.lock().unwrap();
        // A plain form post is sent back to the case page: 302 to it, with `?error=` when the
        // action was refused.
        let location = res
            .as_ref()
            .ok()
            .filter(|r| r.status().is_redirection())
            .map(|r| {
                r.headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            });
        match location {
            Some(to) if !to.contains("error=") => t.act.push(took),
            // Two officers of one role took the same case: the second loses on its version.
            Some(to) if to.contains("error=err_conflict") => t.lost_races += 1,
            _ => t.errors += 1,
        }
    }
}

/// Requests and statements so far, from `/metrics`; `None` from a build without it.
async fn counters(base: &str) -> Option<(u64, u64)> {
    let res = reqwest::get(format!("{base}/metrics")).await.ok()?;
    if !res.status().is_success() {
        return None;
    }
    let text = res.text().await.ok()?;
    let read = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    Some((
        read("owso_http_requests_total "),
        read("owso_db_statements_total "),
    ))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn run(kind: Db, clients: usize, seconds: u64, cases: u64) {
    // The demo catalogue and accounts, then `cases` cases registered at office 1201's desk
    // through the API, so every officer's inbox has work whatever today's date does to the
    // generated demo cases.
    let (fresh, setup) = prepare(kind).await;
    let log = std::env::temp_dir().join(format!("owso-bench-staff-{}.log", std::process::id()));
    let server = Server::start(&fresh.url, &log).await;
    let load = Load::new(
        &server.base,
        &setup,
        Arc::new(Mutex::new(processes::Ledger::default())),
    );
    for _ in 0..cases {
        load.register()
            .await
            .expect("register a case for the bench");
    }
    let mut sessions = Vec::new();
    for i in 0..clients {
        sessions.push(sign_in(&server.base, OFFICERS[i % OFFICERS.len()]).await);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let timings = Arc::new(Mutex::new(Timings::default()));
    let before = counters(&server.base).await;
    let started = Instant::now();
    let tasks: Vec<_> = sessions
        .into_iter()
        .map(|c| {
            tokio::spawn(browse(
                c,
                server.base.clone(),
                stop.clone(),
                timings.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("client");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let after = counters(&server.base).await;
    server.kill().await;
    let mut t = std::mem::take(&mut *timings.lock().unwrap());
    for list in [&mut t.inbox, &mut t.case, &mut t.act] {
        list.sort();
    }
    let pages = t.inbox.len() + t.case.len();
    println!(
        "staff pages ({kind:?}): {:.0} pages/s ({} inbox, {} case pages) and {:.0} actions/s; {clients} clients, {elapsed:.1} s; {} actions lost a race for the same case (version moved on), {} requests failed",
        pages as f64 / elapsed,
        t.inbox.len(),
        t.case.len(),
        t.act.len() as f64 / elapsed,
        t.lost_races,
        t.errors,
    );
    for (name, list) in [
        ("inbox", &t.inbox),
        ("case page", &t.case),
        ("action", &t.act),
    ] {
        println!(
            "  {name:<10} p50 {:6.1} ms  p99 {:6.1} ms",
            percentile(list, 0.5),
            percentile(list, 0.99)
        );
    }
    match (before, after) {
        (Some((requests_before, statements_before)), Some((requests_after, statements_after))) => {
            // The first /metrics call is counted in `requests_after`, the second in neither.
            let requests = requests_after.saturating_sub(requests_before + 1).max(1);
            let statements = statements_after - statements_before;
            println!(
                "  database statements per request: {:.1} ({statements} statements, {requests} requests)",
                statements as f64 / requests as f64
            );
        }
        _ => println!("  database statements per request: not counted (a server without /metrics)"),
    }
    let _ = std::fs::remove_file(&log);
    fresh.drop_now().await;
}

fn main() {
    let clients = setting("OWSO_BENCH_CLIENTS", 32) as usize;
    let seconds = setting("OWSO_BENCH_SECONDS", 20);
    let cases = setting("OWSO_BENCH_CASES", 1_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(Db::Sqlite, clients, seconds, cases));
    if std::env::var("OWSO_BENCH_PG").as_deref() != Ok("0") {
        runtime.block_on(run(Db::Postgres, clients, seconds, cases));
    }
}
