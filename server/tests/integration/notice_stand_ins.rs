//! Stand-ins for the gateways notices leave by, for tests only: the Telegram Bot API's
//! `sendMessage` (`POST /bot{token}/sendMessage`, answering in its documented JSON shapes) and an
//! HTTP SMS gateway (`POST /sms`, JSON or form bodies), on one loopback server.
//!
//! Each endpoint follows a script of behaviours, one per request, and answers `Ok` once its
//! script is used up. Every request is recorded, and the messages each gateway took are counted
//! by idempotency key (SMS) or by chat and text (Telegram), so a test sees any duplicate.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, Path, Request, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
    Form, Json, Router,
};
use serde_json::{json, Value};

/// The bot token the stand-in accepts; any other is answered 401, as Telegram does.
pub const BOT_TOKEN: &str = "7001234567:AAtest-bot-token_do-not-log";
/// The `Authorization` header the SMS stand-in expects (recorded either way).
pub const SMS_AUTH: &str = "Bearer test-sms-key";
/// How long `Hang` waits before answering: longer than any client's timeout.
pub const HANG: Duration = Duration::from_secs(15);

/// How an endpoint answers one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Takes the message: Telegram `{"ok":true,"result":{…}}`, SMS 200.
    Ok,
    /// 429: Telegram with `parameters.retry_after`, SMS with a `Retry-After` header.
    TooMany {
        retry_after_secs: u64,
    },
    Http500,
    /// Takes the message (it counts as delivered) but answers only after [`HANG`]: the answer a
    /// timed-out client never sees.
    Hang,
    /// Telegram 403 "Forbidden: bot was blocked by the user"; SMS 400.
    Refuse,
}

impl Behaviour {
    fn takes_the_message(self) -> bool {
        matches!(self, Behaviour::Ok | Behaviour::Hang)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Telegram,
    Sms,
}

/// One request the stand-in received.
#[derive(Clone, Debug)]
pub struct Received {
    pub endpoint: Endpoint,
    pub path: String,
    /// Telegram: the token from the path.
    pub token: Option<String>,
    /// The body parsed: JSON as it is, a form as an object of strings; unparsable as a string.
    pub body: Value,
    /// The body as it arrived.
    pub raw: String,
    pub content_type: Option<String>,
    pub idempotency_key: Option<String>,
    pub authorization: Option<String>,
    /// How it was answered.
    pub behaviour: Behaviour,
}

#[derive(Default)]
pub struct Gateway {
    pub received: Vec<Received>,
    pub telegram_script: VecDeque<Behaviour>,
    pub sms_script: VecDeque<Behaviour>,
    /// Messages the SMS gateway took, by idempotency key.
    pub sms_taken: HashMap<String, usize>,
    /// Messages the bot sent, by chat id and text.
    pub telegram_taken: HashMap<(String, String), usize>,
    next_message_id: i64,
}

/// The stand-in's state, shared with its server.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<Mutex<Gateway>>);

impl Shared {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Gateway> {
        self.0.lock().unwrap()
    }

    /// The next Telegram requests are answered so, in order.
    pub fn script_telegram(&self, behaviours: impl IntoIterator<Item = Behaviour>) {
        self.lock().telegram_script.extend(behaviours);
    }

    /// The next SMS requests are answered so, in order.
    pub fn script_sms(&self, behaviours: impl IntoIterator<Item = Behaviour>) {
        self.lock().sms_script.extend(behaviours);
    }

    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    pub fn received_at(&self, endpoint: Endpoint) -> Vec<Received> {
        self.lock()
            .received
            .iter()
            .filter(|r| r.endpoint == endpoint)
            .cloned()
            .collect()
    }

    /// How many times the SMS gateway took each idempotency key: more than 1 is a duplicate.
    pub fn received_keys(&self) -> HashMap<String, usize> {
        self.lock().sms_taken.clone()
    }

    /// How many times the bot sent each text to each chat.
    pub fn telegram_sent(&self) -> HashMap<(String, String), usize> {
        self.lock().telegram_taken.clone()
    }
}

fn header_of(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The body parsed by its content type: a form through axum's own `Form` decoding.
async fn parse(headers: &HeaderMap, bytes: &Bytes) -> Value {
    let raw = String::from_utf8_lossy(bytes).to_string();
    let is_form = header_of(headers, "content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        // A POST: `Form` reads a GET's query instead of its body.
        let request = Request::builder()
            .method("POST")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(bytes.clone()))
            .unwrap();
        match Form::<Vec<(String, String)>>::from_request(request, &()).await {
            Ok(Form(pairs)) => Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            ),
            Err(_) => Value::String(raw),
        }
    } else {
        serde_json::from_slice(bytes).unwrap_or(Value::String(raw))
    }
}

