use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "office_payment_accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub office_code: String,
    pub account_id: String,
    pub merchant_name: String,
    pub merchant_name_km: String,
    pub city: String,
    pub merchant_id: Option<String>,
    pub acquiring_bank: Option<String>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
