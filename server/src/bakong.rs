//! Confirms KHQR payments through the Bakong Open API: a background task asks about the open
//! payment requests by the MD5 of their payloads, in batches, and applies each answer through
//! `backend::payments::apply_answer` (the `pay` action, exactly once).
//!
//! The token is a bearer credential: it goes in one header and nowhere else, never in a log.

use std::time::Duration;

use app::backend::{
    entities::payment_request,
    payments::{self, Applied, BankAnswer},
    settings::BakongSettings,
};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

/// The API answers at most this many MD5s per batch call.
pub const BATCH: usize = 50;
/// Requests taken per round; more wait for the next round.
pub const ROUND_LIMIT: u64 = 10_000;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum BakongError {
    #[error("the Bakong API could not be reached: {0}")]
    Transport(String),
    #[error("the Bakong API answered HTTP {0}")]
    Status(u16),
    #[error("the Bakong API's answer is not what it documents: {0}")]
    Malformed(String),
}

/// One transaction as the API describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transaction {
    hash: String,
    #[serde(default)]
    from_account_id: Option<String>,
    currency: String,
    amount: f64,
    #[serde(default)]
    acknowledged_date_ms: Option<i64>,
    #[serde(default)]
    created_date_ms: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SingleAnswer {
    response_code: i64,
    #[serde(default)]
    data: Option<Transaction>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListAnswer {
    response_code: i64,
    #[serde(default)]
    data: Option<Vec<ListItem>>,
}

#[derive(Debug, Deserialize)]
struct ListItem {
    md5: String,
    status: String,
    #[serde(default)]
    data: Option<Transaction>,
}

fn answer_of(transaction: Option<Transaction>) -> Result<BankAnswer, BakongError> {
    let Some(t) = transaction else {
        return Ok(BankAnswer::NotFound);
    };
    // Riel amounts are whole; anything else is reported as it is and fails the fee check.
    if !t.amount.is_finite() || t.amount < 0.0 {
        return Err(BakongError::Malformed(format!("amount {}", t.amount)));
    }
    let amount = if t.amount.fract() == 0.0 {
        t.amount as i64
    } else {
        -1
    };
    let paid_ms = t
        .acknowledged_date_ms
        .or(t.created_date_ms)
        .unwrap_or_else(|| Utc::now().timestamp_millis());
    Ok(BankAnswer::Paid {
        hash: t.hash,
        from_account: t.from_account_id,
        amount,
        currency: t.currency,
        paid_at: Utc
            .timestamp_millis_opt(paid_ms)
            .single()
            .unwrap_or_else(Utc::now),
    })
}

#[derive(Clone)]
pub struct BakongClient {
    http: reqwest::Client,
    settings: BakongSettings,
}

impl BakongClient {
    pub fn new(settings: BakongSettings) -> Result<Self, BakongError> {
        Self::with_timeout(settings, TIMEOUT)
    }

    /// A client that gives up on an answer after `timeout`.
    pub fn with_timeout(settings: BakongSettings, timeout: Duration) -> Result<Self, BakongError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| BakongError::Transport(e.to_string()))?;
        Ok(Self { http, settings })
    }

    async fn post<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, BakongError> {
        let response = self
            .http
            .post(format!("{}{path}", self.settings.url))
            .bearer_auth(self.settings.token.expose())
            .json(body)
            .send()
            .await
            // `without_url` keeps the address out of the message; the token never was in it.
            .map_err(|e| BakongError::Transport(e.without_url().to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(BakongError::Status(status.as_u16()));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| BakongError::Transport(e.without_url().to_string()))?;
        serde_json::from_slice(&bytes).map_err(|e| BakongError::Malformed(e.to_string()))
    }

    /// `POST /v1/check_transaction_by_md5`: one request.
    pub async fn check_one(&self, md5: &str) -> Result<BankAnswer, BakongError> {
        let answer: SingleAnswer = self
            .post(
                "/v1/check_transaction_by_md5",
                &serde_json::json!({ "md5": md5 }),
            )
            .await?;
        match answer.response_code {
            0 => answer_of(answer.data),
            // 1 is "transaction could not be found".
            _ => Ok(BankAnswer::NotFound),
        }
    }

    /// `POST /v1/check_transaction_by_md5_list`: up to `BATCH` requests in one call. MD5s the
    /// answer leaves out count as not found.
    pub async fn check_many(
        &self,
        md5s: &[String],
    ) -> Result<Vec<(String, BankAnswer)>, BakongError> {
        let answer: ListAnswer = self
            .post(
                "/v1/check_transaction_by_md5_list",
                &serde_json::json!(md5s),
            )
            .await?;
        if answer.response_code != 0 {
            return Ok(md5s
                .iter()
                .map(|m| (m.clone(), BankAnswer::NotFound))
                .collect());
        }
        let mut items = answer.data.unwrap_or_default();
        let mut out = Vec::with_capacity(md5s.len());
        for md5 in md5s {
            let item = items
                .iter()
                .position(|i| i.md5.eq_ignore_ascii_case(md5))
                .map(|at| items.swap_remove(at));
            let answer = match item {
                Some(i) if i.status.eq_ignore_ascii_case("SUCCESS") => answer_of(i.data)?,
                _ => BankAnswer::NotFound,
            };
            out.push((md5.clone(), answer));
        }
        Ok(out)
    }
}

