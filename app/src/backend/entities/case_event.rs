use sea_orm::entity::prelude::*;

use crate::domain::{workflow::CaseEventKind, CaseStatus, Stage};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub seq: i32,
    pub action: CaseEventKind,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    pub status_after: CaseStatus,
    pub actor_user_id: Option<i32>,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
