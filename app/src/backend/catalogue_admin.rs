//! Editing the catalogue and the calendar: a service's fee, time standard, documents and workflow
//! template, and the public holidays. System administrators only. Cases keep the fee they were
//! registered with, so a fee change only applies to new cases.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    cases::workflow_of,
    catalogue::summary,
    db::begin_write,
    entities::{case, holiday, service, workflow_step},
};
use crate::{
    domain::{workflow::check_template, CaseStatus, Riel, Stage},
    error::{AppError, FieldError},
    types::{
        admin::{HolidayRow, ServiceEdit, ServiceUpdate, StepAllowance},
        ServiceSummary,
    },
};

pub const MAX_DOCUMENTS: usize = 40;
pub const MAX_DOCUMENT_CHARS: usize = 300;
pub const MAX_TIME_STANDARD_DAYS: u32 = 365;

pub fn require_system_admin(user: &CurrentUser) -> Result<(), AppError> {
    user.role.require(crate::domain::Area::Catalogue)
}

/// Every service, active or not, in code order.
pub async fn all_services(
    db: &DatabaseConnection,
    admin: &CurrentUser,
) -> Result<Vec<(ServiceSummary, bool)>, AppError> {
    require_system_admin(admin)?;
    Ok(service::Entity::find()
        .order_by_asc(service::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            let active = s.active;
            (summary(s), active)
        })
        .collect())
}

#[derive(FromQueryResult)]
struct StageCount {
    stage: String,
    n: i64,
}

async fn open_cases_by_stage(
    db: &impl ConnectionTrait,
    service_id: i32,
) -> Result<Vec<(Stage, u64)>, AppError> {
    let rows = case::Entity::find()
        .select_only()
        .column(case::Column::Stage)
        .column_as(case::Column::Id.count(), "n")
        .filter(case::Column::ServiceId.eq(service_id))
        .filter(
            case::Column::Status
                .is_in([CaseStatus::Active.id(), CaseStatus::ReturnedToCitizen.id()]),
        )
        .group_by(case::Column::Stage)
        .into_model::<StageCount>()
        .all(db)
        .await?;
    let mut counts: Vec<(Stage, u64)> = rows
        .into_iter()
        .filter_map(|r| Stage::from_id(&r.stage).map(|s| (s, r.n.max(0) as u64)))
        .collect();
    counts.sort();
    Ok(counts)
}

