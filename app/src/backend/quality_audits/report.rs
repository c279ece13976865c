//! What the quarterly report takes from the audits.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    backend::entities::{quality_audit, quality_audit_case},
    error::AppError,
    types::quality_audits::OfficeAuditSummary,
};

/// The audited cases of `year`'s `quarters`, by office in code order: how many were sampled and
/// checked, how many checklist answers were "no" and how many cases have written findings.
/// Every audit of those quarters counts, national or provincial; with `province`, only the
/// offices of that province. A case sampled by two audits counts twice, as it was checked twice.
pub async fn findings_by_office(
    db: &impl ConnectionTrait,
    year: i32,
    quarters: &[u32],
    province: Option<&str>,
) -> Result<Vec<OfficeAuditSummary>, AppError> {
    let quarters: Vec<i16> = quarters
        .iter()
        .filter(|q| (1..=4).contains(*q))
        .map(|q| *q as i16)
        .collect();
    if quarters.is_empty() {
        return Ok(Vec::new());
    }
    let audits: Vec<i32> = quality_audit::Entity::find()
        .select_only()
        .column(quality_audit::Column::Id)
        .filter(quality_audit::Column::Year.eq(year))
        .filter(quality_audit::Column::Quarter.is_in(quarters))
        .into_tuple()
        .all(db)
        .await?;
    if audits.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = quality_audit_case::Entity::find()
        .filter(quality_audit_case::Column::AuditId.is_in(audits))
        .order_by_asc(quality_audit_case::Column::OfficeCode);
    if let Some(p) = province {
        rows = rows.filter(quality_audit_case::Column::OfficeCode.starts_with(p));
    }
    let mut by_office: BTreeMap<String, OfficeAuditSummary> = BTreeMap::new();
    for r in rows.all(db).await? {
        let s = by_office
            .entry(r.office_code.clone())
            .or_insert_with(|| OfficeAuditSummary {
                office_code: r.office_code.clone(),
                sampled: 0,
                checked: 0,
                failed_items: 0,
                findings: 0,
            });
        s.sampled += 1;
        if r.checked_at.is_some() {
            s.checked += 1;
        }
        s.failed_items += r.answers().iter().filter(|a| **a == Some(false)).count() as u64;
        if r.findings.as_deref().is_some_and(|f| !f.trim().is_empty()) {
            s.findings += 1;
        }
    }
    Ok(by_office.into_values().collect())
}
