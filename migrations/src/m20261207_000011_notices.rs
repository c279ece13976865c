//! Notices to citizens: each case's contact (language, SMS phone, Telegram chat and start link),
//! the admin's edits of the message templates (the defaults live in the locale files), and the
//! outbox. A notice is written to the outbox in the same transaction as the change it tells of,
//! so a rolled-back action sends nothing, and a message is only ever lost with its cause.

use sea_orm_migration::{prelude::*, schema::*};

use crate::foreign_key;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000011_notices"
    }
}

pub const NOTICE_EVENTS: &[&str] = &[
    "registered",
    "returned",
    "rejected",
    "ready",
    "delivered",
    "complaint_answered",
    "telegram_linked",
    "telegram_link_invalid",
    "stopped",
];
pub const NOTICE_CHANNELS: &[&str] = &["sms", "telegram"];
pub const NOTICE_STATUSES: &[&str] = &["pending", "retrying", "sent", "dead", "no_channel"];
pub const LANGUAGES: &[&str] = &["km", "en"];

fn one_of(column: &'static str, values: &[&str]) -> SimpleExpr {
    Expr::col(Alias::new(column)).is_in(values.iter().copied())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("notice_templates")
                    .col(
                        string_len("event", 24)
                            .primary_key()
                            .check(one_of("event", NOTICE_EVENTS)),
                    )
                    .col(text("body_km"))
                    .col(text("body_en"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer_null("updated_by"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("notice_contacts")
                    .col(big_integer("case_id").primary_key())
                    .col(
                        string_len("language", 2)
                            .default("km")
                            .check(one_of("language", LANGUAGES)),
                    )
                    .col(string_len_null("sms_phone", 16))
                    .col(string_len_null("telegram_chat_id", 32))
                    .col(string_len_null("telegram_token", 48))
                    .col(timestamp_with_time_zone_null("telegram_token_expires_at"))
                    .col(timestamp_with_time_zone_null("stopped_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut foreign_key(
                        "notice_contacts",
                        "case_id",
                        "cases",
                        "id",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("idempotency_key", 96))
                    .col(big_integer_null("case_id"))
                    .col(big_integer_null("complaint_id"))
                    .col(string_len_null("office_code", 4))
                    .col(string_len("event", 24).check(one_of("event", NOTICE_EVENTS)))
                    .col(string_len("channel", 8).check(one_of("channel", NOTICE_CHANNELS)))
                    .col(string_len_null("recipient", 32))
                    .col(string_len("language", 2).check(one_of("language", LANGUAGES)))
                    .col(text("body"))
                    .col(
                        string_len("status", 10)
                            .default("pending")
                            .check(one_of("status", NOTICE_STATUSES)),
                    )
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .take(),
            )
            .await?;
        for (name, columns) in [
            ("idx_outbox_due", &["status", "next_attempt_at"][..]),
            ("idx_outbox_case", &["case_id", "id"][..]),
            ("idx_outbox_office", &["office_code", "status"][..]),
            ("idx_outbox_sent", &["sent_at"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("outbox");
            for column in columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.take()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_notice_contacts_token")
                    .table("notice_contacts")
                    .col("telegram_token")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notice_contacts_chat")
                    .table("notice_contacts")
                    .col("telegram_chat_id")
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["outbox", "notice_contacts", "notice_templates"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
