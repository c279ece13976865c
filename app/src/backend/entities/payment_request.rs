use sea_orm::entity::prelude::*;

use crate::domain::khqr::RequestState;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub office_code: String,
    pub amount: i64,
    pub currency: String,
    pub payload: String,
    pub md5: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub state: RequestState,
    pub next_check_at: DateTimeUtc,
    pub checks: i32,
    pub bank_hash: Option<String>,
    pub bank_amount: Option<i64>,
    pub bank_currency: Option<String>,
    pub bank_from_account: Option<String>,
    pub bank_paid_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
