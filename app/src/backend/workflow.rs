//! Carries out case actions. The state machine in `domain::workflow` decides; this service
//! checks jurisdiction and version, then writes the case, its event, any payment and the audit
//! entry in one transaction.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TryIntoModel,
};

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    calendar::{self, local_date},
    cases::{append_event, find_in_scope, step_due, workflow_of, EventActor, NewEvent},
    db::{begin_write, next_in_sequence, Sequence},
    entities::{case, case_event, payment},
    notices,
    payments::{self, BankConfirmation},
    stats::rollup::{record_case_change, CaseFigures},
};
use crate::{
    domain::{
        khqr::PaymentChannel,
        workflow::{decide, Action, ActorFacts, CaseFacts, Clock, Transition},
        CaseStatus, Holidays, RegistrationCode, Role, Stage,
    },
    error::{AppError, FieldError},
    types::ActionRequest,
};

pub const MAX_COMMENT_CHARS: usize = 2_000;
const MAX_RECEIVER_CHARS: usize = 200;
const MAX_REFERENCE_CHARS: usize = 64;

/// Who carries out an action.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Staff(&'a CurrentUser),
    /// The Bakong confirmation task. It may only take the fee, as a cashier would, and marks the
    /// payment request paid in the same transaction.
    Bank(&'a BankConfirmation),
}

impl<'a> Actor<'a> {
    fn user(self) -> Option<&'a CurrentUser> {
        match self {
            Actor::Staff(user) => Some(user),
            Actor::Bank(_) => None,
        }
    }

    fn facts(self) -> ActorFacts<'a> {
        match self {
            Actor::Staff(user) => ActorFacts {
                role: user.role,
                sectors: &user.sectors,
            },
            Actor::Bank(_) => ActorFacts {
                role: Role::Cashier,
                sectors: &[],
            },
        }
    }

    fn audit(self, ip: Option<String>) -> AuditEvent {
        match self {
            Actor::Staff(user) => user.audit_actor(ip),
            Actor::Bank(_) => AuditEvent {
                actor_name: Some(BANK_ACTOR.into()),
                ..Default::default()
            },
        }
    }

    fn event(self) -> EventActor {
        match self {
            Actor::Staff(user) => Some(user).into(),
            Actor::Bank(_) => EventActor {
                user_id: None,
                name: Some(BANK_ACTOR.into()),
            },
        }
    }
}

/// The name the timeline and the audit log give a payment the bank confirmed; a proper noun,
/// the same in both languages.
pub const BANK_ACTOR: &str = "Bakong KHQR";

/// The case's state after an action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionOutcome {
    pub code: String,
    pub version: i32,
    pub stage: Stage,
    pub status: CaseStatus,
    pub receipt_number: Option<String>,
}

/// What the user asked for, checked before anything is read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ValidAction {
    action: Action,
    version: i32,
    amount: Option<i64>,
    comment: Option<String>,
    receiver: Option<String>,
    /// The bank's transaction hash of a KHQR payment.
    reference: Option<String>,
}