fn record(
    gateway: &Shared,
    endpoint: Endpoint,
    path: String,
    token: Option<String>,
    headers: &HeaderMap,
    body: Value,
    bytes: &Bytes,
) -> (Behaviour, i64) {
    let mut state = gateway.lock();
    let behaviour = match endpoint {
        Endpoint::Telegram => state.telegram_script.pop_front(),
        Endpoint::Sms => state.sms_script.pop_front(),
    }
    .unwrap_or(Behaviour::Ok);
    let idempotency_key = header_of(headers, "idempotency-key");
    let authorized = token.as_deref().is_none_or(|t| t == BOT_TOKEN);
    if behaviour.takes_the_message() && authorized {
        match endpoint {
            Endpoint::Sms => {
                let key = idempotency_key
                    .clone()
                    .or_else(|| body["id"].as_str().map(str::to_string))
                    .unwrap_or_default();
                *state.sms_taken.entry(key).or_default() += 1;
            }
            Endpoint::Telegram => {
                let chat = match &body["chat_id"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let text = body["text"].as_str().unwrap_or_default().to_string();
                *state.telegram_taken.entry((chat, text)).or_default() += 1;
            }
        }
    }
    state.next_message_id += 1;
    let message_id = state.next_message_id;
    state.received.push(Received {
        endpoint,
        path,
        token,
        body,
        raw: String::from_utf8_lossy(bytes).to_string(),
        content_type: header_of(headers, "content-type"),
        idempotency_key,
        authorization: header_of(headers, "authorization"),
        behaviour,
    });
    (behaviour, message_id)
}

fn telegram_error(status: StatusCode, description: &str, parameters: Option<Value>) -> Response {
    let mut answer = json!({
        "ok": false,
        "error_code": status.as_u16(),
        "description": description,
    });
    if let Some(p) = parameters {
        answer["parameters"] = p;
    }
    (status, Json(answer)).into_response()
}

async fn send_message(
    State(gateway): State<Shared>,
    Path(bot): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let token = bot.strip_prefix("bot").unwrap_or(&bot).to_string();
    let body = parse(&headers, &bytes).await;
    let path = format!("/{bot}/sendMessage");
    let (behaviour, message_id) = record(
        &gateway,
        Endpoint::Telegram,
        path,
        Some(token.clone()),
        &headers,
        body.clone(),
        &bytes,
    );
    if token != BOT_TOKEN {
        return telegram_error(StatusCode::UNAUTHORIZED, "Unauthorized", None);
    }
    match behaviour {
        Behaviour::TooMany { retry_after_secs } => {
            return telegram_error(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too Many Requests: retry after {retry_after_secs}"),
                Some(json!({ "retry_after": retry_after_secs })),
            )
        }
        Behaviour::Http500 => {
            return telegram_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error",
                None,
            )
        }
        Behaviour::Refuse => {
            return telegram_error(
                StatusCode::FORBIDDEN,
                "Forbidden: bot was blocked by the user",
                None,
            )
        }
        Behaviour::Hang => tokio::time::sleep(HANG).await,
        Behaviour::Ok => {}
    }
    if body["chat_id"].is_null() || body["text"].as_str().is_none_or(str::is_empty) {
        return telegram_error(
            StatusCode::BAD_REQUEST,
            "Bad Request: message text is empty",
            None,
        );
    }
    Json(json!({
        "ok": true,
        "result": {
            "message_id": message_id,
            "from": { "id": 7001234567i64, "is_bot": true, "first_name": "OWSO", "username": "owso_test_bot" },
            "chat": { "id": body["chat_id"], "type": "private" },
            "date": 1_765_000_000i64,
            "text": body["text"],
        }
    }))
    .into_response()
}

async fn sms(State(gateway): State<Shared>, headers: HeaderMap, bytes: Bytes) -> Response {
    let body = parse(&headers, &bytes).await;
    let (behaviour, message_id) = record(
        &gateway,
        Endpoint::Sms,
        "/sms".into(),
        None,
        &headers,
        body,
        &bytes,
    );
    match behaviour {
        Behaviour::TooMany { retry_after_secs } => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after_secs.to_string())],
                Json(json!({ "error": "rate limited" })),
            )
                .into_response()
        }
        Behaviour::Http500 => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "upstream failure").into_response()
        }
        Behaviour::Refuse => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": "invalid destination" })),
            )
                .into_response()
        }
        Behaviour::Hang => tokio::time::sleep(HANG).await,
        Behaviour::Ok => {}
    }
    Json(json!({ "status": "queued", "message_id": format!("sms-{message_id}") })).into_response()
}

/// Starts the stand-in on loopback: its base URL (Telegram's `api_url`; the SMS gateway is
/// `{url}/sms`) and its state.
pub async fn stand_in() -> (String, Shared) {
    let gateway = Shared::default();
    let router = Router::new()
        .route("/sms", post(sms))
        .route("/{bot}/sendMessage", post(send_message))
        .with_state(gateway.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, gateway)
}
