//! Online payment by KHQR: each office's Bakong account, the payment requests (one per KHQR
//! shown, looked up at the bank by the payload's MD5) and, on `payments`, the channel and the
//! bank's transaction hash. The unique index on that hash is what makes one bank transaction pay
//! at most one case, whichever server or cashier records it first.

use sea_orm_migration::{prelude::*, schema::*};

use crate::foreign_key;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000010_khqr"
    }
}

pub const PAYMENT_CHANNELS: &[&str] = &["cash", "khqr"];
pub const REQUEST_STATES: &[&str] = &["open", "paid", "mismatch", "expired", "closed"];
/// The rollups that count revenue, and now also the part of it paid by KHQR.
const REVENUE_TABLES: [&str; 2] = ["stat_office_month", "stat_service_month"];

fn one_of(column: &'static str, values: &[&str]) -> SimpleExpr {
    Expr::col(Alias::new(column)).is_in(values.iter().copied())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("office_payment_accounts")
                    .col(string_len("office_code", 4).primary_key())
                    .col(string_len("account_id", 32))
                    .col(string_len("merchant_name", 25))
                    .col(string_len("merchant_name_km", 25))
                    .col(string_len("city", 15))
                    .col(string_len_null("merchant_id", 32))
                    .col(string_len_null("acquiring_bank", 32))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .foreign_key(&mut foreign_key(
                        "office_payment_accounts",
                        "office_code",
                        "offices",
                        "code",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("payment_requests")
                    .col(big_pk_auto("id"))
                    .col(big_integer("case_id"))
                    .col(string_len("office_code", 4))
                    .col(big_integer("amount"))
                    .col(string_len("currency", 3))
                    .col(text("payload"))
                    .col(string_len_uniq("md5", 32))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(
                        string_len("state", 8)
                            .default("open")
                            .check(one_of("state", REQUEST_STATES)),
                    )
                    .col(timestamp_with_time_zone("next_check_at"))
                    .col(integer("checks").default(0))
                    .col(string_len_null("bank_hash", 64))
                    .col(big_integer_null("bank_amount"))
                    .col(string_len_null("bank_currency", 3))
                    .col(string_len_null("bank_from_account", 64))
                    .col(timestamp_with_time_zone_null("bank_paid_at"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    .foreign_key(&mut foreign_key(
                        "payment_requests",
                        "case_id",
                        "cases",
                        "id",
                    ))
                    .take(),
            )
            .await?;
        for (name, columns, unique) in [
            (
                "idx_payment_requests_due",
                &["state", "next_check_at"][..],
                false,
            ),
            (
                "idx_payment_requests_case",
                &["case_id", "state"][..],
                false,
            ),
            (
                "idx_payment_requests_office",
                &["office_code", "state"][..],
                false,
            ),
            ("uq_payment_requests_bank_hash", &["bank_hash"][..], true),
        ] {
            let mut index = Index::create();
            index.name(name).table("payment_requests");
            for column in columns {
                index.col(Alias::new(*column));
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.take()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("payments")
                    .add_column(
                        string_len("channel", 4)
                            .default("cash")
                            .check(one_of("channel", PAYMENT_CHANNELS)),
                    )
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("payments")
                    .add_column(string_len_null("reference", 64))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_payments_reference")
                    .table("payments")
                    .col("reference")
                    .unique()
                    .take(),
            )
            .await?;
        // Of the revenue counter beside it, the part paid by KHQR; same type as `revenue`.
        for table in REVENUE_TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(big_integer("revenue_khqr").default(0))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in REVENUE_TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("revenue_khqr")
                        .take(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("uq_payments_reference")
                    .table("payments")
                    .to_owned(),
            )
            .await?;
        for column in ["reference", "channel"] {
            manager
                .alter_table(Table::alter().table("payments").drop_column(column).take())
                .await?;
        }
        for table in ["payment_requests", "office_payment_accounts"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