impl ValidAction {
    fn parse(request: ActionRequest) -> Result<Self, AppError> {
        let action = Action::from_id(&request.action)
            .ok_or_else(|| AppError::field("action", "err_out_of_range"))?;
        let comment = non_blank(request.comment.as_deref());
        let receiver = non_blank(request.receiver.as_deref());
        let reference = non_blank(request.reference.as_deref());
        let mut errors = Vec::new();
        if let Some(reference) = &reference {
            if action != Action::Pay {
                errors.push(FieldError::new("reference", "err_out_of_range"));
            } else if reference.len() > MAX_REFERENCE_CHARS
                || !reference
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                errors.push(FieldError::new("reference", "err_khqr_reference"));
            }
        }
        if action.needs_reason() && comment.is_none() {
            errors.push(FieldError::new("comment", "err_reason_required"));
        }
        if comment
            .as_ref()
            .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
        {
            errors.push(FieldError::new("comment", "err_too_long"));
        }
        if action == Action::Deliver {
            match &receiver {
                None => errors.push(FieldError::new("receiver", "err_required")),
                Some(r) if r.chars().count() > MAX_RECEIVER_CHARS => {
                    errors.push(FieldError::new("receiver", "err_too_long"))
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(Self {
            action,
            version: request.version,
            amount: request.amount,
            comment,
            receiver,
            reference,
        })
    }

    fn channel(&self) -> PaymentChannel {
        if self.reference.is_some() {
            PaymentChannel::Khqr
        } else {
            PaymentChannel::Cash
        }
    }

    /// The line the timeline shows beside the action.
    fn event_comment(&self, receipt_number: Option<&String>) -> Option<String> {
        match self.action {
            Action::Deliver => self.receiver.clone(),
            Action::Pay => receipt_number.cloned(),
            _ => self.comment.clone(),
        }
    }
}

fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Everything the write needs, read before the write lock is taken so writers hold it only for
/// their writes. The versioned UPDATE proves nothing changed since: every change to a case, its
/// payment or its events raises the case's version.
struct Granted {
    case: case::Model,
    steps: Vec<(Stage, i32)>,
    live_payment: Option<payment::Model>,
    transition: Transition,
}

async fn grant(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    code: &str,
    asked: &ValidAction,
) -> Result<Granted, AppError> {
    let c = match actor {
        Actor::Staff(user) => {
            let c = find_in_scope(db, user, code).await?;
            // Only staff of the case's own office act on it; viewers see it, nothing more.
            if !user.jurisdiction.acts_in_office(&c.office_code) {
                return Err(AppError::IllegalTransition("wf_wrong_role".into()));
            }
            c
        }
        Actor::Bank(_) => {
            if asked.action != Action::Pay {
                return Err(AppError::IllegalTransition("wf_wrong_role".into()));
            }
            let code = RegistrationCode::parse(code).map_err(|_| AppError::NotFound)?;
            case::Entity::find()
                .filter(case::Column::Code.eq(code.as_str()))
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    if c.version != asked.version {
        return Err(AppError::Conflict);
    }
    let steps = workflow_of(db, c.service_id).await?;
    let stage_list: Vec<Stage> = steps.iter().map(|s| s.0).collect();
    let live_payment = super::cases::live_payment(db, c.id).await?;
    let facts = CaseFacts {
        stage: c.stage,
        status: c.status,
        steps: &stage_list,
        sector_id: c.sector_id,
        paid: live_payment.is_some(),
    };
    let transition = decide(&facts, &actor.facts(), asked.action)
        .map_err(|e| AppError::IllegalTransition(e.text_key().into()))?;
    if asked.action == Action::Pay && asked.amount != Some(c.fee_total) {
        return Err(AppError::field("amount", "err_amount_must_equal_fee"));
    }
    Ok(Granted {
        case: c,
        steps,
        live_payment,
        transition,
    })
}

/// The case row after the transition: stage, status, version and the clocks (the whole-case
/// deadline, the step's deadline and the paused days) moved on in working days.
fn advanced(
    granted: &Granted,
    asked: &ValidAction,
    holidays: &Holidays,
    now: DateTime<Utc>,
) -> case::ActiveModel {
    let Granted {
        case: c,
        steps,
        transition: t,
        ..
    } = granted;
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
            if t.to_stage != c.stage {
                let allowance = steps
                    .iter()
                    .find(|s| s.0 == t.to_stage)
                    .map(|s| s.1.max(0) as u32)
                    .unwrap_or(0);
                m.stage_entered_at = Set(now);
                m.step_due_on = Set(if t.to_status == CaseStatus::Active {
                    step_due(holidays, t.to_stage, today, allowance)
                } else {
                    None
                });
            } else if t.to_status != CaseStatus::Active {
                m.step_due_on = Set(None);
            }
        }
    }
    if asked.action == Action::CompleteRegistration {
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
        m.receiver_name = Set(asked.receiver.clone());
        m.processing_days = Set(Some(taken.clamp(0, i64::from(i32::MAX)) as i32));
    }
    m
}

/// Takes or cancels the fee when the action is about money, inside the action's transaction.
/// Answers the payment in force afterwards.
async fn settle_payment(
    txn: &DatabaseTransaction,
    granted: &Granted,
    asked: &ValidAction,
    actor: Actor<'_>,
    now: DateTime<Utc>,
) -> Result<Option<payment::Model>, AppError> {
    let c = &granted.case;
    match asked.action {
        Action::Pay => {
            let year = local_date(now).year();
            let seq = next_in_sequence(txn, Sequence::Receipt, &c.office_code, year).await?;
            let paid = payment::ActiveModel {
                case_id: Set(c.id),
                office_code: Set(c.office_code.clone()),
                year: Set(year),
                receipt_seq: Set(seq),
                receipt_number: Set(format!("{}-{:02}-{:06}", c.office_code, year % 100, seq)),
                amount: Set(c.fee_total),
                cashier_user_id: Set(actor.user().map(|u| u.id)),
                paid_at: Set(now),
                cancelled_at: Set(None),
                cancelled_by: Set(None),
                cancel_reason: Set(None),
                channel: Set(asked.channel()),
                reference: Set(asked.reference.clone()),
                ..Default::default()
            }
            .insert(txn)
            .await
            .map_err(|e| match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(message))
                    if message.contains("reference") =>
                {
                    AppError::field("reference", "err_khqr_reference_used")
                }
                _ => e.into(),
            })?;
            Ok(Some(paid))
        }
        Action::CancelPayment => {
            if let Some(p) = granted.live_payment.clone() {
                let mut pm: payment::ActiveModel = p.into();
                pm.cancelled_at = Set(Some(now));
                pm.cancelled_by = Set(actor.user().map(|u| u.id));
                pm.cancel_reason = Set(asked.comment.clone());
                pm.update(txn).await?;
            }
            Ok(None)
        }
        _ => Ok(granted.live_payment.clone()),
    }
}

