//! The outbox as the sender and staff use it: claiming due messages (one sender per message,
//! even with many servers on PostgreSQL), recording what the gateway said, retrying by hand and
//! forgetting recipients after their time.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, LockBehavior, LockType, Query},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    backend::{
        audit::{self, AuditEvent},
        auth::CurrentUser,
        calendar::local_date,
        db::begin_write,
        entities::{case, outbox},
    },
    domain::{
        notice::{self, NoticeChannel, NoticeStatus, MAX_ATTEMPTS, RECIPIENT_KEPT_DAYS},
        Role,
    },
    error::AppError,
    types::notices::{NoticeView, OfficeNotices},
};

/// What the gateway made of one try.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent,
    /// Try again: after `after` if the gateway said when, else after the back-off.
    Retry {
        after: Option<Duration>,
        error: String,
    },
    /// Refused for good: the message is dead at once.
    Failed {
        error: String,
    },
    /// No gateway for the channel: kept for staff, never dropped.
    NoChannel,
}

/// Takes up to `limit` due messages for this sender until `lease` from now. A message whose
/// sender died is taken again once its lease ends; that is the only way one can go out twice.
pub async fn claim_due(
    db: &DatabaseConnection,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<outbox::Model>, AppError> {
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
    let mut due = Query::select();
    due.column(outbox::Column::Id)
        .from(outbox::Entity)
        .and_where(outbox::Column::Status.is_in([NoticeStatus::Pending, NoticeStatus::Retrying]))
        .and_where(outbox::Column::NextAttemptAt.lte(now))
        .cond_where(
            Condition::any()
                .add(outbox::Column::ClaimedUntil.is_null())
                .add(outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by(outbox::Column::NextAttemptAt, sea_orm::Order::Asc)
        .order_by(outbox::Column::Id, sea_orm::Order::Asc)
        .limit(limit);
    let claim = |due| {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::ClaimedUntil, Expr::value(until))
            .filter(outbox::Column::Id.in_subquery(due))
    };
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // Two servers claiming at once each skip the rows the other holds, instead of waiting
        // for them and then sending them a second time.
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        Ok(claim(due).exec_with_returning(db).await?)
    } else {
        // One process owns SQLite's sender; the write turn keeps the claim off other writes.
        let txn = begin_write(db).await?;
        let claimed = claim(due).exec_with_returning(&*txn).await?;
        txn.commit().await?;
        Ok(claimed)
    }
}

/// On SQLite one process sends; at its start no other sender can be holding a message.
pub async fn release_claims(db: &DatabaseConnection) -> Result<u64, AppError> {
    let txn = begin_write(db).await?;
    let released = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::ClaimedUntil.is_not_null())
        .filter(outbox::Column::Status.is_in([NoticeStatus::Pending, NoticeStatus::Retrying]))
        .exec(&*txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(released)
}

/// Records one try. `jitter` (0 to 1) spreads the back-off.
pub async fn mark(
    db: &DatabaseConnection,
    message: &outbox::Model,
    outcome: &Outcome,
    jitter: f64,
    now: DateTime<Utc>,
) -> Result<NoticeStatus, AppError> {
    let attempts = message.attempts + 1;
    let mut m = outbox::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(message.id),
        claimed_until: Set(None),
        ..Default::default()
    };
    let status = match outcome {
        Outcome::Sent => {
            m.attempts = Set(attempts);
            m.sent_at = Set(Some(now));
            m.last_error = Set(None);
            NoticeStatus::Sent
        }
        Outcome::Retry { after, error } => {
            m.attempts = Set(attempts);
            m.last_error = Set(Some(error.clone()));
            if attempts >= MAX_ATTEMPTS {
                NoticeStatus::Dead
            } else {
                let wait = after.unwrap_or_else(|| notice::backoff(attempts, jitter));
                m.next_attempt_at =
                    Set(now
                        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(6)));
                NoticeStatus::Retrying
            }
        }
        Outcome::Failed { error } => {
            m.attempts = Set(attempts);
            m.last_error = Set(Some(error.clone()));
            NoticeStatus::Dead
        }
        Outcome::NoChannel => NoticeStatus::NoChannel,
    };
    m.status = Set(status);
    let txn = begin_write(db).await?;
    m.update(&*txn).await?;
    txn.commit().await?;
    Ok(status)
}

/// Forgets the phone or chat of messages sent (or given up) more than 90 days ago.
pub async fn purge_recipients(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let cutoff = now - chrono::Duration::days(RECIPIENT_KEPT_DAYS);
    let txn = begin_write(db).await?;
    let purged = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Recipient,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Recipient.is_not_null())
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(outbox::Column::Status.eq(NoticeStatus::Sent))
                        .add(outbox::Column::SentAt.lt(cutoff)),
                )
                .add(
                    Condition::all()
                        .add(
                            outbox::Column::Status
                                .is_in([NoticeStatus::Dead, NoticeStatus::NoChannel]),
                        )
                        .add(outbox::Column::CreatedAt.lt(cutoff)),
                ),
        )
        .exec(&*txn)
        .await?
        .rows_affected;
    txn.commit().await?;
    Ok(purged)
}

