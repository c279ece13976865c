//! Registering cases and reading them, for staff pages and the JSON API alike.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    auth::CurrentUser,
    calendar::{self, local_date},
    entities::{
        applicant, case, case_event, commune, district, enterprise, office, payment, province,
        service, village, workflow_step,
    },
};
use crate::{
    domain::{
        workflow::{allowed_actions, ActorFacts, CaseEventKind, CaseFacts},
        CaseStatus, Holidays, RegistrationCode, Stage,
    },
    error::AppError,
    types::{CaseDetail, CaseEventView, CaseStepView},
};

mod registration;

pub use registration::{pre_register, register, Registrar};

/// A workflow template as stored: stages in order with their allowances.
pub async fn workflow_of(
    db: &impl ConnectionTrait,
    service_id: i32,
) -> Result<Vec<(Stage, i32)>, AppError> {
    Ok(workflow_step::Entity::find()
        .filter(workflow_step::Column::ServiceId.eq(service_id))
        .order_by_asc(workflow_step::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.stage, s.working_days))
        .collect())
}

/// One timeline entry about to be appended.
pub struct NewEvent {
    pub case_id: i64,
    pub seq: i32,
    pub action: CaseEventKind,
    pub from: Option<Stage>,
    pub to: Stage,
    pub status: CaseStatus,
    pub comment: Option<String>,
}

/// Appends to a case's timeline inside the caller's transaction; `(case_id, seq)` is unique, so
/// a second writer at the same position fails instead of leaving a gap or a duplicate.
/// Who a timeline line names: a staff member, the system (a bank confirmation) or nobody (the
/// citizen applying online).
#[derive(Debug, Clone, Default)]
pub struct EventActor {
    pub user_id: Option<i32>,
    pub name: Option<String>,
}

impl From<Option<&CurrentUser>> for EventActor {
    fn from(user: Option<&CurrentUser>) -> Self {
        Self {
            user_id: user.map(|u| u.id),
            name: user.map(|u| u.full_name.clone()),
        }
    }
}

