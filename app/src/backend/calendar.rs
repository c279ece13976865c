//! The working-day calendar as stored: Monday to Friday minus the `holidays` table.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::entities::holiday;
use crate::{domain::Holidays, error::AppError};

/// Phnom Penh is UTC+7 all year (no daylight saving).
pub const PHNOM_PENH_OFFSET_SECS: i64 = 7 * 3600;

pub async fn holidays(db: &impl ConnectionTrait) -> Result<Holidays, AppError> {
    Ok(Holidays::new(
        holiday::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|h| h.day),
    ))
}

/// The calendar day in Phnom Penh at a UTC instant; deadlines count local days.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::seconds(PHNOM_PENH_OFFSET_SECS)).date_naive()
}
