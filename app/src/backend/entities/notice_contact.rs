use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notice_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    pub language: String,
    /// None when the applicant gave no phone or declined SMS.
    pub sms_phone: Option<String>,
    pub telegram_chat_id: Option<String>,
    /// The one-time `start` parameter of the case's Telegram link.
    pub telegram_token: Option<String>,
    pub telegram_token_expires_at: Option<DateTimeUtc>,
    pub stopped_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
