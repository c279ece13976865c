//! Delivers the outbox. One task per server claims due messages (on PostgreSQL with `FOR UPDATE
//! SKIP LOCKED`, so each goes to one sender), sends them with bounded concurrency through the
//! gateways and records each answer: sent, retrying with back-off, dead after the last try, or
//! kept as `no_channel` when nothing is configured. The Telegram webhook binds chats to cases.

use std::{sync::Arc, time::Duration};

use app::backend::{
    entities::outbox,
    notices::{self, Outcome, OUTBOX_WAKE},
    settings::{NoticeSettings, SENDER_IDLE},
    state::AppState,
};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
    Json, Router,
};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

pub mod gateways;

use gateways::{Delivery, Gateways, Outgoing};

/// How long a claimed message is held by its sender: longer than a gateway's timeout, so a
/// living sender always records its answer first.
pub const LEASE: Duration = Duration::from_secs(30);
/// How often recipients past their time are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub claimed: usize,
    pub sent: usize,
    pub retrying: usize,
    pub dead: usize,
    pub no_channel: usize,
}

/// Spreads retries of messages that failed together: a number from 0 to 1 that differs by
/// message and by try, without a random source.
fn jitter(message: &outbox::Model) -> f64 {
    let mixed = (message.id as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((message.attempts as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    (mixed >> 11) as f64 / (1u64 << 53) as f64
}

/// Claims what is due and sends it, at most `concurrency` at a time.
pub async fn send_once(
    db: &DatabaseConnection,
    gateways: &Arc<Gateways>,
    concurrency: usize,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Round, app::error::AppError> {
    let claimed = notices::claim_due(db, (concurrency * 4) as u64, lease, now).await?;
    let mut round = Round {
        claimed: claimed.len(),
        ..Default::default()
    };
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for message in claimed {
        let (db, gateways, permits) = (db.clone(), gateways.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let delivery = match &message.recipient {
                Some(recipient) => {
                    gateways
                        .deliver(&Outgoing {
                            channel: message.channel,
                            recipient,
                            body: &message.body,
                            idempotency_key: &message.idempotency_key,
                        })
                        .await
                }
                None => Delivery::Failed {
                    error: "recipient removed".into(),
                },
            };
            let outcome = delivery;
            let status =
                notices::mark(&db, &message, &outcome, jitter(&message), Utc::now()).await;
            if let Outcome::Retry { error, .. } | Outcome::Failed { error } = &outcome {
                tracing::warn!(message = message.id, channel = message.channel.id(), %error, "notice not delivered");
            }
            status
        });
    }
    while let Some(joined) = tasks.join_next().await {
        use app::domain::notice::NoticeStatus;
        match joined {
            Ok(Ok(NoticeStatus::Sent)) => round.sent += 1,
            Ok(Ok(NoticeStatus::Retrying | NoticeStatus::Pending)) => round.retrying += 1,
            Ok(Ok(NoticeStatus::Dead)) => round.dead += 1,
            Ok(Ok(NoticeStatus::NoChannel)) => round.no_channel += 1,
            // The claim lapses and the message is taken again: sent at least once, never lost.
            Ok(Err(e)) => tracing::warn!(error = %e, "a notice's answer was not recorded"),
            Err(e) => tracing::warn!(error = %e, "a notice task failed"),
        }
    }
    Ok(round)
}

/// Starts the sender; it runs until the process ends.
pub fn spawn(db: DatabaseConnection, settings: &NoticeSettings) -> Result<(), String> {
    let gateways = Arc::new(Gateways::new(settings)?);
    let concurrency = settings.concurrency;
    tokio::spawn(async move {
        if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            match notices::release_claims(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    messages = n,
                    "notices held by the previous run are due again"
                ),
                Err(e) => tracing::warn!(error = %e, "could not release earlier claims"),
            }
        }
        let mut last_purge: Option<tokio::time::Instant> = None;
        loop {
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                match notices::purge_recipients(&db, Utc::now()).await {
                    Ok(n) if n > 0 => {
                        tracing::info!(messages = n, "recipients past 90 days removed")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "recipient purge failed"),
                }
                last_purge = Some(tokio::time::Instant::now());
            }
            let round = match send_once(&db, &gateways, concurrency, LEASE, Utc::now()).await {
                Ok(round) => round,
                Err(e) => {
                    tracing::warn!(error = %e, "notice round failed");
                    Round::default()
                }
            };
            if round.claimed == 0 {
                let _ = tokio::time::timeout(SENDER_IDLE, OUTBOX_WAKE.notified()).await;
            }
        }
    });
    Ok(())
}

/// The parts of a Telegram `Update` the bot reads.
#[derive(Debug, Deserialize)]
pub struct Update {
    pub update_id: i64,
    #[serde(default)]
    pub message: Option<IncomingMessage>,
}

#[derive(Debug, Deserialize)]
pub struct IncomingMessage {
    pub chat: Chat,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub from: Option<TelegramUser>,
}

#[derive(Debug, Deserialize)]
pub struct Chat {
    pub id: i64,
}

#[derive(Debug, Deserialize)]
pub struct TelegramUser {
    #[serde(default)]
    pub language_code: Option<String>,
}

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// `POST /hooks/telegram`: Telegram's calls, checked by the secret token it was given when the
/// webhook was set. Without the bot configured the hook does not exist.
async fn telegram_hook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let Some(telegram) = &state.settings.notices.telegram else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !app::backend::secrets::same_secret(given, telegram.webhook_secret.expose()) {
        tracing::warn!("refused a Telegram webhook call without the secret token");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(Json(update)) = Json::<Update>::from_bytes(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    let Some(message) = update.message else {
        return StatusCode::OK;
    };
    let Some(text) = message.text else {
        return StatusCode::OK;
    };
    match notices::telegram::handle_update(
        &state.db,
        update.update_id,
        &message.chat.id.to_string(),
        &text,
        message
            .from
            .as_ref()
            .and_then(|f| f.language_code.as_deref()),
        &state.settings.public_url,
        Utc::now(),
    )
    .await
    {
        Ok(reply) => {
            tracing::info!(update = update.update_id, ?reply, "Telegram update handled");
            StatusCode::OK
        }
        // Telegram delivers the update again; its reply is keyed by the update, so it is one.
        Err(e) => {
            tracing::warn!(error = %e, "Telegram update not handled");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/hooks/telegram", post(telegram_hook))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_between_zero_and_one_and_varies() {
        let mut seen = std::collections::BTreeSet::new();
        for id in 1..200 {
            let m = outbox::Model {
                id,
                idempotency_key: String::new(),
                case_id: None,
                complaint_id: None,
                office_code: None,
                event: app::domain::notice::NoticeEvent::Registered,
                channel: app::domain::notice::NoticeChannel::Sms,
                recipient: None,
                language: "km".into(),
                body: String::new(),
                status: app::domain::notice::NoticeStatus::Pending,
                attempts: (id % 8) as i32,
                next_attempt_at: Utc::now(),
                claimed_until: None,
                last_error: None,
                created_at: Utc::now(),
                sent_at: None,
            };
            let j = jitter(&m);
            assert!((0.0..1.0).contains(&j));
            seen.insert((j * 10.0) as u32);
        }
        assert!(seen.len() >= 8, "spread over the range: {seen:?}");
    }
}