pub async fn append_event(
    txn: &DatabaseTransaction,
    event: NewEvent,
    actor: EventActor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    case_event::ActiveModel {
        case_id: Set(event.case_id),
        seq: Set(event.seq),
        action: Set(event.action),
        from_stage: Set(event.from),
        to_stage: Set(Some(event.to)),
        status_after: Set(event.status),
        actor_user_id: Set(actor.user_id),
        actor_name: Set(actor.name),
        comment: Set(event.comment),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The due date of a step entered on `entered`; stages that wait on the citizen have none.
pub fn step_due(
    holidays: &Holidays,
    stage: Stage,
    entered: NaiveDate,
    allowance: u32,
) -> Option<NaiveDate> {
    match stage {
        Stage::Returned | Stage::Delivered => None,
        _ => Some(holidays.add_working_days(entered, allowance)),
    }
}

/// A case by code, if the caller's jurisdiction covers it; otherwise "not found".
pub async fn find_in_scope(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    code: &str,
) -> Result<case::Model, AppError> {
    let code = RegistrationCode::parse(code).map_err(|_| AppError::NotFound)?;
    let found = case::Entity::find()
        .filter(case::Column::Code.eq(code.as_str()))
        .one(db)
        .await?;
    match found {
        Some(c) if user.covers_office(&c.office_code) => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// What the staff case page and the citizen's status page both show about a case.
pub struct CaseRecords {
    pub svc: service::Model,
    pub off: office::Model,
    pub steps: Vec<(Stage, i32)>,
    pub events: Vec<case_event::Model>,
    /// The payment in force, if any.
    pub payment: Option<payment::Model>,
}

pub async fn records_of(
    db: &impl ConnectionTrait,
    c: &case::Model,
) -> Result<CaseRecords, AppError> {
    Ok(CaseRecords {
        svc: service::Entity::find_by_id(c.service_id)
            .one(db)
            .await?
            .ok_or(AppError::Internal)?,
        off: office::Entity::find_by_id(c.office_code.clone())
            .one(db)
            .await?
            .ok_or(AppError::Internal)?,
        steps: workflow_of(db, c.service_id).await?,
        events: timeline_of(db, c.id).await?,
        payment: live_payment(db, c.id).await?,
    })
}

/// A case's timeline, oldest first.
pub async fn timeline_of(
    db: &impl ConnectionTrait,
    case_id: i64,
) -> Result<Vec<case_event::Model>, AppError> {
    Ok(timeline_query(case_id).all(db).await?)
}

/// A case's events in the order they happened.
pub fn timeline_query(case_id: i64) -> sea_orm::Select<case_event::Entity> {
    case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_asc(case_event::Column::Seq)
}

/// The payment in force for a case, if any (a cancelled one no longer counts).
pub async fn live_payment(
    db: &impl ConnectionTrait,
    case_id: i64,
) -> Result<Option<payment::Model>, AppError> {
    Ok(payment::Entity::find()
        .filter(payment::Column::CaseId.eq(case_id))
        .filter(payment::is_live())
        .one(db)
        .await?)
}

/// Everything about one case, with the actions the caller may take now.
pub async fn detail(
    db: &DatabaseConnection,
    user: &CurrentUser,
    code: &str,
) -> Result<CaseDetail, AppError> {
    let c = find_in_scope(db, user, code).await?;
    let CaseRecords {
        svc,
        off,
        steps,
        events,
        payment,
    } = records_of(db, &c).await?;
    let (kind, name_km, name_latin, phone, id_number) = if let Some(id) = c.applicant_id {
        let a = applicant::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::Internal)?;
        ("person", a.name_km, a.name_latin, a.phone, a.id_card_number)
    } else if let Some(id) = c.enterprise_id {
        let e = enterprise::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::Internal)?;
        (
            "enterprise",
            e.name_km,
            e.name_latin,
            e.phone,
            e.registration_number,
        )
    } else {
        ("person", String::new(), String::new(), None, None)
    };
    let (address_km, address_latin) = match &c.village_code {
        Some(v) => address_of(db, v).await?,
        None => (None, None),
    };
    let stage = c.stage;
    let status = c.status;
    let stage_list: Vec<Stage> = steps.iter().map(|s| s.0).collect();
    let facts = CaseFacts {
        stage,
        status,
        steps: &stage_list,
        sector_id: c.sector_id,
        paid: payment.is_some(),
    };
    let actor = ActorFacts {
        role: user.role,
        sectors: &user.sectors,
    };
    let holidays = calendar::holidays(db).await?;
    let notices = super::notices::notices_of_case(db, c.id, &c.code).await?;
    Ok(CaseDetail {
        notices,
        days_late: days_late(&holidays, c.step_due_on, status, Utc::now()),
        allowed_actions: if user.jurisdiction.acts_in_office(&c.office_code) {
            allowed_actions(&facts, &actor)
        } else {
            Vec::new()
        },
        code: c.code,
        pin: c.pin,
        version: c.version,
        stage,
        status,
        channel: c.channel,
        service_code: svc.code,
        service_name_km: svc.name_km,
        service_name_en: svc.name_en,
        sector_id: c.sector_id,
        office_code: off.code,
        office_name_km: off.name_km,
        office_name_en: off.name_en,
        applicant_kind: kind.into(),
        applicant_name_km: name_km,
        applicant_name_latin: name_latin,
        applicant_phone: phone,
        applicant_id_number: id_number,
        quantity: c.quantity,
        fee_per_unit: c.fee_per_unit,
        fee_total: c.fee_total,
        paid: payment.is_some(),
        receipt_number: payment.map(|p| p.receipt_number),
        village_code: c.village_code,
        address_km,
        address_latin,
        registered_at: c.registered_at,
        stage_entered_at: c.stage_entered_at,
        step_due_on: c.step_due_on,
        due_on: c.due_on,
        delivered_at: c.delivered_at,
        receiver_name: c.receiver_name,
        steps: steps
            .into_iter()
            .map(|(stage, working_days)| CaseStepView {
                stage,
                working_days,
            })
            .collect(),
        events: events
            .into_iter()
            .map(|e| CaseEventView {
                seq: e.seq,
                action: e.action,
                from_stage: e.from_stage,
                to_stage: e.to_stage,
                status_after: e.status_after,
                actor_name: e.actor_name,
                comment: e.comment,
                at: e.at,
            })
            .collect(),
    })
}

/// Working days a step is overdue (0 when on time, paused with the citizen, or closed).
pub fn days_late(
    holidays: &Holidays,
    step_due_on: Option<NaiveDate>,
    status: CaseStatus,
    now: DateTime<Utc>,
) -> i64 {
    match (step_due_on, status) {
        (Some(due), CaseStatus::Active) => {
            holidays.working_days_between(due, local_date(now)).max(0)
        }
        _ => 0,
    }
}

/// "Village, commune, district, province" in Khmer and in Latin script.
pub async fn address_of(
    db: &impl ConnectionTrait,
    village_code: &str,
) -> Result<(Option<String>, Option<String>), AppError> {
    let Some(v) = village::Entity::find_by_id(village_code.to_string())
        .one(db)
        .await?
    else {
        return Ok((None, None));
    };
    let c = commune::Entity::find_by_id(v.commune_code.clone())
        .one(db)
        .await?;
    let d = match &c {
        Some(c) => {
            district::Entity::find_by_id(c.district_code.clone())
                .one(db)
                .await?
        }
        None => None,
    };
    let p = match &d {
        Some(d) => {
            province::Entity::find_by_id(d.province_code.clone())
                .one(db)
                .await?
        }
        None => None,
    };
    let mut km = vec![super::geo::typed(&v.type_km, &v.name_km, "")];
    let mut latin = vec![super::geo::typed(&v.type_latin, &v.name_latin, " ")];
    if let Some(c) = c {
        km.push(super::geo::typed(&c.type_km, &c.name_km, ""));
        latin.push(super::geo::typed(&c.type_latin, &c.name_latin, " "));
    }
    if let Some(d) = d {
        km.push(super::geo::typed(&d.type_km, &d.name_km, ""));
        latin.push(super::geo::typed(&d.type_latin, &d.name_latin, " "));
    }
    if let Some(p) = p {
        km.push(super::geo::typed(&p.type_km, &p.name_km, ""));
        latin.push(super::geo::typed(&p.type_latin, &p.name_latin, " "));
    }
    Ok((Some(km.join(" ")), Some(latin.join(", "))))
}
