//! A stand-in for the Bakong Open API's batch check, for tests only: it answers in the API's
//! documented JSON shape, knows which MD5s are paid, and can fail the ways a real service does.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{extract::State, http::HeaderMap, routing::post, Json, Router};
use serde_json::{json, Value};

pub const TOKEN: &str = "test-bakong-token";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Answer,
    Http500,
    Slow,
    Garbage,
}

/// What the stand-in knows: paid transactions by MD5, and how it misbehaves.
#[derive(Default)]
pub struct Bank {
    pub paid: HashMap<String, Value>,
    pub mode: Option<Mode>,
    pub calls: usize,
    pub bad_tokens: usize,
}

pub type Shared = Arc<Mutex<Bank>>;

async fn check_list(
    State(bank): State<Shared>,
    headers: HeaderMap,
    Json(md5s): Json<Vec<String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mode = {
        let mut bank = bank.lock().unwrap();
        bank.calls += 1;
        if headers.get("authorization").and_then(|h| h.to_str().ok())
            != Some(&format!("Bearer {TOKEN}"))
        {
            bank.bad_tokens += 1;
        }
        bank.mode.unwrap_or(Mode::Answer)
    };
    match mode {
        Mode::Http500 => {
            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response()
        }
        Mode::Garbage => return "<html>maintenance</html>".into_response(),
        Mode::Slow => tokio::time::sleep(Duration::from_secs(5)).await,
        Mode::Answer => {}
    }
    let bank = bank.lock().unwrap();
    let data: Vec<Value> = md5s
        .iter()
        .map(|md5| match bank.paid.get(md5) {
            Some(t) => json!({ "md5": md5, "status": "SUCCESS", "message": null, "data": t }),
            None => json!({ "md5": md5, "status": "NOT_FOUND", "message": "Transaction could not be found", "data": null }),
        })
        .collect();
    Json(json!({
        "responseCode": 0, "responseMessage": "Getting transaction successfully.",
        "errorCode": null, "data": data
    }))
    .into_response()
}

pub async fn stand_in() -> (String, Shared) {
    let bank: Shared = Arc::default();
    let router = Router::new()
        .route("/v1/check_transaction_by_md5_list", post(check_list))
        .with_state(bank.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, bank)
}

pub fn transaction(hash: &str, amount: i64, currency: &str) -> Value {
    json!({
        "hash": hash, "fromAccountId": "citizen@aclb", "toAccountId": "owso_1201@demo",
        "currency": currency, "amount": amount as f64, "description": "",
        "createdDateMs": 1_765_000_000_000i64, "acknowledgedDateMs": 1_765_000_001_000i64
    })
}
