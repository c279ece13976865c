//! Registering cases and reading them, for staff pages and the JSON API alike.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    calendar::{self, local_date},
    db::{begin_write, next_in_sequence, Sequence},
    entities::{
        applicant, case, case_event, commune, district, enterprise, office, payment, province,
        service, village, workflow_step,
    },
    secrets,
    stats::rollup::{record_case_change, CaseFigures},
};
use crate::{
    domain::{
        workflow::{allowed_actions, ActorFacts, CaseFacts},
        CaseStatus, Holidays, Phone, ProvinceCode, RegistrationCode, Stage,
    },
    error::{AppError, FieldError},
    types::{CaseDetail, CaseEventView, CaseStepView, NewCaseRequest, RegisteredCase},
};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_QUANTITY: i32 = 10_000;

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
        .filter_map(|s| Stage::from_id(&s.stage).map(|st| (st, s.working_days)))
        .collect())
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    required: bool,
    max: usize,
) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty());
    match v {
        None if required => {
            errors.push(FieldError::new(field, "err_required"));
            None
        }
        Some(v) if v.chars().count() > max => {
            errors.push(FieldError::new(field, "err_too_long"));
            None
        }
        Some(v) if v.chars().any(|c| c.is_control()) => {
            errors.push(FieldError::new(field, "err_bad_characters"));
            None
        }
        other => other.map(str::to_string),
    }
}

