//! Quality audits: a province or national viewer draws a reproducible random sample of the cases
//! delivered in a quarter, deals them to monitoring officers, and each officer records a six-item
//! checklist per case (usually after phoning the citizen). Audits are visible to the viewers whose
//! jurisdiction covers their scope; anyone else is told they do not exist.

mod report;
pub mod sample;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use report::findings_by_office;

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    calendar::local_date,
    db::begin_write,
    entities::{
        applicant, case, enterprise, office, payment, province, quality_audit, quality_audit_case,
        service, user,
    },
};
use crate::{
    domain::{CaseStatus, Jurisdiction, ProvinceCode, RegistrationCode, Role},
    error::{AppError, FieldError},
    format::from_khmer_digits,
    types::quality_audits::{
        AuditListItem, AuditView, ChecklistView, DrawDefaults, ItemTally, OfficeTally, Officer,
        ProvinceChoice, SampledCase, CAP_MAX, CHECKLIST_ITEMS, MAX_FINDINGS_CHARS, PER_OFFICE_MAX,
    },
};

/// The earliest year a sample may be drawn for.
pub const FIRST_YEAR: i32 = 2000;
/// Rows per multi-row INSERT of sampled cases, well under both engines' bind limits.
const INSERT_CHUNK: usize = 500;

/// Only monitoring roles draw, read and record audits.
fn require_viewer(user: &CurrentUser) -> Result<(), AppError> {
    match user.role {
        Role::ProvinceViewer | Role::NationalViewer => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Whether the user's jurisdiction covers an audit of `province` (`None`: the whole country).
fn covers_scope(user: &CurrentUser, province: Option<&str>) -> bool {
    match user.jurisdiction() {
        Jurisdiction::National => true,
        Jurisdiction::Province(p) => province == Some(p.as_str()),
        Jurisdiction::Office(_) => false,
    }
}

/// The audit, if the user may see it; otherwise "not found".
async fn audit_in_scope(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<quality_audit::Model, AppError> {
    require_viewer(user)?;
    quality_audit::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| covers_scope(user, a.province_code.as_deref()))
        .ok_or(AppError::NotFound)
}

/// The first instant of a quarter in Phnom Penh, in UTC.
fn quarter_start(year: i32, quarter: u32) -> DateTime<Utc> {
    let (year, month) = if quarter > 4 {
        (year + 1, 1)
    } else {
        (year, 3 * quarter - 2)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(crate::domain::calendar::from_phnom_penh)
        .unwrap_or_default()
}

fn quarter_of(date: NaiveDate) -> u32 {
    (date.month() - 1) / 3 + 1
}

/// The last quarter that has ended, which is what a draw usually covers.
fn last_finished_quarter(now: DateTime<Utc>) -> (i32, u32) {
    let today = local_date(now);
    match quarter_of(today) {
        1 => (today.year() - 1, 4),
        q => (today.year(), q - 1),
    }
}

/// Active viewers who may be assigned cases of an audit of `province`.
async fn eligible_officers(
    db: &impl ConnectionTrait,
    province: Option<&str>,
) -> Result<Vec<Officer>, AppError> {
    let mut who = Condition::any().add(user::Column::Role.eq(Role::NationalViewer.id()));
    if let Some(p) = province {
        who = who.add(
            Condition::all()
                .add(user::Column::Role.eq(Role::ProvinceViewer.id()))
                .add(user::Column::ProvinceCode.eq(p)),
        );
    }
    officers_where(db, Condition::all().add(who)).await
}

async fn officers_where(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Vec<Officer>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(condition)
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Officer {
            id: u.id,
            username: u.username,
            full_name: u.full_name,
            province_code: u.province_code,
        })
        .collect())
}

/// What the drawing form starts from.
pub async fn draw_defaults(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<DrawDefaults, AppError> {
    require_viewer(user)?;
    let own_province = match user.jurisdiction() {
        Jurisdiction::Province(p) => Some(p.as_str().to_string()),
        _ => None,
    };
    let mut provinces = province::Entity::find().order_by_asc(province::Column::Code);
    if let Some(p) = &own_province {
        provinces = provinces.filter(province::Column::Code.eq(p.as_str()));
    }
    let provinces = provinces
        .all(db)
        .await?
        .into_iter()
        .map(|p| ProvinceChoice {
            code: p.code,
            name_km: p.name_km,
            name_latin: p.name_latin,
        })
        .collect();
    // A national viewer may pick any province, so every viewer is offered; the draw checks
    // that the chosen ones cover the chosen scope.
    let officers = match &own_province {
        Some(p) => eligible_officers(db, Some(p)).await?,
        None => {
            officers_where(
                db,
                Condition::all().add(
                    user::Column::Role
                        .is_in([Role::NationalViewer.id(), Role::ProvinceViewer.id()]),
                ),
            )
            .await?
        }
    };
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).map_err(|_| AppError::Internal)?;
    // Nine digits: easy to read out and write down, and plenty of samples to choose from.
    let seed = (u64::from_le_bytes(seed) % 1_000_000_000) as i64;
    let (year, quarter) = last_finished_quarter(now);
    Ok(DrawDefaults {
        seed,
        year,
        quarter,
        own_province,
        provinces,
        officers,
        me: user.id,
    })
}

/// The drawing form as typed.
#[derive(Debug, Clone, Default)]
pub struct DrawRequest {
    pub year: String,
    pub quarter: String,
    pub province: Option<String>,
    pub per_office: String,
    pub cap: String,
    pub seed: String,
    pub officers: Vec<i32>,
}

fn number_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    text: &str,
    range: std::ops::RangeInclusive<i64>,
) -> i64 {
    let digits = from_khmer_digits(text.trim());
    if digits.is_empty() {
        errors.push(FieldError::new(field, "err_required"));
        return 0;
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        errors.push(FieldError::new(field, "err_digits_only"));
        return 0;
    }
    match digits.parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.push(FieldError::new(field, "err_out_of_range"));
            0
        }
    }
}