/// Sends a dead or unsent message again, from its first try. Office admins of its office, or the
/// system admin.
pub async fn retry(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i64,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let found = outbox::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = match user.role {
        Role::SystemAdmin => true,
        Role::OfficeAdmin => found.office_code.is_some() && found.office_code == user.office_code,
        _ => false,
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    if !found.status.can_retry() || found.recipient.is_none() {
        return Err(AppError::field("notice", "err_notice_not_retryable"));
    }
    let txn = begin_write(db).await?;
    outbox::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(found.id),
        status: Set(NoticeStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_error: Set(None),
        ..Default::default()
    }
    .update(&*txn)
    .await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "notice_retry".into(),
            entity: "outbox".into(),
            entity_id: Some(found.id.to_string()),
            before: Some(
                serde_json::json!({ "status": found.status.id(), "attempts": found.attempts }),
            ),
            after: Some(serde_json::json!({ "status": "pending" })),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    super::wake();
    Ok(())
}

fn view(m: outbox::Model, case_code: Option<String>) -> NoticeView {
    let recipient = m.recipient.as_deref().map(|r| match m.channel {
        NoticeChannel::Sms => notice::mask_phone(r),
        NoticeChannel::Telegram => format!(
            "…{}",
            r.chars()
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        ),
    });
    NoticeView {
        id: m.id,
        case_code,
        event: m.event,
        channel: m.channel,
        status: m.status,
        attempts: m.attempts,
        recipient,
        body: m.body,
        created_at: m.created_at,
        sent_at: m.sent_at,
        last_error: m.last_error,
    }
}

/// A case's messages, oldest first, for its page.
pub async fn for_case(
    db: &impl ConnectionTrait,
    case_id: i64,
    case_code: &str,
) -> Result<Vec<NoticeView>, AppError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::CaseId.eq(case_id))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| view(m, Some(case_code.to_string())))
        .collect())
}

/// An office's messages that need a person, newest first, with what is waiting and sent today.
pub async fn for_office(
    db: &DatabaseConnection,
    office_code: &str,
    now: DateTime<Utc>,
) -> Result<OfficeNotices, AppError> {
    let failed = outbox::Entity::find()
        .filter(outbox::Column::OfficeCode.eq(office_code))
        .filter(outbox::Column::Status.is_in([NoticeStatus::Dead, NoticeStatus::NoChannel]))
        .order_by_desc(outbox::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let case_ids: Vec<i64> = failed.iter().filter_map(|m| m.case_id).collect();
    let codes: std::collections::HashMap<i64, String> = if case_ids.is_empty() {
        Default::default()
    } else {
        case::Entity::find()
            .filter(case::Column::Id.is_in(case_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.code))
            .collect()
    };
    let waiting = outbox::Entity::find()
        .filter(outbox::Column::OfficeCode.eq(office_code))
        .filter(outbox::Column::Status.is_in([NoticeStatus::Pending, NoticeStatus::Retrying]))
        .count(db)
        .await? as i64;
    let day_start = crate::domain::calendar::from_phnom_penh(
        local_date(now).and_hms_opt(0, 0, 0).unwrap_or_default(),
    );
    let sent_today = outbox::Entity::find()
        .filter(outbox::Column::OfficeCode.eq(office_code))
        .filter(outbox::Column::Status.eq(NoticeStatus::Sent))
        .filter(outbox::Column::SentAt.gte(day_start))
        .count(db)
        .await? as i64;
    Ok(OfficeNotices {
        office_code: office_code.to_string(),
        failed: failed
            .into_iter()
            .map(|m| {
                let code = m.case_id.and_then(|id| codes.get(&id).cloned());
                view(m, code)
            })
            .collect(),
        waiting,
        sent_today,
    })
}

/// Messages sent between `from` and `to` by channel, from the offices given (all when `None`).
pub async fn sent_by_channel(
    db: &impl ConnectionTrait,
    offices: Option<&[String]>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(NoticeChannel, i64)>, AppError> {
    let mut out = Vec::new();
    for channel in [NoticeChannel::Sms, NoticeChannel::Telegram] {
        let mut q = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(NoticeStatus::Sent))
            .filter(outbox::Column::Channel.eq(channel))
            .filter(outbox::Column::SentAt.gte(from))
            .filter(outbox::Column::SentAt.lt(to));
        if let Some(offices) = offices {
            q = q.filter(outbox::Column::OfficeCode.is_in(offices.iter().cloned()));
        }
        out.push((channel, q.count(db).await? as i64));
    }
    Ok(out)
}
