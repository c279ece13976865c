//! Crash safety and backups, with the real `owso` binary:
//!
//! - `crash_safety`: writers register cases and take them through the workflow over the JSON
//!   API while the server is killed with SIGKILL at random moments (20 times by default,
//!   `OWSO_CRASH_KILLS`) and restarted. Then every acknowledged registration, action and
//!   receipt must be there, with no duplicate codes or receipt numbers, timelines without gaps,
//!   an intact audit chain and rollups equal to a recomputation.
//! - `backup_under_load`: `owso backup` runs while writers write; `owso restore` of that file
//!   into an empty database verifies, and everything acknowledged before the backup began is in it.
//!
//! - `secrets_stay_out_of_logs`: with debug logging on, passwords, session ids, API tokens and
//!   PINs that went through the server never appear in its output.
//!
//! - `khqr_confirmations_survive_sigkill`: the server applies bank confirmations of KHQR
//!   payments (from a stand-in Bakong API) and is killed with SIGKILL while it does; after the
//!   restarts every confirmed payment is recorded exactly once.
//!
//! - `notices_survive_sigkill`: writers register and act while the server, which sends the
//!   resulting SMS notices to a stand-in gateway, is killed with SIGKILL; afterwards every
//!   acknowledged registration's notice exists and was delivered (0 lost), and the test reports
//!   how many were delivered twice (a kill between the gateway's acceptance and the mark).
//!
//! All run on SQLite and on PostgreSQL. `OWSO_CRASH_SEED` replays a run's random timings.

#[path = "integration/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "integration/processes.rs"]
mod processes;

#[path = "integration/bank_stand_in.rs"]
#[allow(dead_code)]
mod bank_stand_in;

#[path = "integration/notice_stand_ins.rs"]
#[allow(dead_code)]
mod notice_stand_ins;

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use processes::{owso, owso_ok, prepare, InProgress, Ledger, Load, Server, WRITERS};
use sea_orm::ConnectionTrait;
use serde_json::Value;
use support::{connect, Db, FreshDb};

on_both_databases!(
    crash_safety,
    secrets_stay_out_of_logs,
    backup_under_load,
    khqr_confirmations_survive_sigkill,
    notices_survive_sigkill
);

/// A small xorshift generator: timings only, seeded from the clock unless replayed.
struct Rng(u64);

