//! The service catalogue: sectors and their services with fees, documents and time standards.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entities::{sector, service};
use crate::{
    error::AppError,
    types::{SectorServices, ServiceSummary},
};

pub fn summary(s: service::Model) -> ServiceSummary {
    ServiceSummary {
        documents_km: serde_json::from_str(&s.documents_km).unwrap_or_default(),
        documents_en: serde_json::from_str(&s.documents_en).unwrap_or_default(),
        id: s.id,
        code: s.code,
        sector_id: s.sector_id,
        name_km: s.name_km,
        name_en: s.name_en,
        unit_km: s.unit_km,
        unit_en: s.unit_en,
        fee_riel: s.fee_riel,
        time_standard_days: s.time_standard_days,
        tax_branch: s.tax_branch,
        is_demo: s.is_demo,
    }
}

/// Every sector with its active services, in seed order.
pub async fn sectors_with_services(
    db: &impl ConnectionTrait,
) -> Result<Vec<SectorServices>, AppError> {
    let services = service::Entity::find()
        .filter(service::Column::Active.eq(true))
        .order_by_asc(service::Column::Code)
        .all(db)
        .await?;
    let sectors = sector::Entity::find()
        .order_by_asc(sector::Column::Id)
        .all(db)
        .await?;
    Ok(sectors
        .into_iter()
        .map(|sec| SectorServices {
            services: services
                .iter()
                .filter(|s| s.sector_id == sec.id)
                .cloned()
                .map(summary)
                .collect(),
            id: sec.id,
            code: sec.code,
            name_km: sec.name_km,
            name_en: sec.name_en,
        })
        .collect())
}