/// Draws a sample and stores it with its assignments, in one transaction. Answers the audit's id.
pub async fn draw(
    db: &DatabaseConnection,
    user: &CurrentUser,
    request: DrawRequest,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    require_viewer(user)?;
    let province = match request.province.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(
            ProvinceCode::parse(&from_khmer_digits(p))
                .map_err(|_| AppError::NotFound)?
                .as_str()
                .to_string(),
        ),
    };
    if !covers_scope(user, province.as_deref()) {
        return Err(AppError::NotFound);
    }
    if let Some(p) = &province {
        if province::Entity::find_by_id(p.as_str())
            .one(db)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
    }
    let mut errors = Vec::new();
    let this_year = local_date(now).year();
    let year = number_field(
        &mut errors,
        "year",
        &request.year,
        FIRST_YEAR as i64..=this_year as i64,
    ) as i32;
    let quarter = number_field(&mut errors, "quarter", &request.quarter, 1..=4) as u32;
    if year > 0 && quarter > 0 && quarter_start(year, quarter) > now {
        errors.push(FieldError::new("quarter", "err_audit_future_quarter"));
    }
    let per_office = number_field(
        &mut errors,
        "per_office",
        &request.per_office,
        1..=PER_OFFICE_MAX as i64,
    );
    let cap = number_field(&mut errors, "cap", &request.cap, 1..=CAP_MAX as i64);
    let seed = number_field(&mut errors, "seed", &request.seed, 0..=i64::MAX);
    let eligible = eligible_officers(db, province.as_deref()).await?;
    let mut officers: Vec<&Officer> = eligible
        .iter()
        .filter(|o| request.officers.contains(&o.id))
        .collect();
    if officers.len() != request.officers.iter().collect::<HashSet<_>>().len() {
        errors.push(FieldError::new("officers", "err_audit_bad_officer"));
    }
    if officers.is_empty() {
        // Nobody chosen: the drawer checks the sample themselves.
        officers = eligible.iter().filter(|o| o.id == user.id).collect();
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    let mut delivered = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::Code)
        .column(case::Column::OfficeCode)
        .filter(case::Column::Status.eq(CaseStatus::Delivered.id()))
        .filter(case::Column::DeliveredAt.gte(quarter_start(year, quarter)))
        .filter(case::Column::DeliveredAt.lt(quarter_start(year, quarter + 1)));
    if let Some(p) = &province {
        delivered = delivered.filter(case::Column::OfficeCode.starts_with(p.as_str()));
    }
    let candidates: Vec<sample::Candidate> = delivered
        .into_tuple::<(i64, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(case_id, code, office_code)| sample::Candidate {
            case_id,
            code,
            office_code,
        })
        .collect();
    let drawn = sample::draw(candidates, seed, per_office as usize, cap as usize);
    if drawn.is_empty() {
        return Err(AppError::field("quarter", "err_audit_no_cases"));
    }
    let officer_ids: Vec<i32> = officers.iter().map(|o| o.id).collect();
    let assignees = sample::round_robin(drawn.len(), &officer_ids);

    let txn = begin_write(db).await?;
    let saved = quality_audit::ActiveModel {
        year: Set(year),
        quarter: Set(quarter as i16),
        province_code: Set(province.clone()),
        seed: Set(seed),
        per_office: Set(per_office as i32),
        cap: Set(cap as i32),
        drawn_by: Set(user.id),
        created_at: Set(now),
        sample_size: Set(drawn.len() as i32),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows: Vec<quality_audit_case::ActiveModel> = drawn
        .iter()
        .zip(&assignees)
        .map(|(c, assignee)| quality_audit_case::ActiveModel {
            audit_id: Set(saved.id),
            case_id: Set(c.case_id),
            office_code: Set(c.office_code.clone()),
            assigned_user_id: Set(*assignee),
            fee_correct: Set(None),
            documents_complete: Set(None),
            deadline_met: Set(None),
            data_matches: Set(None),
            citizen_reached: Set(None),
            citizen_satisfied: Set(None),
            findings: Set(None),
            checked_by: Set(None),
            checked_at: Set(None),
        })
        .collect();
    for chunk in rows.chunks(INSERT_CHUNK) {
        quality_audit_case::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        AuditEvent {
            action: "quality_audit_draw".into(),
            entity: "quality_audit".into(),
            entity_id: Some(saved.id.to_string()),
            after: Some(serde_json::json!({
                "year": year, "quarter": quarter, "province": province, "seed": seed,
                "per_office": per_office, "cap": cap, "sample_size": drawn.len(),
                "officers": officer_ids,
            })),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

async fn province_names(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, (String, String)>, AppError> {
    Ok(province::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code, (p.name_km, p.name_latin)))
        .collect())
}

async fn usernames(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect())
}

/// The audits the user may see, newest first.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<Vec<AuditListItem>, AppError> {
    require_viewer(user)?;
    let mut query = quality_audit::Entity::find()
        .order_by_desc(quality_audit::Column::CreatedAt)
        .order_by_desc(quality_audit::Column::Id);
    if let Jurisdiction::Province(p) = user.jurisdiction() {
        query = query.filter(quality_audit::Column::ProvinceCode.eq(p.as_str()));
    }
    let audits = query.limit(500).all(db).await?;
    let ids: Vec<i32> = audits.iter().map(|a| a.id).collect();
    let checked: HashMap<i32, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        quality_audit_case::Entity::find()
            .select_only()
            .column(quality_audit_case::Column::AuditId)
            .column_as(quality_audit_case::Column::CheckedAt.count(), "checked")
            .filter(quality_audit_case::Column::AuditId.is_in(ids))
            .group_by(quality_audit_case::Column::AuditId)
            .into_tuple::<(i32, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let names = province_names(db).await?;
    let drawers = usernames(db, audits.iter().map(|a| a.drawn_by)).await?;
    Ok(audits
        .into_iter()
        .map(|a| {
            let province = a.province_code.as_ref().and_then(|p| names.get(p));
            AuditListItem {
                id: a.id,
                year: a.year,
                quarter: a.quarter as u32,
                province_km: province.map(|p| p.0.clone()),
                province_latin: province.map(|p| p.1.clone()),
                province_code: a.province_code,
                sample_size: a.sample_size as u64,
                checked: checked.get(&a.id).copied().unwrap_or(0) as u64,
                drawn_by: drawers.get(&a.drawn_by).cloned().unwrap_or_default(),
                created_at: a.created_at,
            }
        })
        .collect())
}

/// The audit's page: parameters, summary by office and the sampled cases in code order.
pub async fn view(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i32,
) -> Result<AuditView, AppError> {
    let audit = audit_in_scope(db, user, id).await?;
    let rows = quality_audit_case::Entity::find()
        .filter(quality_audit_case::Column::AuditId.eq(audit.id))
        .all(db)
        .await?;
    let cases: HashMap<i64, (String, i32)> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::Code)
        .column(case::Column::ServiceId)
        .filter(case::Column::Id.is_in(rows.iter().map(|r| r.case_id).collect::<Vec<_>>()))
        .into_tuple::<(i64, String, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, code, svc)| (id, (code, svc)))
        .collect();
    let services: HashMap<i32, service::Model> = service::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let offices: HashMap<String, office::Model> = office::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
    let names = usernames(
        db,
        rows.iter()
            .filter_map(|r| r.assigned_user_id)
            .chain([audit.drawn_by]),
    )
    .await?;

    let mut tallies: BTreeMap<String, OfficeTally> = BTreeMap::new();
    let mut sampled = Vec::with_capacity(rows.len());
    for r in &rows {
        let tally = tallies
            .entry(r.office_code.clone())
            .or_insert_with(|| OfficeTally {
                office_code: r.office_code.clone(),
                name_km: offices
                    .get(&r.office_code)
                    .map(|o| o.name_km.clone())
                    .unwrap_or_default(),
                name_en: offices
                    .get(&r.office_code)
                    .map(|o| o.name_en.clone())
                    .unwrap_or_default(),
                sampled: 0,
                checked: 0,
                items: vec![ItemTally::default(); CHECKLIST_ITEMS.len()],
                findings: 0,
            });
        tally.sampled += 1;
        if r.checked_at.is_some() {
            tally.checked += 1;
        }
        for (item, answer) in tally.items.iter_mut().zip(r.answers()) {
            if let Some(yes) = answer {
                item.answered += 1;
                item.yes += yes as u64;
            }
        }
        if r.findings.as_deref().is_some_and(|f| !f.trim().is_empty()) {
            tally.findings += 1;
        }
        let (code, service_id) = cases.get(&r.case_id).cloned().unwrap_or_default();
        let svc = services.get(&service_id);
        sampled.push(SampledCase {
            code,
            office_code: r.office_code.clone(),
            service_km: svc.map(|s| s.name_km.clone()).unwrap_or_default(),
            service_en: svc.map(|s| s.name_en.clone()).unwrap_or_default(),
            assigned_user_id: r.assigned_user_id,
            assignee: r.assigned_user_id.and_then(|u| names.get(&u).cloned()),
            checked: r.checked_at.is_some(),
        });
    }
    sampled.sort_by(|a, b| a.code.cmp(&b.code));
    let is_drawer = audit.drawn_by == user.id;
    let officers = if is_drawer {
        eligible_officers(db, audit.province_code.as_deref()).await?
    } else {
        Vec::new()
    };
    let province = match &audit.province_code {
        Some(p) => province::Entity::find_by_id(p.as_str()).one(db).await?,
        None => None,
    };
    Ok(AuditView {
        id: audit.id,
        year: audit.year,
        quarter: audit.quarter as u32,
        province_code: audit.province_code,
        province_km: province.as_ref().map(|p| p.name_km.clone()),
        province_latin: province.map(|p| p.name_latin),
        seed: audit.seed,
        per_office: audit.per_office,
        cap: audit.cap,
        sample_size: audit.sample_size as u64,
        drawn_by: names.get(&audit.drawn_by).cloned().unwrap_or_default(),
        created_at: audit.created_at,
        is_drawer,
        offices: tallies.into_values().collect(),
        cases: sampled,
        officers,
    })
}

