//! The office directory: one OWSO per district, read with its geography.

use std::collections::HashMap;

use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};

use super::entities::{district, office, province, sector, service};
use crate::{
    error::AppError,
    types::{HomeFigures, OfficeSummary, ProvinceOffices},
};

pub async fn grouped_by_province(
    db: &DatabaseConnection,
) -> Result<Vec<ProvinceOffices>, AppError> {
    let provinces = province::Entity::find()
        .order_by_asc(province::Column::Code)
        .all(db)
        .await?;
    let districts: HashMap<String, district::Model> = district::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), d))
        .collect();
    let offices = office::Entity::find()
        .order_by_asc(office::Column::Code)
        .all(db)
        .await?;

    let mut by_province: HashMap<String, Vec<OfficeSummary>> = HashMap::new();
    for o in offices.into_iter().filter(|o| o.active) {
        let Some(d) = districts.get(&o.code) else {
            continue;
        };
        by_province
            .entry(o.province_code.clone())
            .or_default()
            .push(OfficeSummary {
                code: o.code,
                name_km: o.name_km,
                name_en: o.name_en,
                type_km: d.type_km.clone(),
                type_en: d.type_en.clone(),
                district_km: d.name_km.clone(),
                district_latin: d.name_latin.clone(),
            });
    }
    Ok(provinces
        .into_iter()
        .map(|p| ProvinceOffices {
            offices: by_province.remove(&p.code).unwrap_or_default(),
            code: p.code,
            name_km: p.name_km,
            name_latin: p.name_latin,
        })
        .collect())
}

pub async fn home_figures(db: &DatabaseConnection) -> Result<HomeFigures, AppError> {
    Ok(HomeFigures {
        offices: office::Entity::find().count(db).await?,
        sectors: sector::Entity::find().count(db).await?,
        services: service::Entity::find().count(db).await?,
    })
}
