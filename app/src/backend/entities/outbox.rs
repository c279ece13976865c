use sea_orm::entity::prelude::*;

use crate::domain::notice::{NoticeChannel, NoticeEvent, NoticeStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub idempotency_key: String,
    pub case_id: Option<i64>,
    pub complaint_id: Option<i64>,
    pub office_code: Option<String>,
    pub event: NoticeEvent,
    pub channel: NoticeChannel,
    /// The phone (`0…`) or Telegram chat; removed 90 days after the message is sent.
    pub recipient: Option<String>,
    pub language: String,
    pub body: String,
    pub status: NoticeStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A sender holds the message until then; after, another may take it.
    pub claimed_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
