use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "offices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub province_code: String,
    pub name_km: String,
    pub name_en: String,
    pub address_km: String,
    pub address_en: String,
    pub phone: Option<String>,
    pub opening_hours_km: String,
    pub opening_hours_en: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
