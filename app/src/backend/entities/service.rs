use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "services")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub sector_id: i32,
    pub name_km: String,
    pub name_en: String,
    pub unit_km: String,
    pub unit_en: String,
    pub fee_riel: i64,
    pub time_standard_days: i32,
    pub tax_branch: bool,
    pub documents_km: String,
    pub documents_en: String,
    pub is_demo: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