impl Rng {
    fn from_env() -> (Rng, u64) {
        let seed = std::env::var("OWSO_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        (Rng(seed), seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

async fn crash_safety(kind: Db) {
    let kills: usize = std::env::var("OWSO_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let (mut rng, seed) = Rng::from_env();
    let (fresh, setup) = prepare(kind).await;
    let log = log_path(&fresh);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut in_progress: Vec<Option<InProgress>> = vec![None; WRITERS];
    for _ in 0..kills {
        let server = Server::start(&fresh.url, &log).await;
        let load = Load::new(&server.base, &setup, ledger.clone());
        let writers: Vec<_> = in_progress
            .drain(..)
            .map(|current| tokio::spawn(load.clone().write(current)))
            .collect();
        // Kill only once this round has written something, so every kill lands mid-load
        // however slow the machine is, then at a random moment after that.
        let before = cases_and_actions(&ledger.lock().unwrap());
        wait_until_acknowledged(&ledger, cases_and_actions, before + 1).await;
        tokio::time::sleep(Duration::from_millis(rng.below(600))).await;
        server.kill().await;
        for writer in writers {
            in_progress.push(writer.await.unwrap());
        }
    }
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    let report = verify(&fresh.url, &ledger).await;
    assert!(
        !ledger.cases.is_empty() && ledger.cases.len() + ledger.actions.len() >= kills,
        "every round writes before its kill: {} cases, {} actions",
        ledger.cases.len(),
        ledger.actions.len()
    );
    println!(
        "crash safety ({kind:?}, seed {seed}): {kills} kills survived; acknowledged {} cases, {} actions, {} receipts; lost 0, duplicate codes 0, duplicate receipts 0; {report}",
        ledger.cases.len(),
        ledger.actions.len(),
        ledger.receipts.len()
    );
    let _ = std::fs::remove_file(&log);
    fresh.drop_now().await;
}

/// Checks the database against what was acknowledged, then the audit chain and the rollups.
async fn verify(url: &str, ledger: &Ledger) -> String {
    let db = connect(url).await;
    let backend = db.get_database_backend();
    let rows = |sql: &str| {
        let db = &db;
        let sql = sql.to_string();
        async move {
            db.query_all_raw(sea_orm::Statement::from_string(backend, sql))
                .await
                .unwrap()
        }
    };
    let mut versions: HashMap<String, i64> = HashMap::new();
    for row in rows("SELECT code, version FROM cases").await {
        let code: String = row.try_get("", "code").unwrap();
        let version: i32 = row.try_get("", "version").unwrap();
        versions.insert(code, version as i64);
    }
    let mut timelines: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for row in rows(
        "SELECT c.code AS code, e.seq AS seq FROM case_events e JOIN cases c ON c.id = e.case_id \
         ORDER BY c.code, e.seq",
    )
    .await
    {
        let code: String = row.try_get("", "code").unwrap();
        let seq: i32 = row.try_get("", "seq").unwrap();
        timelines.entry(code).or_default().push(seq as i64);
    }
    let receipts: HashSet<String> = rows("SELECT receipt_number FROM payments")
        .await
        .iter()
        .map(|r| r.try_get("", "receipt_number").unwrap())
        .collect();

    for code in &ledger.cases {
        assert!(versions.contains_key(code), "acknowledged case {code} lost");
    }
    for (code, version) in &ledger.actions {
        let kept = versions.get(code).copied().unwrap_or(0);
        assert!(
            kept >= *version,
            "{code}: acknowledged v{version}, kept v{kept}"
        );
    }
    for receipt in &ledger.receipts {
        assert!(
            receipts.contains(receipt),
            "acknowledged receipt {receipt} lost"
        );
    }
    for (code, version) in &versions {
        let expected: Vec<i64> = (1..=*version).collect();
        assert_eq!(
            timelines.get(code),
            Some(&expected),
            "{code}: timeline gaps"
        );
    }
    for (what, sql) in [
        (
            "case codes",
            "SELECT code FROM cases GROUP BY code HAVING COUNT(*) > 1",
        ),
        (
            "receipt numbers",
            "SELECT receipt_number FROM payments GROUP BY receipt_number HAVING COUNT(*) > 1",
        ),
        (
            "payments per case",
            "SELECT case_id FROM payments WHERE cancelled_at IS NULL GROUP BY case_id HAVING COUNT(*) > 1",
        ),
    ] {
        assert!(rows(sql).await.is_empty(), "duplicate {what}");
    }
    db.close().await.unwrap();
    let audit = owso_ok(url, &["audit", "verify"]);
    let rollups = owso_ok(url, &["stats", "check"]);
    format!(
        "{} cases in the database; {}; {}",
        versions.len(),
        audit.trim(),
        rollups.trim()
    )
}

fn log_path(fresh: &FreshDb) -> PathBuf {
    let id = fresh
        .url
        .rsplit(['/', '-'])
        .next()
        .unwrap_or("x")
        .trim_end_matches(".db")
        .to_string();
    std::env::temp_dir().join(format!("owso-crash-{id}.log"))
}

/// Waits until `count` of the ledger reaches `at_least`, so a step that needs writes in flight
/// starts once they are, however slow the machine is.
async fn wait_until_acknowledged(
    ledger: &Mutex<Ledger>,
    count: fn(&Ledger) -> usize,
    at_least: usize,
) {
    for waited in 0.. {
        if count(&ledger.lock().unwrap()) >= at_least {
            return;
        }
        assert!(waited < 3000, "no write acknowledged in 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn cases_and_actions(ledger: &Ledger) -> usize {
    ledger.cases.len() + ledger.actions.len()
}

fn cases(ledger: &Ledger) -> usize {
    ledger.cases.len()
}

async fn backup_under_load(kind: Db) {
    let (fresh, setup) = prepare(kind).await;
    let log = log_path(&fresh);
    let server = Server::start(&fresh.url, &log).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let load = Load::new(&server.base, &setup, ledger.clone());
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| tokio::spawn(load.clone().write(None)))
        .collect();
    // On a loaded CI machine the first case can take far longer than usual.
    wait_until_acknowledged(&ledger, cases, 1).await;
    let before: Vec<String> = ledger.lock().unwrap().cases.clone();
    let file =
        std::env::temp_dir().join(format!("owso-backup-{}.bak", uuid::Uuid::new_v4().simple()));
    let url = fresh.url.clone();
    let file_arg = file.to_string_lossy().to_string();
    let backup = tokio::task::spawn_blocking(move || owso(&url, &["backup", &file_arg]));
    let backup = backup.await.unwrap();
    wait_until_acknowledged(&ledger, cases, before.len() + 1).await;
    load.stop();
    for writer in writers {
        writer.await.unwrap();
    }
    server.kill().await;
    assert!(
        backup.status.success(),
        "owso backup: {}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let written_after = ledger.lock().unwrap().cases.len() - before.len();
    assert!(
        !before.is_empty() && written_after > 0,
        "the backup ran under load"
    );

    let target = FreshDb::new(kind).await;
    let out = owso_ok(&target.url, &["restore", &file.to_string_lossy()]);
    assert!(
        out.contains("audit log intact") && out.contains("rollups match"),
        "{out}"
    );
    let db = connect(&target.url).await;
    let restored: HashSet<String> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT code FROM cases",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("", "code").unwrap())
        .collect();
    db.close().await.unwrap();
    for code in &before {
        assert!(
            restored.contains(code),
            "{code}, acknowledged before the backup, is missing"
        );
    }
    println!(
        "backup under load ({kind:?}): {} cases restored, {} acknowledged before the backup, {written_after} written during and after it; {}",
        restored.len(),
        before.len(),
        out.trim()
    );
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&log);
    target.drop_now().await;
    fresh.drop_now().await;
}

async fn secrets_stay_out_of_logs(kind: Db) {
    let (fresh, setup) = prepare(kind).await;
    let tokens = setup.tokens.clone();
    let log = log_path(&fresh);
    let server = Server::start_logging(&fresh.url, &log, "debug").await;
    let base = server.base.clone();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let password = "owso-demo-2026";
    let wrong_password = "Wrong-Secret-Password-77";
    let login = |password: &'static str| {
        http.post(format!("{base}/api/auth/login"))
            .header("accept", "text/html")
            .form(&[("username", "desk.1201"), ("password", password)])
            .send()
    };
    login(wrong_password).await.unwrap();
    let signed_in = login(password).await.unwrap();
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let session_id = cookie.split_once('=').unwrap().1.to_string();
    let inbox = http
        .get(format!("{base}/staff/inbox"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(inbox.status().as_u16(), 200);

    let load = Load::new(&base, &setup, Arc::new(Mutex::new(Ledger::default())));
    let code = load.register().await.unwrap();
    let case: Value = http
        .get(format!("{base}/api/v1/cases/{code}"))
        .bearer_auth(&tokens["desk.1201"])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pin = case["pin"].as_str().unwrap().to_string();
    let lookups = [
        http.post(format!("{base}/api/track/lookup"))
            .form(&[("code", code.as_str()), ("pin", pin.as_str())]),
        http.post(format!("{base}/api/v1/track"))
            .json(&serde_json::json!({ "code": code, "pin": pin })),
    ];
    for lookup in lookups {
        let res = lookup.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }
    let filed: Value = http
        .post(format!("{base}/api/complaints/file"))
        .form(&[
            ("category", app::types::complaints::COMPLAINT_CATEGORIES[0]),
            ("office_code", "1201"),
            ("body", "The counter was closed at 10 o'clock."),
            ("phone", "012 345 678"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let complaint_pin = filed["pin"].as_str().expect("complaint filed").to_string();
    let tracked = http
        .post(format!("{base}/api/complaints/open"))
        .form(&[
            ("number", filed["number"].as_str().unwrap()),
            ("pin", complaint_pin.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(tracked.status().as_u16(), 200);
    server.kill().await;

    let output = std::fs::read_to_string(&log).unwrap();
    assert!(
        output.contains("DEBUG") && output.lines().count() > 20,
        "debug logging was on, so the log cannot be this short:\n{output}"
    );
    let mut secrets = vec![
        ("password", password.to_string()),
        ("wrong password", wrong_password.to_string()),
        ("session id", session_id),
    ];
    secrets.extend(tokens.values().map(|token| ("API token", token.clone())));
    for (what, secret) in secrets {
        assert!(!output.contains(&secret), "the log holds a {what}");
    }
    for (what, pin) in [("case PIN", &pin), ("complaint PIN", &complaint_pin)] {
        assert!(
            !holds_number(&output, pin),
            "the log holds the {what} {pin}"
        );
    }
    let _ = std::fs::remove_file(&log);
    fresh.drop_now().await;
}

/// Whether `text` holds `digits` as a number of its own (not inside a longer number, and not
/// as the fraction of a timestamp's seconds).
fn holds_number(text: &str, digits: &str) -> bool {
    text.match_indices(digits).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + digits.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Cases waiting at the cashier, a KHQR shown for each, and the bank confirming them all while
/// the server that applies the confirmations is killed again and again.
async fn khqr_confirmations_survive_sigkill(kind: Db) {
    const CASES: usize = 40;
    let (mut rng, seed) = Rng::from_env();
    let (fresh, setup) = prepare(kind).await;
    let log = log_path(&fresh);
    let server = Server::start(&fresh.url, &log).await;
    let client = reqwest::Client::new();
    for _ in 0..CASES {
        let res = client
            .post(format!("{}/api/v1/cases", server.base))
            .bearer_auth(&setup.tokens["desk.1201"])
            .json(&serde_json::json!({
                "service_id": setup.service_id, "quantity": 1, "applicant_kind": "person",
                "name_km": "សុខ ដារ៉ា", "name_latin": "SOK DARA", "sex": "M",
                "phone": "012 345 678", "village_code": "12010101"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201);
    }
    server.kill().await;
    // The codes a citizen would see on the receipts; the bank has them all paid.
    let codes = owso_ok(
        &fresh.url,
        &["payments", "codes", "--count", &CASES.to_string()],
    );
    let (bank_url, bank) = bank_stand_in::stand_in().await;
    for line in codes.lines() {
        let code: Value = serde_json::from_str(line).unwrap();
        let md5 = code["md5"].as_str().unwrap().to_string();
        let hash = format!("tx{}", &md5[..16]);
        bank.lock().unwrap().paid.insert(
            md5,
            bank_stand_in::transaction(&hash, code["amount"].as_i64().unwrap(), "KHR"),
        );
    }
    assert_eq!(codes.lines().count(), CASES);
    let env = [
        ("OWSO_BAKONG_URL", bank_url.as_str()),
        ("OWSO_BAKONG_TOKEN", bank_stand_in::TOKEN),
        ("OWSO_BAKONG_INTERVAL", "1"),
    ];
    let db = connect(&fresh.url).await;
    let paid = || async {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM payments WHERE channel = 'khqr'",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap() as usize
    };
    let mut kills = 0;
    while paid().await < CASES && kills < 8 {
        let before = paid().await;
        let server = Server::start_with(&fresh.url, &log, "warn", &env).await;
        for waited in 0.. {
            if paid().await > before || waited > 1500 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.below(40))).await;
        server.kill().await;
        kills += 1;
    }
    // A last server finishes whatever the kills interrupted.
    let server = Server::start_with(&fresh.url, &log, "warn", &env).await;
    for waited in 0.. {
        if paid().await >= CASES {
            break;
        }
        assert!(
            waited < 600,
            "only {} of {CASES} confirmations applied in 60 s",
            paid().await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().await;
    let count = |sql: &'static str| {
        let db = &db;
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    let payments = count("SELECT COUNT(*) AS n FROM payments").await;
    let references = count("SELECT COUNT(DISTINCT reference) AS n FROM payments").await;
    let pay_events = count("SELECT COUNT(*) AS n FROM case_events WHERE action = 'pay'").await;
    let paid_requests =
        count("SELECT COUNT(*) AS n FROM payment_requests WHERE state = 'paid'").await;
    let moved = count("SELECT COUNT(*) AS n FROM cases WHERE stage = 'chief_check'").await;
    assert_eq!(
        (payments, references, pay_events, paid_requests, moved),
        (
            CASES as i64,
            CASES as i64,
            CASES as i64,
            CASES as i64,
            CASES as i64
        ),
        "(payments, distinct references, pay events, paid requests, cases moved on)"
    );
    owso_ok(&fresh.url, &["audit", "verify"]);
    owso_ok(&fresh.url, &["stats", "check"]);
    println!(
        "KHQR under SIGKILL ({kind:?}, seed {seed}): {kills} kills while applying {CASES} bank confirmations; recorded {payments}, duplicates 0, lost 0"
    );
    let _ = db.close().await;
    let _ = std::fs::remove_file(&log);
    fresh.drop_now().await;
}

async fn notices_survive_sigkill(kind: Db) {
    let kills: usize = std::env::var("OWSO_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(10, |n| n.min(10));
    let (mut rng, seed) = Rng::from_env();
    let (fresh, setup) = prepare(kind).await;
    let log = log_path(&fresh);
    let (gateway_url, gateway) = notice_stand_ins::stand_in().await;
    let sms_url = format!("{gateway_url}/sms");
    let env = [
        ("OWSO_SMS_URL", sms_url.as_str()),
        ("OWSO_SMS_AUTH_HEADER", "Authorization: Bearer test-sms-key"),
    ];
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut in_progress: Vec<Option<InProgress>> = vec![None; WRITERS];
    for _ in 0..kills {
        let server = Server::start_with(&fresh.url, &log, "warn", &env).await;
        let load = Load::new(&server.base, &setup, ledger.clone());
        let writers: Vec<_> = in_progress
            .drain(..)
            .map(|current| tokio::spawn(load.clone().write(current)))
            .collect();
        // Wait for a message to leave, so the kill lands while the sender works.
        let sent_before: usize = gateway.received_keys().values().sum();
        for waited in 0.. {
            if gateway.received_keys().values().sum::<usize>() > sent_before || waited > 3000 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.below(300))).await;
        server.kill().await;
        for writer in writers {
            in_progress.push(writer.await.unwrap());
        }
    }
    // A last server, without writers, sends what the kills left: on SQLite at once, on
    // PostgreSQL once the dead senders' claims lapse.
    let server = Server::start_with(&fresh.url, &log, "warn", &env).await;
    let db = connect(&fresh.url).await;
    let count = |sql: &'static str| {
        let db = &db;
        async move {
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
        }
    };
    for waited in 0.. {
        let open = count("SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'").await;
        if open == 0 {
            break;
        }
        assert!(waited < 900, "{open} messages still unsent after 90 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().await;
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    let mut keys = HashSet::new();
    for row in db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT idempotency_key FROM outbox",
        ))
        .await
        .unwrap()
    {
        keys.insert(row.try_get::<String>("", "idempotency_key").unwrap());
    }
    let taken = gateway.received_keys();
    // Every acknowledged registration committed its notice with it, and every notice reached
    // the gateway at least once.
    let lost_at_write = ledger
        .cases
        .iter()
        .filter(|code| !keys.contains(&format!("case:{code}:1:sms")))
        .count();
    let lost_at_send = keys.iter().filter(|k| !taken.contains_key(*k)).count();
    let duplicated: usize = taken.values().map(|n| n.saturating_sub(1)).sum();
    let strangers = taken.keys().filter(|k| !keys.contains(*k)).count();
    println!(
        "notices under SIGKILL ({kind:?}, seed {seed}): {kills} kills; {} acknowledged registrations, {} messages in the outbox, {} deliveries; lost {}, delivered twice {duplicated}",
        ledger.cases.len(),
        keys.len(),
        taken.values().sum::<usize>(),
        lost_at_write + lost_at_send,
    );
    assert!(!ledger.cases.is_empty());
    assert_eq!(
        lost_at_write, 0,
        "acknowledged registrations without their notice"
    );
    assert_eq!(lost_at_send, 0, "notices never delivered");
    assert_eq!(
        strangers, 0,
        "the gateway got messages the outbox never held"
    );
    db.close().await.unwrap();
    let _ = std::fs::remove_file(&log);
    fresh.drop_now().await;
}
