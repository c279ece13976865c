use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "applicants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name_km: String,
    pub name_latin: String,
    pub sex: String,
    pub date_of_birth: Option<Date>,
    pub place_of_birth: Option<String>,
    pub phone: Option<String>,
    pub id_card_number: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