/// What one round did, for the log and the benchmark.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub asked: usize,
    pub api_calls: usize,
    pub paid: usize,
    pub flagged: usize,
    pub expired: usize,
    pub failed_calls: usize,
    /// Database statements the round issued: its SELECT, the batched reschedules, and those of
    /// each payment applied, flagged or expired (counted as one each).
    pub statements: usize,
}

/// Asks about every due request once. A failed call leaves its requests due, so the next round
/// asks again; nothing is marked on a guess.
pub async fn poll_once(
    db: &DatabaseConnection,
    client: &BakongClient,
    now: DateTime<Utc>,
) -> Result<Round, app::error::AppError> {
    let due = payments::due_requests(db, now, ROUND_LIMIT).await?;
    let mut round = Round {
        asked: due.len(),
        statements: 1,
        ..Round::default()
    };
    let interval = client.settings.interval;
    for chunk in due.chunks(BATCH) {
        round.api_calls += 1;
        let md5s: Vec<String> = chunk.iter().map(|r| r.md5.clone()).collect();
        let answers = match client.check_many(&md5s).await {
            Ok(answers) => answers,
            Err(e) => {
                tracing::warn!(error = %e, requests = chunk.len(), "Bakong check failed; asking again next round");
                round.failed_calls += 1;
                continue;
            }
        };
        // Unseen requests that are still payable are asked about again later, in one write per
        // due time; everything else is applied one by one.
        let mut unseen: std::collections::BTreeMap<DateTime<Utc>, Vec<i64>> = Default::default();
        for (request, (_, answer)) in chunk.iter().zip(answers) {
            if answer == BankAnswer::NotFound && now <= request.expires_at + payments::EXPIRY_GRACE
            {
                let next = payments::next_check(request, interval, now);
                unseen.entry(next).or_default().push(request.id);
            } else {
                apply(db, client, request, answer, &mut round).await;
            }
        }
        for (next, ids) in unseen {
            round.statements += 1;
            if let Err(e) = payments::reschedule_unseen(db, &ids, next).await {
                tracing::warn!(error = %e, "KHQR requests not rescheduled; asked again next round");
            }
        }
    }
    Ok(round)
}

async fn apply(
    db: &DatabaseConnection,
    client: &BakongClient,
    request: &payment_request::Model,
    answer: BankAnswer,
    round: &mut Round,
) {
    round.statements += 1;
    match payments::apply_answer(db, request, answer, client.settings.interval, Utc::now()).await {
        Ok(Applied::Paid) => round.paid += 1,
        Ok(Applied::Flagged) => round.flagged += 1,
        Ok(Applied::Expired) => round.expired += 1,
        Ok(Applied::Waiting | Applied::AlreadyApplied) => {}
        Err(e) => {
            tracing::warn!(request = request.id, error = %e, "KHQR answer not applied; asking again")
        }
    }
}

/// Starts the confirmation task; it runs until the process ends.
pub fn spawn(db: DatabaseConnection, settings: BakongSettings) -> Result<(), BakongError> {
    let interval = settings.interval;
    let client = BakongClient::new(settings)?;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match poll_once(&db, &client, Utc::now()).await {
                Ok(round) if round.paid + round.flagged > 0 => {
                    tracing::info!(?round, "KHQR confirmations applied")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "KHQR round failed"),
            }
        }
    });
    Ok(())
}
