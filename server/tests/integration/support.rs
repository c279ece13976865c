use std::{path::PathBuf, sync::Arc};

use app::backend::{db, settings::Settings};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::{net::TcpListener, task::JoinHandle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs one async test body on SQLite and on PostgreSQL, as `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Db::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::support::Db::Postgres).await
            }
        }
    )*};
}

/// The PostgreSQL server the tests create their databases on; `test.sh` starts it.
pub fn pg_admin_url() -> String {
    std::env::var("OWSO_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://owso:owso@127.0.0.1:5432/postgres".into())
}

/// A fresh, empty database: a new SQLite file, or a new UUID-named PostgreSQL database.
pub struct FreshDb {
    pub url: String,
    pg_name: Option<String>,
    file: Option<PathBuf>,
}

impl FreshDb {
    pub async fn new(kind: Db) -> FreshDb {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match kind {
            Db::Sqlite => {
                let file = std::env::temp_dir().join(format!("owso-test-{id}.db"));
                FreshDb {
                    url: format!("sqlite://{}", file.display()),
                    pg_name: None,
                    file: Some(file),
                }
            }
            Db::Postgres => {
                let admin_url = pg_admin_url();
                let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL at {admin_url} (run ./test.sh to start it): {e}")
                });
                let name = format!("owso_test_{id}");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                let _ = admin.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap();
                FreshDb {
                    url: format!("{base}/{name}"),
                    pg_name: Some(name),
                    file: None,
                }
            }
        }
    }

    /// Removes the database; PostgreSQL databases are dropped even with connections open.
    pub async fn drop_now(&self) {
        if let Some(name) = &self.pg_name {
            if let Ok(admin) = Database::connect(pg_admin_url()).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
            }
        }
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub fresh: FreshDb,
    server: JoinHandle<()>,
}

impl TestApp {
    /// A migrated database with the demo catalogue, and the app serving on a random port.
    pub async fn spawn(kind: Db) -> TestApp {
        Self::spawn_with(kind, &[]).await
    }

    /// Like `spawn`, with extra settings (`OWSO_TRACK_RATE_LIMIT`…) as the environment would give.
    pub async fn spawn_with(kind: Db, extra: &[(&str, &str)]) -> TestApp {
        let fresh = FreshDb::new(kind).await;
        let settings = test_settings(&fresh.url, extra);
        let state = owso_server::serve::prepare(settings)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message));
        owso_server::seed::load_catalogue(&state.db)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message));
        let db = state.db.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let _ = owso_server::serve::serve_on(listener, state).await;
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A request that never gets an answer fails its test instead of stalling the run.
            .timeout(std::time::Duration::from_secs(90))
            .build()
            .unwrap();
        TestApp {
            base,
            client,
            db,
            fresh,
            server,
        }
    }

    /// Demo accounts (password `owso-demo-2026`) and a bearer token for each, by username.
    pub async fn demo_tokens(&self) -> std::collections::HashMap<String, String> {
        owso_server::seed::load_demo_users(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{}", e.message));
        let mut tokens = std::collections::HashMap::new();
        for account in owso_server::seed::demo_accounts() {
            let token = app::backend::auth::create_api_token(
                &self.db,
                &account.username,
                "test",
                chrono::Utc::now(),
            )
            .await
            .unwrap();
            tokens.insert(account.username, token);
        }
        tokens
    }

    /// Calls the JSON API as the holder of `token`; answers the status and the JSON body.
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// A second server process on the same database, as behind a load balancer: its base URL
    /// and the task serving it.
    pub async fn second_server(&self, extra: &[(&str, &str)]) -> (String, JoinHandle<()>) {
        let state = owso_server::serve::prepare(test_settings(&self.fresh.url, extra))
            .await
            .unwrap_or_else(|e| panic!("{}", e.message));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let _ = owso_server::serve::serve_on(listener, state).await;
        });
        (base, server)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let res = self.client.get(self.url(path)).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// Posts a form as a browser without JavaScript would.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(path))
            .header("accept", "text/html")
            .header("referer", self.url("/login"));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.form(fields).send().await.unwrap()
    }

    pub async fn form_login(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/api/auth/login",
            None,
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// Signs in through the form and answers the session cookie (`name=value`).
    pub async fn session_of(&self, username: &str) -> String {
        self.session_of_with(username, "owso-demo-2026").await
    }

    pub async fn session_of_with(&self, username: &str, password: &str) -> String {
        session_cookie(&self.form_login(username, password).await)
    }

    /// A GET as a signed-in browser; answers the status and the body.
    pub async fn get_as(&self, path: &str, cookie: &str) -> (u16, String) {
        let res = self
            .client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    pub async fn finish(self) {
        self.server.abort();
        let _ = self.db.clone().close().await;
        self.fresh.drop_now().await;
    }
}

pub fn session_cookie(res: &reqwest::Response) -> String {
    let header = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );
    header.split(';').next().unwrap().to_string()
}

/// Where a response redirects to; empty when it does not.
pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Every cookie a response sets (and does not expire), as one `Cookie` header: what a browser
/// sends on its next request.
pub fn cookies_set(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| !v.contains("Max-Age=0"))
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The text of the element with `data-testid="{testid}"` in a page.
pub fn testid_text(html: &str, testid: &str) -> Option<String> {
    let start = html.find(&format!("data-testid=\"{testid}\""))?;
    let rest = &html[start..];
    let open = rest.find('>')? + 1;
    let close = rest[open..].find('<')?;
    Some(rest[open..open + close].trim().to_string())
}

/// Opens an extra pool on a test database, as a second process would.
/// The settings a test server runs with: its database, a random port, a small pool, and `extra`.
pub fn test_settings(url: &str, extra: &[(&str, &str)]) -> Settings {
    Settings::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.to_string()),
        "OWSO_ADDR" => Some("127.0.0.1:0".into()),
        "OWSO_DB_POOL" => Some("4".into()),
        _ => extra
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string()),
    })
    .unwrap()
}

pub async fn connect(url: &str) -> DatabaseConnection {
    db::connect(url, 2).await.unwrap()
}

/// The `owso` binary cargo built for these tests; a benchmark may name another one in
/// `OWSO_BENCH_BIN` to measure an earlier build against the same load.
pub fn owso_bin() -> Arc<PathBuf> {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_owso"));
    Arc::new(
        std::env::var_os("OWSO_BENCH_BIN")
            .map(PathBuf::from)
            .unwrap_or(built),
    )
}
