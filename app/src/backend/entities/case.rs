use sea_orm::entity::prelude::*;

use crate::domain::{CaseStatus, Channel, Stage};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub pin: String,
    pub province_code: String,
    pub registration_year: i32,
    pub sequence: i32,
    pub office_code: String,
    pub service_id: i32,
    pub sector_id: i32,
    pub applicant_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub quantity: i32,
    pub fee_per_unit: i64,
    pub fee_total: i64,
    pub village_code: Option<String>,
    pub address_detail: Option<String>,
    pub stage: Stage,
    pub status: CaseStatus,
    pub channel: Channel,
    pub version: i32,
    pub registered_at: DateTimeUtc,
    pub accepted_at: Option<DateTimeUtc>,
    pub stage_entered_at: DateTimeUtc,
    pub step_due_on: Option<Date>,
    pub due_on: Date,
    pub paused_since: Option<DateTimeUtc>,
    pub paused_working_days: i32,
    pub delivered_at: Option<DateTimeUtc>,
    pub processing_days: Option<i32>,
    pub receiver_name: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::applicant::Entity",
        from = "Column::ApplicantId",
        to = "super::applicant::Column::Id"
    )]
    Applicant,
    #[sea_orm(
        belongs_to = "super::enterprise::Entity",
        from = "Column::EnterpriseId",
        to = "super::enterprise::Column::Id"
    )]
    Enterprise,
    #[sea_orm(
        belongs_to = "super::service::Entity",
        from = "Column::ServiceId",
        to = "super::service::Column::Id"
    )]
    Service,
}

impl ActiveModelBehavior for ActiveModel {}
