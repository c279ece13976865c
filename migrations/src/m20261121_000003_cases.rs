use sea_orm_migration::{prelude::*, schema::*};

use crate::foreign_key as fk;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000003_cases"
    }
}

fn index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in columns {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    i.take()
}

/// Tables in creation order; `down` drops them in reverse.
const TABLES: [&str; 13] = [
    "applicants",
    "enterprises",
    "users",
    "user_sectors",
    "case_sequences",
    "cases",
    "case_events",
    "receipt_sequences",
    "payments",
    "feedback",
    "complaints",
    "audit_log",
    "complaint_sequences",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table("applicants")
                .col(big_pk_auto("id"))
                .col(string_len("name_km", 200))
                .col(string_len("name_latin", 200))
                .col(string_len("sex", 1))
                .col(date_null("date_of_birth"))
                .col(string_len_null("place_of_birth", 200))
                .col(string_len_null("phone", 20))
                .col(string_len_null("id_card_number", 20))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
            Table::create()
                .table("enterprises")
                .col(big_pk_auto("id"))
                .col(string_len("name_km", 300))
                .col(string_len("name_latin", 300))
                .col(string_len_null("registration_number", 40))
                .col(string_len_null("phone", 20))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
            Table::create()
                .table("users")
                .col(pk_auto("id"))
                .col(string_len_uniq("username", 64))
                .col(string_len("password_hash", 200))
                .col(string_len("full_name", 200))
                .col(string_len("role", 32))
                .col(string_len_null("office_code", 4))
                .col(string_len_null("province_code", 2))
                .col(boolean("active").default(true))
                .col(integer("failed_logins").default(0))
                .col(timestamp_with_time_zone_null("first_failed_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("users", "office_code", "offices", "code"))
                .foreign_key(&mut fk("users", "province_code", "provinces", "code"))
                .take(),
            Table::create()
                .table("user_sectors")
                .col(integer("user_id"))
                .col(integer("sector_id"))
                .primary_key(Index::create().col("user_id").col("sector_id"))
                .foreign_key(
                    &mut fk("user_sectors", "user_id", "users", "id")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("user_sectors", "sector_id", "sectors", "id"))
                .take(),
            Table::create()
                .table("case_sequences")
                .col(string_len("province_code", 2))
                .col(integer("year"))
                .col(integer("last_value"))
                .primary_key(Index::create().col("province_code").col("year"))
                .take(),
            Table::create()
                .table("cases")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("code", 10))
                .col(string_len("pin", 6))
                .col(string_len("province_code", 2))
                .col(integer("registration_year"))
                .col(integer("sequence"))
                .col(string_len("office_code", 4))
                .col(integer("service_id"))
                .col(integer("sector_id"))
                .col(big_integer_null("applicant_id"))
                .col(big_integer_null("enterprise_id"))
                .col(integer("quantity"))
                .col(big_integer("fee_per_unit"))
                .col(big_integer("fee_total"))
                .col(string_len_null("village_code", 8))
                .col(string_len_null("address_detail", 300))
                .col(string_len("stage", 24))
                .col(string_len("status", 24))
                .col(string_len("channel", 16).default("counter"))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("registered_at"))
                .col(timestamp_with_time_zone_null("accepted_at"))
                .col(timestamp_with_time_zone("stage_entered_at"))
                .col(date_null("step_due_on"))
                .col(date("due_on"))
                .col(timestamp_with_time_zone_null("paused_since"))
                .col(integer("paused_working_days").default(0))
                .col(timestamp_with_time_zone_null("delivered_at"))
                .col(string_len_null("receiver_name", 200))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("cases", "office_code", "offices", "code"))
                .foreign_key(&mut fk("cases", "service_id", "services", "id"))
                .foreign_key(&mut fk("cases", "sector_id", "sectors", "id"))
                .foreign_key(&mut fk("cases", "applicant_id", "applicants", "id"))
                .foreign_key(&mut fk("cases", "enterprise_id", "enterprises", "id"))
                .foreign_key(&mut fk("cases", "village_code", "villages", "code"))
                .take(),
            Table::create()
                .table("case_events")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(integer("seq"))
                .col(string_len("action", 24))
                .col(string_len_null("from_stage", 24))
                .col(string_len_null("to_stage", 24))
                .col(string_len("status_after", 24))
                .col(integer_null("actor_user_id"))
                .col(string_len_null("actor_name", 200))
                .col(text_null("comment"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("case_events", "case_id", "cases", "id"))
                .take(),
            Table::create()
                .table("receipt_sequences")
                .col(string_len("office_code", 4))
                .col(integer("year"))
                .col(integer("last_value"))
                .primary_key(Index::create().col("office_code").col("year"))
                .take(),
            Table::create()
                .table("payments")
                .col(big_pk_auto("id"))
                .col(big_integer("case_id"))
                .col(string_len("office_code", 4))
                .col(integer("year"))
                .col(integer("receipt_seq"))
                .col(string_len_uniq("receipt_number", 20))
                .col(big_integer("amount"))
                .col(integer_null("cashier_user_id"))
                .col(timestamp_with_time_zone("paid_at"))
                .col(timestamp_with_time_zone_null("cancelled_at"))
                .col(integer_null("cancelled_by"))
                .col(text_null("cancel_reason"))
                .foreign_key(&mut fk("payments", "case_id", "cases", "id"))
                .take(),
            Table::create()
                .table("feedback")
                .col(big_pk_auto("id"))
                .col(big_integer_uniq("case_id"))
                .col(string_len("office_code", 4))
                .col(small_integer("rating"))
                .col(text_null("comment"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("feedback", "case_id", "cases", "id"))
                .take(),
            Table::create()
                .table("complaints")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("number", 16))
                .col(string_len("pin", 6))
                .col(string_len("category", 24))
                .col(string_len("office_code", 4))
                .col(string_len_null("case_code", 10))
                .col(text("body"))
                .col(string_len_null("phone", 20))
                .col(string_len("status", 16))
                .col(text_null("answer"))
                .col(integer_null("answered_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(date("due_on"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(&mut fk("complaints", "office_code", "offices", "code"))
                .take(),
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(integer_null("actor_user_id"))
                .col(string_len_null("actor_name", 200))
                .col(string_len_null("ip", 64))
                .col(string_len("action", 64))
                .col(string_len("entity", 32))
                .col(string_len_null("entity_id", 64))
                .col(text_null("before_json"))
                .col(text_null("after_json"))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .take(),
            Table::create()
                .table("complaint_sequences")
                .col(integer("year").primary_key())
                .col(integer("last_value"))
                .take(),
        ];
        for t in tables {
            manager.create_table(t).await?;
        }
        let indexes = [
            index("applicants", "idx_applicants_phone", &["phone"], false),
            index(
                "cases",
                "idx_cases_office_stage_due",
                &["office_code", "stage", "step_due_on"],
                false,
            ),
            index(
                "cases",
                "idx_cases_registered_at",
                &["registered_at"],
                false,
            ),
            index("cases", "idx_cases_applicant", &["applicant_id"], false),
            index("cases", "idx_cases_enterprise", &["enterprise_id"], false),
            index(
                "case_events",
                "uq_case_events_case_seq",
                &["case_id", "seq"],
                true,
            ),
            index(
                "payments",
                "uq_payments_office_year_seq",
                &["office_code", "year", "receipt_seq"],
                true,
            ),
            index("payments", "idx_payments_case", &["case_id"], false),
            index(
                "complaints",
                "idx_complaints_office",
                &["office_code", "status"],
                false,
            ),
        ];
        for i in indexes {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).take())
                .await?;
        }
        Ok(())
    }
}
