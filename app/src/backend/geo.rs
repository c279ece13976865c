//! Address choices from the gazetteer, one level at a time.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entities::{commune, district, province, village};
use crate::{
    error::AppError,
    types::{GeoChoices, GeoOption},
};

/// The provinces, and the children of each level already chosen. A child code that does not
/// belong to its parent is ignored, so a stale form never mixes provinces.
pub async fn choices(
    db: &impl ConnectionTrait,
    province_code: Option<&str>,
    district_code: Option<&str>,
    commune_code: Option<&str>,
) -> Result<GeoChoices, AppError> {
    let opt = |code: String, km: String, latin: String| GeoOption {
        code,
        name_km: km,
        name_latin: latin,
    };
    let mut out = GeoChoices {
        provinces: province::Entity::find()
            .order_by_asc(province::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|p| opt(p.code, p.name_km, p.name_latin))
            .collect(),
        ..Default::default()
    };
    let Some(p) = province_code.filter(|p| out.provinces.iter().any(|o| o.code == *p)) else {
        return Ok(out);
    };
    out.districts = district::Entity::find()
        .filter(district::Column::ProvinceCode.eq(p))
        .order_by_asc(district::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|d| {
            opt(
                d.code,
                typed(&d.type_km, &d.name_km, ""),
                typed(&d.type_latin, &d.name_latin, " "),
            )
        })
        .collect();
    let Some(d) = district_code.filter(|d| out.districts.iter().any(|o| o.code == *d)) else {
        return Ok(out);
    };
    out.communes = commune::Entity::find()
        .filter(commune::Column::DistrictCode.eq(d))
        .order_by_asc(commune::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            opt(
                c.code,
                typed(&c.type_km, &c.name_km, ""),
                typed(&c.type_latin, &c.name_latin, " "),
            )
        })
        .collect();
    let Some(c) = commune_code.filter(|c| out.communes.iter().any(|o| o.code == *c)) else {
        return Ok(out);
    };
    out.villages = village::Entity::find()
        .filter(village::Column::CommuneCode.eq(c))
        .order_by_asc(village::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|v| {
            opt(
                v.code,
                typed(&v.type_km, &v.name_km, ""),
                typed(&v.type_latin, &v.name_latin, " "),
            )
        })
        .collect();
    Ok(out)
}

/// A unit's name with its type ("ភូមិ", "Phum") in front, once: some villages are named after
/// their type ("ភូមិ ១", "Phum 1"), and those read wrong with the type said twice.
pub(crate) fn typed(unit_type: &str, name: &str, separator: &str) -> String {
    if name.starts_with(unit_type) {
        name.to_string()
    } else {
        format!("{unit_type}{separator}{name}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_type_is_said_once() {
        assert_eq!(super::typed("ភូមិ", "ភូមិ ១", ""), "ភូមិ ១");
        assert_eq!(super::typed("ភូមិ", "អូរធំ", ""), "ភូមិអូរធំ");
        assert_eq!(super::typed("Phum", "Phum 1", " "), "Phum 1");
        assert_eq!(super::typed("Phum", "Ou Thum", " "), "Phum Ou Thum");
    }
}
