use sea_orm::entity::prelude::*;

use crate::types::complaints::ComplaintStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub pin: String,
    pub category: String,
    pub office_code: String,
    pub case_code: Option<String>,
    pub body: String,
    pub phone: Option<String>,
    pub status: ComplaintStatus,
    pub answer: Option<String>,
    pub answered_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub due_on: Date,
    pub answered_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
