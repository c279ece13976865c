//! Driving the real `owso` binary: the CLI, a server process that can be killed, and API
//! writers that take cases through the whole workflow and remember what was acknowledged.
//! Shared by the crash tests and the write benchmark.

use std::{
    collections::HashMap,
    path::Path,
    process::Stdio,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::support::{connect, owso_bin, Db, FreshDb};

/// The workflow every writer drives its cases through, after registration.
pub const SCRIPT: [(&str, &str); 8] = [
    ("cashier.1201", "pay"),
    ("chief.1201", "forward"),
    ("tech.1201", "forward"),
    ("chief.1201", "forward"),
    ("director.1201", "forward"),
    ("decision.1201", "approve"),
    ("desk.1201", "tax_confirm"),
    ("desk.1201", "deliver"),
];
pub const WRITERS: usize = 6;

/// What the server acknowledged: it answered success, so it must never be lost.
#[derive(Default)]
pub struct Ledger {
    pub cases: Vec<String>,
    /// (case code, version after the action)
    pub actions: Vec<(String, i64)>,
    pub receipts: Vec<String>,
}

/// Runs `owso` with the test database; panics with its output when it fails and `must_pass`.
pub fn owso(url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(owso_bin().as_path())
        .args(args)
        .env("DATABASE_URL", url)
        .env("OWSO_DB_POOL", "4")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run owso")
}

pub fn owso_ok(url: &str, args: &[&str]) -> String {
    let out = owso(url, args);
    assert!(
        out.status.success(),
        "owso {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub struct Server {
    child: tokio::process::Child,
    pub base: String,
}

impl Server {
    pub async fn start(url: &str, log: &Path) -> Server {
        Self::start_logging(url, log, "warn").await
    }

    pub async fn start_logging(url: &str, log: &Path, level: &str) -> Server {
        Self::start_with(url, log, level, &[]).await
    }

    /// Like `start_logging`, with extra environment (`OWSO_BAKONG_URL`…).
    pub async fn start_with(url: &str, log: &Path, level: &str, env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let child = tokio::process::Command::new(owso_bin().as_path())
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("OWSO_ADDR", format!("127.0.0.1:{port}"))
            .env("OWSO_DB_POOL", "8")
            .env("RUST_LOG", level)
            .envs(env.iter().copied())
            .stdout(Stdio::from(log_file.try_clone().unwrap()))
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true)
            .spawn()
            .expect("start owso serve");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if let Ok(res) = client.get(format!("{base}/healthz")).send().await {
                if res.status().is_success() {
                    return Server { child, base };
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "owso serve did not come up; log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }

    /// SIGKILL: no shutdown handler runs, exactly like a power cut for the process.
    pub async fn kill(mut self) {
        self.child.start_kill().unwrap();
        let _ = self.child.wait().await;
    }
}

/// A fresh database with the demo catalogue and accounts, and a bearer token per account used.
/// What writers need to know about a prepared database.
#[derive(Clone)]
pub struct Setup {
    pub tokens: Arc<HashMap<String, String>>,
    pub service_id: i64,
    pub fee: i64,
}

pub async fn prepare(kind: Db) -> (FreshDb, Setup) {
    let fresh = FreshDb::new(kind).await;
    owso_ok(&fresh.url, &["seed", "--demo", "--cases", "0"]);
    let mut tokens = HashMap::new();
    for (who, _) in SCRIPT {
        if !tokens.contains_key(who) {
            let token = owso_ok(&fresh.url, &["token", "create", "--username", who]);
            tokens.insert(who.to_string(), token.trim().to_string());
        }
    }
    let db = connect(&fresh.url).await;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT s.id AS id, s.fee_riel AS fee FROM services s \
             WHERE s.fee_riel > 0 AND (SELECT COUNT(*) FROM workflow_steps w WHERE w.service_id = s.id) = 10 \
             ORDER BY s.id LIMIT 1",
        ))
        .await
        .unwrap()
        .expect("a demo service with all ten stages");
    let service_id: i32 = row.try_get("", "id").unwrap();
    let fee: i64 = row.try_get("", "fee").unwrap();
    db.close().await.unwrap();
    let setup = Setup {
        tokens: Arc::new(tokens),
        service_id: service_id as i64,
        fee,
    };
    (fresh, setup)
}

/// One writer's case in progress: its code and the version the writer last saw acknowledged.
#[derive(Clone)]
pub struct InProgress {
    code: String,
    version: i64,
    /// The last request's answer never came (the server died); ask before going on.
    uncertain: bool,
}

pub struct Load {
    base: String,
    client: reqwest::Client,
    setup: Setup,
    pub ledger: Arc<Mutex<Ledger>>,
    stop: AtomicBool,
}

impl Load {
    /// Writers against the server at `base`, recording what it acknowledges in `ledger`.
    pub fn new(base: &str, setup: &Setup, ledger: Arc<Mutex<Ledger>>) -> Arc<Load> {
        Arc::new(Load {
            base: base.to_string(),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            setup: setup.clone(),
            ledger,
            stop: AtomicBool::new(false),
        })
    }

    /// Makes every writer return after its current request.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Writes until the server stops answering or `stop` is set; answers the case in progress.
    pub async fn write(self: Arc<Self>, mut current: Option<InProgress>) -> Option<InProgress> {
        while !self.stop.load(Ordering::Relaxed) {
            match current.take() {
                None => match self.register().await {
                    Ok(code) => {
                        current = Some(InProgress {
                            code,
                            version: 1,
                            uncertain: false,
                        })
                    }
                    Err(()) => return None,
                },
                Some(mut case) => {
                    if case.uncertain {
                        match self.version_of(&case.code).await {
                            Ok(v) => {
                                case.version = v;
                                case.uncertain = false;
                            }
                            Err(()) => return Some(case),
                        }
                    }
                    let step = (case.version - 1) as usize;
                    if step >= SCRIPT.len() {
                        continue;
                    }
                    match self.act(&case.code, step, case.version).await {
                        Ok(()) => {
                            case.version += 1;
                            current = Some(case);
                        }
                        Err(()) => {
                            case.uncertain = true;
                            return Some(case);
                        }
                    }
                }
            }
        }
        current
    }

    pub async fn register(&self) -> Result<String, ()> {
        let res = self
            .client
            .post(format!("{}/api/v1/cases", self.base))
            .bearer_auth(&self.setup.tokens["desk.1201"])
            .json(&json!({
                "service_id": self.setup.service_id, "quantity": 1, "applicant_kind": "person",
                "name_km": "សុខ ដារ៉ា", "name_latin": "SOK DARA", "sex": "F",
                "phone": "012 345 678", "village_code": "12010101"
            }))
            .send()
            .await
            .map_err(|_| ())?;
        let status = res.status().as_u16();
        let body: Value = res.json().await.map_err(|_| ())?;
        assert_eq!(status, 201, "registration: {body}");
        let code = body["code"].as_str().unwrap().to_string();
        self.ledger.lock().unwrap().cases.push(code.clone());
        Ok(code)
    }

    async fn act(&self, code: &str, step: usize, version: i64) -> Result<(), ()> {
        let (who, action) = SCRIPT[step];
        let mut body = json!({ "action": action, "version": version });
        match action {
            "pay" => body["amount"] = json!(self.setup.fee),
            "deliver" => body["receiver"] = json!("SOK DARA"),
            _ => {}
        }
        let res = self
            .client
            .post(format!("{}/api/v1/cases/{code}/actions", self.base))
            .bearer_auth(&self.setup.tokens[who])
            .json(&body)
            .send()
            .await
            .map_err(|_| ())?;
        let status = res.status().as_u16();
        let outcome: Value = res.json().await.map_err(|_| ())?;
        assert_eq!(
            status, 200,
            "{who} {action} on {code} v{version}: {outcome}"
        );
        let mut ledger = self.ledger.lock().unwrap();
        ledger.actions.push((code.to_string(), version + 1));
        if action == "pay" {
            ledger
                .receipts
                .push(outcome["receipt_number"].as_str().unwrap().to_string());
        }
        Ok(())
    }

    async fn version_of(&self, code: &str) -> Result<i64, ()> {
        let res = self
            .client
            .get(format!("{}/api/v1/cases/{code}", self.base))
            .bearer_auth(&self.setup.tokens["desk.1201"])
            .send()
            .await
            .map_err(|_| ())?;
        let body: Value = res.json().await.map_err(|_| ())?;
        body["version"].as_i64().ok_or(())
    }
}
