//! The working-day calendar as stored: Monday to Friday minus the `holidays` table.

use sea_orm::{ConnectionTrait, EntityTrait};

use super::entities::holiday;
pub use crate::domain::calendar::local_date;
use crate::{domain::Holidays, error::AppError};

pub async fn holidays(db: &impl ConnectionTrait) -> Result<Holidays, AppError> {
    Ok(Holidays::new(
        holiday::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|h| h.day),
    ))
}
