use sea_orm::entity::prelude::*;

use crate::domain::khqr::PaymentChannel;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub office_code: String,
    pub year: i32,
    pub receipt_seq: i32,
    pub receipt_number: String,
    pub amount: i64,
    pub cashier_user_id: Option<i32>,
    pub paid_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<i32>,
    pub cancel_reason: Option<String>,
    pub channel: PaymentChannel,
    /// The bank's transaction hash of a KHQR payment; unique, so it pays one case at most.
    pub reference: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The payments in force: a cancelled one no longer counts for the case, its receipt or revenue.
pub fn is_live() -> sea_orm::sea_query::SimpleExpr {
    Column::CancelledAt.is_null()
}
