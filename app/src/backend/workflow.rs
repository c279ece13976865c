//! Carries out case actions. The state machine in `domain::workflow` decides; this service
//! checks jurisdiction and version, then writes the case, its event, any payment and the audit
//! entry in one transaction.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TryIntoModel,
};

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    calendar::{self, local_date},
    cases::{append_event, find_in_scope, step_due, workflow_of, NewEvent},
    db::{begin_write, next_in_sequence, Sequence},
    entities::{case, case_event, payment},
    stats::rollup::{record_case_change, CaseFigures},
};
use crate::{
    domain::{
        workflow::{decide, Action, ActorFacts, CaseFacts, Clock},
        CaseStatus, Stage,
    },
    error::{AppError, FieldError},
    types::ActionRequest,
};

pub const MAX_COMMENT_CHARS: usize = 2_000;

/// The case's state after an action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionOutcome {
    pub code: String,
    pub version: i32,
    pub stage: Stage,
    pub status: CaseStatus,
    pub receipt_number: Option<String>,
}

pub async fn act(
    db: &DatabaseConnection,
    user: &CurrentUser,
    code: &str,
    request: ActionRequest,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, AppError> {
    let action = Action::from_id(&request.action)
        .ok_or_else(|| AppError::field("action", "err_out_of_range"))?;
    let comment = request
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    let mut errors = Vec::new();
    if action.needs_reason() && comment.is_none() {
        errors.push(FieldError::new("comment", "err_reason_required"));
    }
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
    {
        errors.push(FieldError::new("comment", "err_too_long"));
    }
    let receiver = request
        .receiver
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if action == Action::Deliver {
        match &receiver {
            None => errors.push(FieldError::new("receiver", "err_required")),
            Some(r) if r.chars().count() > 200 => {
                errors.push(FieldError::new("receiver", "err_too_long"))
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    // Everything is read before the write lock is taken, so writers hold it only for their
    // writes. The versioned UPDATE below proves nothing changed since: every change to a case,
    // its payment or its events raises the case's version.
    let c = find_in_scope(db, user, code).await?;
    // Only staff of the case's own office act on it; viewers see it, nothing more.
    if !user.jurisdiction.acts_in_office(&c.office_code) {
        return Err(AppError::IllegalTransition("wf_wrong_role".into()));
    }
    if c.version != request.version {
        return Err(AppError::Conflict);
    }
    let steps = workflow_of(db, c.service_id).await?;
    let stage_list: Vec<Stage> = steps.iter().map(|s| s.0).collect();
    let stage = c.stage;
    let status = c.status;
    let live_payment = super::cases::live_payment(db, c.id).await?;
    let facts = CaseFacts {
        stage,
        status,
        steps: &stage_list,
        sector_id: c.sector_id,
        paid: live_payment.is_some(),
    };
    let actor = ActorFacts {
        role: user.role,
        sectors: &user.sectors,
    };
    let t = decide(&facts, &actor, action)
        .map_err(|e| AppError::IllegalTransition(e.text_key().into()))?;

    if action == Action::Pay && request.amount != Some(c.fee_total) {
        return Err(AppError::field("amount", "err_amount_must_equal_fee"));
    }

    let holidays = calendar::holidays(db).await?;
    let today = local_date(now);
    let mut m: case::ActiveModel = c.clone().into();
    m.stage = Set(t.to_stage);
    m.status = Set(t.to_status);
    m.version = Set(c.version + 1);
    m.updated_at = Set(now);
    match t.clock {
        Clock::Pause => {
            m.paused_since = Set(Some(now));
        }
        Clock::Resume => {
            let paused_from = c.paused_since.map(local_date).unwrap_or(today);
            let paused = holidays.working_days_between(paused_from, today).max(0) as i32;
            m.paused_since = Set(None);
            m.paused_working_days = Set(c.paused_working_days + paused);
            m.due_on = Set(holidays.add_working_days(c.due_on, paused as u32));
            m.step_due_on = Set(c
                .step_due_on
                .map(|d| holidays.add_working_days(d, paused as u32)));
        }
        Clock::Run => {
            if t.to_stage != stage {
                let allowance = steps
                    .iter()
                    .find(|s| s.0 == t.to_stage)
                    .map(|s| s.1.max(0) as u32)
                    .unwrap_or(0);
                m.stage_entered_at = Set(now);
                m.step_due_on = Set(if t.to_status == CaseStatus::Active {
                    step_due(&holidays, t.to_stage, today, allowance)
                } else {
                    None
                });
            } else if t.to_status != CaseStatus::Active {
                m.step_due_on = Set(None);
            }
        }
    }
    if action == Action::CompleteRegistration {
        // An online pre-registration's clock starts when the front desk accepts the documents.
        let time_standard: i32 = steps.iter().map(|s| s.1.max(0)).sum();
        m.accepted_at = Set(Some(now));
        m.due_on = Set(holidays.add_working_days(today, time_standard as u32));
    }
    if t.to_status == CaseStatus::Delivered {
        let accepted = local_date(c.accepted_at.unwrap_or(c.registered_at));
        let taken =
            holidays.working_days_between(accepted, today) - i64::from(c.paused_working_days);
        m.delivered_at = Set(Some(now));
        m.receiver_name = Set(receiver.clone());
        m.processing_days = Set(Some(taken.clamp(0, i64::from(i32::MAX)) as i32));
    }
    let last_seq = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .order_by_desc(case_event::Column::Seq)
        .limit(1)
        .one(db)
        .await?
        .map(|e| e.seq)
        .unwrap_or(0);
    let after = m.clone().try_into_model()?;
    let txn = begin_write(db).await?;
    // The version in the WHERE clause makes a concurrent writer's update miss, on any engine.
    let updated = case::Entity::update_many()
        .set(m)
        .filter(case::Column::Id.eq(c.id))
        .filter(case::Column::Version.eq(c.version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict);
    }

    let before_figures = CaseFigures::of(&c, live_payment.as_ref());
    let mut after_payment = live_payment.clone();
    let mut receipt_number = live_payment.as_ref().map(|p| p.receipt_number.clone());
    match action {
        Action::Pay => {
            let year = today
                .format("%Y")
                .to_string()
                .parse::<i32>()
                .unwrap_or(2026);
            let seq = next_in_sequence(&txn, Sequence::Receipt, &c.office_code, year).await?;
            let number = format!("{}-{:02}-{:06}", c.office_code, year % 100, seq);
            let paid = payment::ActiveModel {
                case_id: Set(c.id),
                office_code: Set(c.office_code.clone()),
                year: Set(year),
                receipt_seq: Set(seq),
                receipt_number: Set(number.clone()),
                amount: Set(c.fee_total),
                cashier_user_id: Set(Some(user.id)),
                paid_at: Set(now),
                cancelled_at: Set(None),
                cancelled_by: Set(None),
                cancel_reason: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            after_payment = Some(paid);
            receipt_number = Some(number);
        }
        Action::CancelPayment => {
            if let Some(p) = live_payment {
                let mut pm: payment::ActiveModel = p.into();
                pm.cancelled_at = Set(Some(now));
                pm.cancelled_by = Set(Some(user.id));
                pm.cancel_reason = Set(comment.clone());
                pm.update(&txn).await?;
            }
            after_payment = None;
            receipt_number = None;
        }
        _ => {}
    }

    record_case_change(
        &txn,
        before_figures.as_ref(),
        CaseFigures::of(&after, after_payment.as_ref()).as_ref(),
    )
    .await?;

    let event_comment = match action {
        Action::Deliver => receiver.clone(),
        Action::Pay => receipt_number.clone(),
        _ => comment.clone(),
    };
    append_event(
        &txn,
        NewEvent {
            case_id: c.id,
            seq: last_seq + 1,
            action: action.into(),
            from: Some(stage),
            to: t.to_stage,
            status: t.to_status,
            comment: event_comment,
        },
        Some(user),
        now,
    )
    .await?;
    audit::record(
        &txn,
        AuditEvent {
            action: format!("case_{}", action.id()),
            entity: "case".into(),
            entity_id: Some(c.code.clone()),
            before: Some(serde_json::json!({ "stage": stage.id(), "status": status.id(), "version": c.version })),
            after: Some(serde_json::json!({
                "stage": t.to_stage.id(), "status": t.to_status.id(), "version": c.version + 1,
                "comment": comment, "receipt": receipt_number,
            })),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ActionOutcome {
        code: c.code,
        version: c.version + 1,
        stage: t.to_stage,
        status: t.to_status,
        receipt_number,
    })
}