pub async fn service_for_edit(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    service_id: i32,
) -> Result<ServiceEdit, AppError> {
    require_system_admin(admin)?;
    let found = service::Entity::find_by_id(service_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let active = found.active;
    Ok(ServiceEdit {
        steps: workflow_of(db, service_id)
            .await?
            .into_iter()
            .map(|(stage, working_days)| StepAllowance {
                stage,
                working_days,
            })
            .collect(),
        open_cases: open_cases_by_stage(db, service_id).await?,
        service: summary(found),
        active,
    })
}

fn documents(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if lines.len() > MAX_DOCUMENTS || lines.iter().any(|l| l.chars().count() > MAX_DOCUMENT_CHARS) {
        errors.push(FieldError::new(field, "err_too_long"));
    }
    lines
}

/// The service editor's form once parsed and checked.
struct ParsedUpdate {
    fee: i64,
    time_standard: u32,
    docs_km: Vec<String>,
    docs_en: Vec<String>,
    steps: Vec<(Stage, u32)>,
}

/// The form, parsed: every problem is reported against its field.
fn parse_update(update: &ServiceUpdate) -> Result<ParsedUpdate, AppError> {
    let mut errors = Vec::new();
    let fee = match Riel::parse(&update.fee_riel) {
        Ok(r) => Some(r.0),
        Err(e) => {
            errors.push(FieldError::parse("fee_riel", e));
            None
        }
    };
    let time_standard = match update.time_standard_days.trim().parse::<u32>() {
        Ok(d) if (1..=MAX_TIME_STANDARD_DAYS).contains(&d) => Some(d),
        _ => {
            errors.push(FieldError::new("time_standard_days", "err_out_of_range"));
            None
        }
    };
    let docs_km = documents(&mut errors, "documents_km", &update.documents_km);
    let docs_en = documents(&mut errors, "documents_en", &update.documents_en);
    let mut steps = Vec::new();
    for stage in Stage::ALL {
        let included = crate::domain::workflow::MANDATORY_STAGES.contains(&stage)
            || update.include.contains_key(stage.id());
        if !included {
            continue;
        }
        let typed = update.days.get(stage.id()).map(|d| d.trim()).unwrap_or("");
        match typed {
            "" => steps.push((stage, 0)),
            d => match d.parse::<u32>() {
                Ok(n) if n <= MAX_TIME_STANDARD_DAYS => steps.push((stage, n)),
                _ => errors.push(FieldError::new(
                    format!("days_{}", stage.id()),
                    "err_out_of_range",
                )),
            },
        }
    }
    if let (Some(fee), Some(time_standard)) = (fee, time_standard) {
        if errors.is_empty() {
            if let Err((field, key)) = check_template(&steps, fee, time_standard) {
                errors.push(FieldError::new(field, key));
            }
        }
        if errors.is_empty() {
            return Ok(ParsedUpdate {
                fee,
                time_standard,
                docs_km,
                docs_en,
                steps,
            });
        }
    }
    Err(AppError::Validation(errors))
}

/// Saves the service and its workflow template in one transaction. A stage that still holds
/// open cases cannot be removed, or those cases would have nowhere to go.
pub async fn update_service(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    service_id: i32,
    update: ServiceUpdate,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    require_system_admin(admin)?;
    let ParsedUpdate {
        fee,
        time_standard,
        docs_km,
        docs_en,
        steps,
    } = parse_update(&update)?;
    let txn = begin_write(db).await?;
    let found = service::Entity::find_by_id(service_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let before_steps = workflow_of(&txn, service_id).await?;
    let removed_in_use = open_cases_by_stage(&txn, service_id)
        .await?
        .into_iter()
        .any(|(stage, n)| n > 0 && !steps.iter().any(|(s, _)| *s == stage));
    if removed_in_use {
        return Err(AppError::field("steps", "err_steps_in_use"));
    }
    let tax_branch = steps.iter().any(|(s, _)| *s == Stage::TaxBranch);
    let before = serde_json::json!({
        "fee_riel": found.fee_riel, "time_standard_days": found.time_standard_days,
        "tax_branch": found.tax_branch, "active": found.active,
        "documents_km": found.documents_km, "documents_en": found.documents_en,
        "steps": before_steps.iter().map(|(s, d)| (s.id(), *d)).collect::<Vec<_>>(),
    });
    let mut m: service::ActiveModel = found.into();
    m.fee_riel = Set(fee);
    m.time_standard_days = Set(time_standard as i32);
    m.tax_branch = Set(tax_branch);
    m.active = Set(update.active);
    m.documents_km = Set(serde_json::to_string(&docs_km).unwrap_or_default());
    m.documents_en = Set(serde_json::to_string(&docs_en).unwrap_or_default());
    m.updated_at = Set(now);
    let saved = m.update(&txn).await?;
    workflow_step::Entity::delete_many()
        .filter(workflow_step::Column::ServiceId.eq(service_id))
        .exec(&txn)
        .await?;
    for (position, (stage, days)) in steps.iter().enumerate() {
        workflow_step::ActiveModel {
            service_id: Set(service_id),
            position: Set(position as i32 + 1),
            stage: Set(*stage),
            working_days: Set(*days as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        AuditEvent {
            action: "service_update".into(),
            entity: "service".into(),
            entity_id: Some(saved.code.clone()),
            before: Some(before),
            after: Some(serde_json::json!({
                "fee_riel": saved.fee_riel, "time_standard_days": saved.time_standard_days,
                "tax_branch": saved.tax_branch, "active": saved.active,
                "documents_km": saved.documents_km, "documents_en": saved.documents_en,
                "steps": steps.iter().map(|(s, d)| (s.id(), *d)).collect::<Vec<_>>(),
            })),
            ..admin.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn holidays_of_year(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    year: i32,
) -> Result<Vec<HolidayRow>, AppError> {
    require_system_admin(admin)?;
    let (first, last) = year_bounds(year)?;
    Ok(holiday::Entity::find()
        .filter(holiday::Column::Day.between(first, last))
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(|h| HolidayRow {
            day: h.day,
            name_km: h.name_km,
            name_en: h.name_en,
        })
        .collect())
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(a), Some(b)) if (2000..=2100).contains(&year) => Ok((a, b)),
        _ => Err(AppError::field("year", "err_out_of_range")),
    }
}

/// Adds a holiday, or renames the one already on that day. Deadlines computed from now on
/// count it; stored due dates are kept, as they were promised to citizens.
pub async fn save_holiday(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    day: &str,
    name_km: &str,
    name_en: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    require_system_admin(admin)?;
    let mut errors = Vec::new();
    let day = match NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") {
        Ok(d) if year_bounds(chrono::Datelike::year(&d)).is_ok() => Some(d),
        _ => {
            errors.push(FieldError::new("day", "err_bad_date"));
            None
        }
    };
    for (field, value) in [("name_km", name_km.trim()), ("name_en", name_en.trim())] {
        if value.is_empty() {
            errors.push(FieldError::new(field, "err_required"));
        } else if value.chars().count() > 200 {
            errors.push(FieldError::new(field, "err_too_long"));
        }
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let txn = begin_write(db).await?;
    let existing = holiday::Entity::find_by_id(day).one(&txn).await?;
    let before = existing
        .as_ref()
        .map(|h| serde_json::json!({ "name_km": h.name_km, "name_en": h.name_en }));
    let row = holiday::ActiveModel {
        day: Set(day),
        name_km: Set(name_km.trim().to_string()),
        name_en: Set(name_en.trim().to_string()),
    };
    if existing.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    audit::record(
        &txn,
        AuditEvent {
            action: "holiday_save".into(),
            entity: "holiday".into(),
            entity_id: Some(day.to_string()),
            before,
            after: Some(
                serde_json::json!({ "name_km": name_km.trim(), "name_en": name_en.trim() }),
            ),
            ..admin.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(day)
}

pub async fn delete_holiday(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    day: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AppError> {
    require_system_admin(admin)?;
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field("day", "err_bad_date"))?;
    let txn = begin_write(db).await?;
    let existing = holiday::Entity::find_by_id(day)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    holiday::Entity::delete_by_id(day).exec(&txn).await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "holiday_delete".into(),
            entity: "holiday".into(),
            entity_id: Some(day.to_string()),
            before: Some(
                serde_json::json!({ "name_km": existing.name_km, "name_en": existing.name_en }),
            ),
            ..admin.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(day)
}
