//! The public catalogue and office pages: services by sector or by search, one service, one
//! office with its scorecard (see `scorecard`). Nothing here needs a signed-in user.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::{
    catalogue::summary,
    entities::{district, office, province, sector, service},
    track::contact,
};
use crate::{
    error::AppError,
    types::{Catalogue, OfficePage, SectorCount, ServicePage},
};

pub const MAX_QUERY_CHARS: usize = 100;
/// Enough for every service of the demo catalogue; a search never lists more.
pub const MAX_RESULTS: u64 = 200;

/// Every sector with its number of active services.
pub async fn sector_counts(db: &impl ConnectionTrait) -> Result<Vec<SectorCount>, AppError> {
    let services: Vec<i32> = service::Entity::find()
        .select_only()
        .column(service::Column::SectorId)
        .filter(service::Column::Active.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(sector::Entity::find()
        .order_by_asc(sector::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SectorCount {
            services: services.iter().filter(|id| **id == s.id).count() as u64,
            id: s.id,
            name_km: s.name_km,
            name_en: s.name_en,
        })
        .collect())
}

/// The catalogue's sectors, and the active services of one sector or matching a search, or none
/// when neither is asked. The search matches Khmer or English names and codes; Khmer has no
/// letter case, and English is compared in lower case on both engines.
pub async fn catalogue(
    db: &impl ConnectionTrait,
    query: Option<&str>,
    sector_id: Option<i32>,
) -> Result<Catalogue, AppError> {
    let sectors = sector_counts(db).await?;
    let query = query
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| q.chars().take(MAX_QUERY_CHARS).collect::<String>());
    let mut condition = Condition::all().add(service::Column::Active.eq(true));
    match (&query, sector_id) {
        (None, None) => {
            return Ok(Catalogue {
                sectors,
                services: Vec::new(),
            })
        }
        (Some(q), _) => {
            // Wildcards typed by the user are taken literally by dropping them.
            let q = q.replace(['%', '_', '\\'], "");
            let like = format!("%{}%", q.to_lowercase());
            condition = condition.add(
                Condition::any()
                    .add(service::Column::NameKm.like(format!("%{q}%")))
                    .add(Expr::expr(Func::lower(Expr::col(service::Column::NameEn))).like(&like))
                    .add(Expr::expr(Func::lower(Expr::col(service::Column::Code))).like(&like)),
            );
        }
        (None, Some(_)) => {}
    }
    if let Some(id) = sector_id {
        condition = condition.add(service::Column::SectorId.eq(id));
    }
    let services = service::Entity::find()
        .filter(condition)
        .order_by_asc(service::Column::Code)
        .limit(MAX_RESULTS)
        .all(db)
        .await?
        .into_iter()
        .map(summary)
        .collect();
    Ok(Catalogue { sectors, services })
}

/// One active service by numeric id or by code (`LAB-003`), with where it is offered.
pub async fn service_page(db: &impl ConnectionTrait, key: &str) -> Result<ServicePage, AppError> {
    let key = key.trim();
    let by = match key.parse::<i32>() {
        Ok(id) => service::Column::Id.eq(id),
        Err(_) => service::Column::Code.eq(key.to_uppercase()),
    };
    let svc = service::Entity::find()
        .filter(by)
        .filter(service::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let sec = sector::Entity::find_by_id(svc.sector_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(ServicePage {
        service: summary(svc),
        sector_name_km: sec.name_km,
        sector_name_en: sec.name_en,
        office_count: office::Entity::find()
            .filter(office::Column::Active.eq(true))
            .count(db)
            .await?,
    })
}

/// An office's public page: contact, place, services and scorecard.
pub async fn office_page(
    db: &impl ConnectionTrait,
    code: &str,
    now: DateTime<Utc>,
) -> Result<OfficePage, AppError> {
    let code = crate::domain::DistrictCode::parse(code).map_err(|_| AppError::NotFound)?;
    let off = office::Entity::find_by_id(code.as_str().to_string())
        .one(db)
        .await?
        .filter(|o| o.active)
        .ok_or(AppError::NotFound)?;
    let dis = district::Entity::find_by_id(off.code.clone())
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let pro = province::Entity::find_by_id(off.province_code.clone())
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(OfficePage {
        scorecard: super::scorecard::office_scorecard(db, &off.code, now).await?,
        sectors: sector_counts(db).await?,
        office: contact(off),
        district_km: format!("{}{}", dis.type_km, dis.name_km),
        district_latin: format!("{} {}", dis.type_latin, dis.name_latin),
        province_km: format!("{}{}", pro.type_km, pro.name_km),
        province_latin: format!("{} {}", pro.type_latin, pro.name_latin),
    })
}