pub async fn act(
    db: &DatabaseConnection,
    user: &CurrentUser,
    code: &str,
    request: ActionRequest,
    public_url: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, AppError> {
    carry_out(db, Actor::Staff(user), code, request, public_url, ip, now).await
}

/// Records a payment the bank confirmed: the `pay` action through the same state machine, audit
/// chain and rollups as a cashier's, with the bank's transaction hash as its reference.
pub async fn pay_by_bank(
    db: &DatabaseConnection,
    confirmation: &BankConfirmation,
    code: &str,
    version: i32,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, AppError> {
    let request = ActionRequest {
        action: Action::Pay.id().into(),
        version,
        comment: None,
        amount: Some(confirmation.amount),
        receiver: None,
        reference: Some(confirmation.hash.clone()),
    };
    // A payment sends the citizen no notice (the status page shows it), so no link is needed.
    carry_out(db, Actor::Bank(confirmation), code, request, "", None, now).await
}

async fn carry_out(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    code: &str,
    request: ActionRequest,
    public_url: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, AppError> {
    let asked = ValidAction::parse(request)?;
    let granted = grant(db, actor, code, &asked).await?;
    let holidays = calendar::holidays(db).await?;
    let m = advanced(&granted, &asked, &holidays, now);
    let last_seq = last_event_seq(db, granted.case.id).await?;
    let after = m.clone().try_into_model()?;
    let (c, t) = (&granted.case, &granted.transition);
    let notice = notices::event_of(asked.action, c.stage, t.to_stage, t.to_status);
    let telling = notices::CaseNotices::read(db, c, notice, public_url).await?;

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
    let after_payment = settle_payment(&txn, &granted, &asked, actor, now).await?;
    match (actor, &asked.reference) {
        (Actor::Bank(confirmation), _) => payments::mark_paid(&txn, confirmation, now).await?,
        (Actor::Staff(_), Some(reference)) if asked.action == Action::Pay => {
            payments::settle_by_hand(&txn, c.id, reference, c.fee_total, now).await?
        }
        _ => {}
    }
    let receipt_number = after_payment.as_ref().map(|p| p.receipt_number.clone());
    record_case_change(
        &txn,
        CaseFigures::of(c, granted.live_payment.as_ref()).as_ref(),
        CaseFigures::of(&after, after_payment.as_ref()).as_ref(),
    )
    .await?;
    append_event(
        &txn,
        NewEvent {
            case_id: c.id,
            seq: last_seq + 1,
            action: asked.action.into(),
            from: Some(c.stage),
            to: t.to_stage,
            status: t.to_status,
            comment: asked.event_comment(receipt_number.as_ref()),
        },
        actor.event(),
        now,
    )
    .await?;
    audit::record(
        &txn,
        AuditEvent {
            action: format!("case_{}", asked.action.id()),
            entity: "case".into(),
            entity_id: Some(c.code.clone()),
            before: Some(serde_json::json!({ "stage": c.stage.id(), "status": c.status.id(), "version": c.version })),
            after: Some(serde_json::json!({
                "stage": t.to_stage.id(), "status": t.to_status.id(), "version": c.version + 1,
                "comment": asked.comment, "receipt": receipt_number,
                "channel": (asked.action == Action::Pay).then(|| asked.channel().id()),
                "reference": asked.reference,
            })),
            ..actor.audit(ip)
        },
        now,
    )
    .await?;
    if let (Some(event), Some(telling)) = (notice, &telling) {
        let comment = asked.comment.as_deref().or(asked.receiver.as_deref());
        notices::write(
            &*txn,
            telling.messages(&after, event, last_seq + 1, comment),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    if telling.is_some() {
        notices::wake();
    }
    Ok(ActionOutcome {
        code: c.code.clone(),
        version: c.version + 1,
        stage: t.to_stage,
        status: t.to_status,
        receipt_number,
    })
}

async fn last_event_seq(db: &DatabaseConnection, case_id: i64) -> Result<i32, AppError> {
    Ok(case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_desc(case_event::Column::Seq)
        .limit(1)
        .one(db)
        .await?
        .map(|e| e.seq)
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(action: &str, comment: Option<&str>, receiver: Option<&str>) -> ActionRequest {
        ActionRequest {
            action: action.into(),
            version: 3,
            amount: None,
            comment: comment.map(str::to_string),
            receiver: receiver.map(str::to_string),
            reference: None,
        }
    }

    fn fields(err: AppError) -> Vec<(String, String)> {
        match err {
            AppError::Validation(errors) => errors
                .into_iter()
                .map(|e| (e.field.to_string(), e.key.to_string()))
                .collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn an_unknown_action_is_refused_by_field() {
        let err = ValidAction::parse(request("fly", None, None)).unwrap_err();
        assert_eq!(fields(err), [("action".into(), "err_out_of_range".into())]);
    }

    #[test]
    fn blank_text_counts_as_absent_and_a_rejection_needs_a_reason() {
        let err = ValidAction::parse(request(Action::Reject.id(), Some("   "), None)).unwrap_err();
        assert_eq!(
            fields(err),
            [("comment".into(), "err_reason_required".into())]
        );
        let ok = ValidAction::parse(request(Action::Reject.id(), Some("  no title deed "), None))
            .unwrap();
        assert_eq!(ok.comment.as_deref(), Some("no title deed"));
        assert_eq!(ok.version, 3);
    }

    #[test]
    fn delivery_names_its_receiver_and_every_bad_field_is_reported_at_once() {
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        let err = ValidAction::parse(request(Action::Deliver.id(), Some(&long), None)).unwrap_err();
        assert_eq!(
            fields(err),
            [
                ("comment".into(), "err_too_long".into()),
                ("receiver".into(), "err_required".into()),
            ]
        );
        let too_long = "y".repeat(MAX_RECEIVER_CHARS + 1);
        let err =
            ValidAction::parse(request(Action::Deliver.id(), None, Some(&too_long))).unwrap_err();
        assert_eq!(fields(err), [("receiver".into(), "err_too_long".into())]);
    }

    #[test]
    fn the_timeline_line_is_the_receiver_the_receipt_or_the_comment() {
        let deliver = ValidAction::parse(request(
            Action::Deliver.id(),
            Some("note"),
            Some("Sok Dara"),
        ))
        .unwrap();
        let receipt = "010101-26-000007".to_string();
        assert_eq!(
            deliver.event_comment(Some(&receipt)).as_deref(),
            Some("Sok Dara")
        );
        let pay = ValidAction::parse(request(Action::Pay.id(), Some("note"), None)).unwrap();
        assert_eq!(pay.event_comment(Some(&receipt)), Some(receipt.clone()));
        let forward = ValidAction::parse(request(Action::Forward.id(), Some("ok"), None)).unwrap();
        assert_eq!(forward.event_comment(Some(&receipt)).as_deref(), Some("ok"));
    }
}
