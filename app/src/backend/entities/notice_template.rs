use sea_orm::entity::prelude::*;

use crate::domain::notice::NoticeEvent;

/// An admin's edit of an event's template; without a row the locale files' default is used.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_templates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event: NoticeEvent,
    pub body_km: String,
    pub body_en: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