/// Who opens a case: the front desk at the counter, or a citizen online for an office. An online
/// pre-registration waits at the registration stage, with no deadline running, until the front
/// desk sees the documents and completes it; it stays the same case.
pub enum Registrar<'a> {
    FrontDesk(&'a CurrentUser),
    Online { office_code: &'a str },
}

/// Registers a case at the caller's office: applicant, case, first event and audit entry in one
/// transaction. The code comes from an atomic per-province, per-year counter, so concurrent
/// registrations never share a code.
pub async fn register(
    db: &DatabaseConnection,
    registrar: Registrar<'_>,
    request: NewCaseRequest,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<RegisteredCase, AppError> {
    let mut errors = Vec::new();
    let (office_code, user) = match registrar {
        Registrar::FrontDesk(user) => {
            user.role.require(crate::domain::Area::Registration)?;
            (
                user.office_code.clone().ok_or(AppError::Forbidden)?,
                Some(user),
            )
        }
        Registrar::Online { office_code } => {
            let known = office::Entity::find_by_id(office_code.trim())
                .one(db)
                .await?
                .filter(|o| o.active);
            if known.is_none() {
                errors.push(FieldError::new("office_code", "err_no_such_office"));
            }
            (office_code.trim().to_string(), None)
        }
    };
    let online = user.is_none();
    let svc = service::Entity::find_by_id(request.service_id)
        .one(db)
        .await?
        .filter(|s| s.active);
    if svc.is_none() {
        errors.push(FieldError::new("service_id", "err_required"));
    }
    if !(1..=MAX_QUANTITY).contains(&request.quantity) {
        errors.push(FieldError::new("quantity", "err_out_of_range"));
    }
    let is_person = match request.applicant_kind.as_str() {
        "person" => true,
        "enterprise" => false,
        _ => {
            errors.push(FieldError::new("applicant_kind", "err_required"));
            true
        }
    };
    let name_km = text_field(
        &mut errors,
        "name_km",
        Some(&request.name_km),
        true,
        MAX_NAME_CHARS,
    );
    let name_latin = text_field(
        &mut errors,
        "name_latin",
        Some(&request.name_latin),
        true,
        MAX_NAME_CHARS,
    );
    let phone = match request
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) => match Phone::parse(p) {
            Ok(p) => Some(p.as_str().to_string()),
            Err(e) => {
                errors.push(FieldError::parse("phone", e));
                None
            }
        },
    };
    let sex = if is_person {
        match request.sex.as_deref() {
            Some("M") | Some("F") => request.sex.clone(),
            _ => {
                errors.push(FieldError::new("sex", "err_required"));
                None
            }
        }
    } else {
        None
    };
    let date_of_birth = match request
        .date_of_birth
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) if d <= local_date(now) && d.format("%Y").to_string().as_str() >= "1900" => {
                Some(d)
            }
            _ => {
                errors.push(FieldError::new("date_of_birth", "err_bad_date"));
                None
            }
        },
    };
    let id_card = text_field(
        &mut errors,
        "id_card_number",
        request.id_card_number.as_deref(),
        false,
        20,
    );
    let registration_number = text_field(
        &mut errors,
        "registration_number",
        request.registration_number.as_deref(),
        false,
        40,
    );
    let address_detail = text_field(
        &mut errors,
        "address_detail",
        request.address_detail.as_deref(),
        false,
        300,
    );
    let village_code = match request
        .village_code
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => match village::Entity::find_by_id(v.to_string()).one(db).await? {
            Some(v) => Some(v.code),
            None => {
                errors.push(FieldError::new("village_code", "err_not_found"));
                None
            }
        },
    };
    if online && phone.is_none() && errors.iter().all(|e| e.field != "phone") {
        // The office needs a way to reach a citizen it has never met.
        errors.push(FieldError::new("phone", "err_required"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(svc), Some(name_km), Some(name_latin)) = (svc, name_km, name_latin) else {
        return Err(AppError::Internal);
    };
    let steps = workflow_of(db, svc.id).await?;
    if steps.len() < 2 {
        return Err(AppError::IllegalTransition(
            "service has no workflow".into(),
        ));
    }
    let holidays = calendar::holidays(db).await?;
    let province = ProvinceCode::parse(&office_code[..2]).map_err(|_| AppError::Internal)?;
    let today = local_date(now);
    let year = today
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    let pin = secrets::new_pin()?;
    let fee_total = svc
        .fee_riel
        .checked_mul(request.quantity as i64)
        .ok_or(AppError::Internal)?;
    let (first, first_allowance) = if online {
        (steps[0].0, 0)
    } else {
        (steps[1].0, steps[1].1.max(0) as u32)
    };

    let txn = begin_write(db).await?;
    let sequence = next_in_sequence(&txn, Sequence::Case, province.as_str(), year).await?;
    let code = RegistrationCode::new(&province, year, sequence as u32).map_err(|_| {
        AppError::IllegalTransition("the province's yearly sequence is exhausted".into())
    })?;
    let (applicant_id, enterprise_id) = if is_person {
        let a = applicant::ActiveModel {
            name_km: Set(name_km.clone()),
            name_latin: Set(name_latin.clone()),
            sex: Set(sex.unwrap_or_default()),
            date_of_birth: Set(date_of_birth),
            place_of_birth: Set(None),
            phone: Set(phone.clone()),
            id_card_number: Set(id_card),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        (Some(a.id), None)
    } else {
        let e = enterprise::ActiveModel {
            name_km: Set(name_km.clone()),
            name_latin: Set(name_latin.clone()),
            registration_number: Set(registration_number),
            phone: Set(phone.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        (None, Some(e.id))
    };
    let created = case::ActiveModel {
        code: Set(code.as_str().to_string()),
        pin: Set(pin.clone()),
        province_code: Set(province.as_str().to_string()),
        registration_year: Set(year),
        sequence: Set(sequence),
        office_code: Set(office_code.clone()),
        service_id: Set(svc.id),
        sector_id: Set(svc.sector_id),
        applicant_id: Set(applicant_id),
        enterprise_id: Set(enterprise_id),
        quantity: Set(request.quantity),
        fee_per_unit: Set(svc.fee_riel),
        fee_total: Set(fee_total),
        village_code: Set(village_code),
        address_detail: Set(address_detail),
        stage: Set(first.id().to_string()),
        status: Set(CaseStatus::Active.id().to_string()),
        channel: Set(if online { "online" } else { "counter" }.into()),
        version: Set(1),
        registered_at: Set(now),
        accepted_at: Set((!online).then_some(now)),
        stage_entered_at: Set(now),
        step_due_on: Set(if online {
            None
        } else {
            step_due(&holidays, first, today, first_allowance)
        }),
        due_on: Set(holidays.add_working_days(today, svc.time_standard_days.max(0) as u32)),
        paused_since: Set(None),
        paused_working_days: Set(0),
        delivered_at: Set(None),
        receiver_name: Set(None),
        processing_days: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_case_change(&txn, None, CaseFigures::of(&created, None).as_ref()).await?;
    append_event(
        &txn,
        NewEvent {
            case_id: created.id,
            seq: 1,
            action: if online { "pre_register" } else { "register" },
            from: None,
            to: first,
            status: CaseStatus::Active,
            comment: None,
        },
        user,
        now,
    )
    .await?;
    let actor = match user {
        Some(user) => user.audit_actor(ip),
        None => AuditEvent {
            actor_name: Some("online".into()),
            ip,
            ..Default::default()
        },
    };
    audit::record(
        &txn,
        AuditEvent {
            action: if online { "case_pre_register" } else { "case_register" }.into(),
            entity: "case".into(),
            entity_id: Some(created.code.clone()),
            after: Some(serde_json::json!({
                "service": svc.code, "quantity": request.quantity, "fee_total": fee_total, "stage": first.id(),
            })),
            ..actor
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(RegisteredCase {
        code: created.code,
        pin,
        version: 1,
    })
}

/// A citizen's online pre-registration, within the public rate limit.
pub async fn pre_register(
    db: &DatabaseConnection,
    limit: &super::rate_limit::RateLimiter,
    office_code: &str,
    request: NewCaseRequest,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<RegisteredCase, AppError> {
    let client = ip.clone().unwrap_or_else(|| "unknown".into());
    limit.hit(db, "apply", &client, now).await?;
    register(db, Registrar::Online { office_code }, request, ip, now).await
}

/// One timeline entry about to be appended.
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub seq: i32,
    pub action: &'a str,
    pub from: Option<Stage>,
    pub to: Stage,
    pub status: CaseStatus,
    pub comment: Option<String>,
}

/// Appends to a case's timeline inside the caller's transaction; `(case_id, seq)` is unique, so
/// a second writer at the same position fails instead of leaving a gap or a duplicate.
pub async fn append_event(
    txn: &DatabaseTransaction,
    event: NewEvent<'_>,
    user: Option<&CurrentUser>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    case_event::ActiveModel {
        case_id: Set(event.case_id),
        seq: Set(event.seq),
        action: Set(event.action.to_string()),
        from_stage: Set(event.from.map(|s| s.id().to_string())),
        to_stage: Set(Some(event.to.id().to_string())),
        status_after: Set(event.status.id().to_string()),
        actor_user_id: Set(user.map(|u| u.id)),
        actor_name: Set(user.map(|u| u.full_name.clone())),
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
    Ok(case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_asc(case_event::Column::Seq)
        .all(db)
        .await?)
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
    let stage = Stage::from_id(&c.stage).ok_or(AppError::Internal)?;
    let status = CaseStatus::from_id(&c.status).ok_or(AppError::Internal)?;
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
    Ok(CaseDetail {
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
                from_stage: e.from_stage.as_deref().and_then(Stage::from_id),
                to_stage: e.to_stage.as_deref().and_then(Stage::from_id),
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
    let mut km = vec![format!("{}{}", v.type_km, v.name_km)];
    let mut latin = vec![format!("{} {}", v.type_latin, v.name_latin)];
    if let Some(c) = c {
        km.push(format!("{}{}", c.type_km, c.name_km));
        latin.push(format!("{} {}", c.type_latin, c.name_latin));
    }
    if let Some(d) = d {
        km.push(format!("{}{}", d.type_km, d.name_km));
        latin.push(format!("{} {}", d.type_latin, d.name_latin));
    }
    if let Some(p) = p {
        km.push(format!("{}{}", p.type_km, p.name_km));
        latin.push(format!("{} {}", p.type_latin, p.name_latin));
    }
    Ok((Some(km.join(" ")), Some(latin.join(", "))))
}
