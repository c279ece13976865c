use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quality_audits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    pub quarter: i16,
    pub province_code: Option<String>,
    pub seed: i64,
    pub per_office: i32,
    pub cap: i32,
    pub drawn_by: i32,
    pub created_at: DateTimeUtc,
    pub sample_size: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
