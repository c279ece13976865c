//! Staff inboxes: the cases waiting at the caller's stages in their office (and sectors).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};

use super::{
    auth::CurrentUser,
    calendar,
    cases::days_late,
    entities::{applicant, case, enterprise, service},
};
use crate::{
    domain::{workflow::inbox_stages, CaseStatus, Phone, Role},
    error::AppError,
    format::from_khmer_digits,
    types::{InboxItem, InboxPage},
};

pub const PER_PAGE: u64 = 50;

/// The cases this user should act on, oldest due date first.
fn inbox_condition(user: &CurrentUser) -> Result<Condition, AppError> {
    let office = user.office_code.clone().ok_or(AppError::Forbidden)?;
    let stages: Vec<String> = inbox_stages(user.role)
        .iter()
        .map(|s| s.id().to_string())
        .collect();
    let mut waiting = Condition::all()
        .add(case::Column::Stage.is_in(stages))
        .add(case::Column::Status.eq(CaseStatus::Active.id()));
    if user.role == Role::TechnicalOfficer {
        waiting = waiting.add(case::Column::SectorId.is_in(user.sectors.clone()));
    }
    let mut mine = Condition::any().add(waiting);
    // The front desk also holds the cases back with citizens, to record their resubmission.
    if user.role == Role::FrontDesk {
        mine = mine.add(case::Column::Status.eq(CaseStatus::ReturnedToCitizen.id()));
    }
    Ok(Condition::all()
        .add(case::Column::OfficeCode.eq(office))
        .add(mine))
}

pub async fn inbox(
    db: &DatabaseConnection,
    user: &CurrentUser,
    query: Option<&str>,
    page: u64,
    now: DateTime<Utc>,
) -> Result<InboxPage, AppError> {
    let base = inbox_condition(user)?;
    let mut filtered = base.clone();
    if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
        let q: String = q.chars().take(100).collect();
        let like = format!("%{}%", q.replace(['%', '_'], ""));
        let mut any = Condition::any()
            .add(applicant::Column::NameKm.like(&like))
            .add(applicant::Column::NameLatin.like(like.to_uppercase()))
            .add(enterprise::Column::NameKm.like(&like))
            .add(enterprise::Column::NameLatin.like(&like));
        let digits = from_khmer_digits(&q);
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            any = any.add(case::Column::Code.starts_with(&digits));
        }
        if let Ok(phone) = Phone::parse(&q) {
            any = any
                .add(applicant::Column::Phone.eq(phone.as_str()))
                .add(enterprise::Column::Phone.eq(phone.as_str()));
        }
        filtered = filtered.add(any);
    }
    let select = || {
        case::Entity::find()
            .join(JoinType::LeftJoin, case::Relation::Applicant.def())
            .join(JoinType::LeftJoin, case::Relation::Enterprise.def())
    };
    let total = select().filter(filtered.clone()).count(db).await?;
    let rows = select()
        .filter(filtered)
        .order_by_asc(case::Column::StepDueOn)
        .order_by_asc(case::Column::Id)
        .offset(page.saturating_sub(1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;

    // Names and services for the page in three queries, not three per row.
    let ids = |f: fn(&case::Model) -> Option<i64>| rows.iter().filter_map(f).collect::<Vec<_>>();
    let people: HashMap<i64, applicant::Model> = applicant::Entity::find()
        .filter(applicant::Column::Id.is_in(ids(|c| c.applicant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let firms: HashMap<i64, enterprise::Model> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ids(|c| c.enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let services: HashMap<i32, service::Model> = service::Entity::find()
        .filter(service::Column::Id.is_in(rows.iter().map(|c| c.service_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let holidays = calendar::holidays(db).await?;
    let items = rows
        .into_iter()
        .map(|c| {
            let (name_km, name_latin) = match (
                c.applicant_id.and_then(|id| people.get(&id)),
                c.enterprise_id.and_then(|id| firms.get(&id)),
            ) {
                (Some(a), _) => (a.name_km.clone(), a.name_latin.clone()),
                (None, Some(e)) => (e.name_km.clone(), e.name_latin.clone()),
                _ => (String::new(), String::new()),
            };
            let svc = services.get(&c.service_id);
            let status = c.status;
            InboxItem {
                days_late: days_late(&holidays, c.step_due_on, status, now),
                stage: c.stage,
                status,
                service_name_km: svc.map(|s| s.name_km.clone()).unwrap_or_default(),
                service_name_en: svc.map(|s| s.name_en.clone()).unwrap_or_default(),
                applicant_name_km: name_km,
                applicant_name_latin: name_latin,
                step_due_on: c.step_due_on,
                code: c.code,
                version: c.version,
            }
        })
        .collect();
    let mut stage_counts = Vec::new();
    for stage in inbox_stages(user.role) {
        let n = case::Entity::find()
            .filter(base.clone())
            .filter(case::Column::Stage.eq(stage.id()))
            .count(db)
            .await?;
        stage_counts.push((*stage, n));
    }
    Ok(InboxPage {
        items,
        total,
        page: page.max(1),
        per_page: PER_PAGE,
        stage_counts,
    })
}