/// A sampled case of an audit the user may see, by its code.
async fn sampled_case(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    audit_id: i32,
    code: &str,
) -> Result<(quality_audit::Model, case::Model, quality_audit_case::Model), AppError> {
    let audit = audit_in_scope(db, user, audit_id).await?;
    let code = RegistrationCode::parse(code).map_err(|_| AppError::NotFound)?;
    let found = case::Entity::find()
        .filter(case::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = quality_audit_case::Entity::find_by_id((audit.id, found.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((audit, found, row))
}

/// Gives a sampled case to another officer. Only the user who drew the audit may.
pub async fn assign(
    db: &DatabaseConnection,
    user: &CurrentUser,
    audit_id: i32,
    code: &str,
    officer: i32,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (audit, found, row) = sampled_case(db, user, audit_id, code).await?;
    if audit.drawn_by != user.id {
        return Err(AppError::Forbidden);
    }
    if !eligible_officers(db, audit.province_code.as_deref())
        .await?
        .iter()
        .any(|o| o.id == officer)
    {
        return Err(AppError::field("user_id", "err_audit_bad_officer"));
    }
    let before = row.assigned_user_id;
    let txn = begin_write(db).await?;
    let mut m: quality_audit_case::ActiveModel = row.into();
    m.assigned_user_id = Set(Some(officer));
    m.update(&txn).await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "quality_audit_assign".into(),
            entity: "quality_audit_case".into(),
            entity_id: Some(format!("{}:{}", audit.id, found.code)),
            before: Some(serde_json::json!({ "assigned_user_id": before })),
            after: Some(serde_json::json!({ "assigned_user_id": officer })),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn may_record(
    user: &CurrentUser,
    audit: &quality_audit::Model,
    row: &quality_audit_case::Model,
) -> bool {
    row.assigned_user_id == Some(user.id) || audit.drawn_by == user.id
}

/// A sampled case's facts and checklist.
pub async fn checklist(
    db: &DatabaseConnection,
    user: &CurrentUser,
    audit_id: i32,
    code: &str,
) -> Result<ChecklistView, AppError> {
    let (audit, c, row) = sampled_case(db, user, audit_id, code).await?;
    let records = super::cases::records_of(db, &c).await?;
    let (applicant_km, applicant_latin, phone) = match (c.applicant_id, c.enterprise_id) {
        (Some(id), _) => applicant::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| (a.name_km, a.name_latin, a.phone)),
        (None, Some(id)) => enterprise::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|e| (e.name_km, e.name_latin, e.phone)),
        (None, None) => None,
    }
    .unwrap_or_default();
    let paid: Option<payment::Model> = records.payment;
    let names = usernames(db, row.assigned_user_id.into_iter().chain(row.checked_by)).await?;
    let delivered_on = c.delivered_at.map(local_date);
    Ok(ChecklistView {
        audit_id: audit.id,
        year: audit.year,
        quarter: audit.quarter as u32,
        code: c.code,
        office_code: c.office_code,
        office_km: records.off.name_km,
        office_en: records.off.name_en,
        service_km: records.svc.name_km,
        service_en: records.svc.name_en,
        quantity: c.quantity,
        fee_total: c.fee_total,
        catalogue_fee: records.svc.fee_riel * c.quantity as i64,
        paid: paid.as_ref().map(|p| p.amount),
        receipt_number: paid.map(|p| p.receipt_number),
        registered_on: local_date(c.registered_at),
        due_on: c.due_on,
        delivered_on,
        on_time: delivered_on.is_some_and(|d| d <= c.due_on),
        applicant_km,
        applicant_latin,
        phone,
        assignee: row.assigned_user_id.and_then(|u| names.get(&u).cloned()),
        answers: row.answers().to_vec(),
        findings: row.findings.clone(),
        checked_by: row.checked_by.and_then(|u| names.get(&u).cloned()),
        checked_at: row.checked_at,
        can_record: may_record(user, &audit, &row),
    })
}

/// The checklist as typed: `yes`, `no` or empty (not established) per item, in the order of
/// `CHECKLIST_ITEMS`, and the findings.
#[derive(Debug, Clone, Default)]
pub struct ChecklistAnswers {
    pub answers: Vec<Option<String>>,
    pub findings: Option<String>,
}

/// Records (or overwrites) a sampled case's checklist; only its officer or the drawer may.
pub async fn record(
    db: &DatabaseConnection,
    user: &CurrentUser,
    audit_id: i32,
    code: &str,
    input: ChecklistAnswers,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (audit, found, row) = sampled_case(db, user, audit_id, code).await?;
    if !may_record(user, &audit, &row) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let mut answers = [None; 6];
    for (i, field) in CHECKLIST_ITEMS.iter().enumerate() {
        answers[i] = match input
            .answers
            .get(i)
            .cloned()
            .flatten()
            .as_deref()
            .map(str::trim)
        {
            None | Some("") => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(_) => {
                errors.push(FieldError::new(*field, "err_out_of_range"));
                None
            }
        };
    }
    let findings = input
        .findings
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    if let Some(f) = &findings {
        if f.chars().count() > MAX_FINDINGS_CHARS {
            errors.push(FieldError::new("findings", "err_too_long"));
        } else if f
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            errors.push(FieldError::new("findings", "err_bad_characters"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let snapshot = |answers: [Option<bool>; 6], findings: &Option<String>| {
        let mut map = serde_json::Map::new();
        for (field, answer) in CHECKLIST_ITEMS.iter().zip(answers) {
            map.insert(field.to_string(), serde_json::json!(answer));
        }
        map.insert("findings".into(), serde_json::json!(findings));
        serde_json::Value::Object(map)
    };
    let before = row
        .checked_at
        .is_some()
        .then(|| snapshot(row.answers(), &row.findings));
    let after = snapshot(answers, &findings);
    let txn = begin_write(db).await?;
    let mut m: quality_audit_case::ActiveModel = row.into();
    m.fee_correct = Set(answers[0]);
    m.documents_complete = Set(answers[1]);
    m.deadline_met = Set(answers[2]);
    m.data_matches = Set(answers[3]);
    m.citizen_reached = Set(answers[4]);
    m.citizen_satisfied = Set(answers[5]);
    m.findings = Set(findings);
    m.checked_by = Set(Some(user.id));
    m.checked_at = Set(Some(now));
    m.update(&txn).await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "quality_audit_check".into(),
            entity: "quality_audit_case".into(),
            entity_id: Some(format!("{}:{}", audit.id, found.code)),
            before,
            after: Some(after),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_start_at_midnight_in_phnom_penh() {
        assert_eq!(
            quarter_start(2026, 1).to_rfc3339(),
            "2025-12-31T17:00:00+00:00"
        );
        assert_eq!(
            quarter_start(2026, 5).to_rfc3339(),
            "2026-12-31T17:00:00+00:00"
        );
        assert_eq!(
            quarter_start(2026, 3).date_naive().to_string(),
            "2026-06-30"
        );
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(last_finished_quarter(at("2026-11-22T01:00:00Z")), (2026, 3));
        // 1 January 02:00 in Phnom Penh is still 31 December in UTC.
        assert_eq!(last_finished_quarter(at("2026-12-31T19:00:00Z")), (2026, 4));
        assert_eq!(last_finished_quarter(at("2026-02-01T00:00:00Z")), (2025, 4));
    }

    #[test]
    fn every_key_the_audits_produce_is_translated() {
        use crate::i18n::{EN, KM};
        let mut keys: Vec<String> = CHECKLIST_ITEMS
            .iter()
            .flat_map(|i| [format!("audit_item_{i}"), format!("audit_short_{i}")])
            .collect();
        keys.extend(
            [
                "err_audit_no_cases",
                "err_audit_future_quarter",
                "err_audit_bad_officer",
                "err_digits_only",
                "err_out_of_range",
                "err_required",
                "err_too_long",
                "err_bad_characters",
            ]
            .map(String::from),
        );
        for k in keys {
            assert!(KM.get(&k).is_some() && EN.get(&k).is_some(), "{k}");
        }
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::format::to_khmer_digits;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn number_fields_are_in_range_and_read_khmer_digits(
            text in prop_oneof![any::<String>(), "[ 0-9០-៩+-]{0,24}"],
            low in -5i64..5,
            span in 0i64..1000,
        ) {
            let range = low..=low + span;
            let mut errors = Vec::new();
            let n = number_field(&mut errors, "n", &text, range.clone());
            let mut khmer_errors = Vec::new();
            let k = number_field(&mut khmer_errors, "n", &to_khmer_digits(&text), range.clone());
            prop_assert_eq!((n, &errors), (k, &khmer_errors));
            prop_assert!(errors.len() <= 1);
            if errors.is_empty() {
                prop_assert!(range.contains(&n));
                let (shown, typed) = (n.to_string(), from_khmer_digits(text.trim()));
                prop_assert_eq!(shown.trim_start_matches('0'), typed.trim_start_matches('0'));
            } else {
                prop_assert_eq!(n, 0);
            }
        }
    }
}
