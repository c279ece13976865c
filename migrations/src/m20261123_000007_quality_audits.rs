use sea_orm_migration::{prelude::*, schema::*};

use crate::foreign_key as fk;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000007_quality_audits"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per quarterly draw. The seed, n per office and cap are kept so that anyone can
        // draw the same sample again from the same delivered cases.
        manager
            .create_table(
                Table::create()
                    .table("quality_audits")
                    .col(pk_auto("id"))
                    .col(integer("year"))
                    .col(small_integer("quarter"))
                    // NULL: a national sample.
                    .col(string_len_null("province_code", 2))
                    .col(big_integer("seed"))
                    .col(integer("per_office"))
                    .col(integer("cap"))
                    .col(integer("drawn_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(integer("sample_size"))
                    .foreign_key(&mut fk(
                        "quality_audits",
                        "province_code",
                        "provinces",
                        "code",
                    ))
                    .foreign_key(&mut fk("quality_audits", "drawn_by", "users", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_quality_audits_period")
                    .table("quality_audits")
                    .col("year")
                    .col("quarter")
                    .take(),
            )
            .await?;
        // The sampled cases and each one's checklist; NULL answers are not checked (yet).
        manager
            .create_table(
                Table::create()
                    .table("quality_audit_cases")
                    .col(integer("audit_id"))
                    .col(big_integer("case_id"))
                    .col(string_len("office_code", 4))
                    .col(integer_null("assigned_user_id"))
                    .col(boolean_null("fee_correct"))
                    .col(boolean_null("documents_complete"))
                    .col(boolean_null("deadline_met"))
                    .col(boolean_null("data_matches"))
                    .col(boolean_null("citizen_reached"))
                    .col(boolean_null("citizen_satisfied"))
                    .col(text_null("findings"))
                    .col(integer_null("checked_by"))
                    .col(timestamp_with_time_zone_null("checked_at"))
                    .primary_key(Index::create().col("audit_id").col("case_id"))
                    .foreign_key(
                        &mut fk("quality_audit_cases", "audit_id", "quality_audits", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .take(),
                    )
                    .foreign_key(&mut fk("quality_audit_cases", "case_id", "cases", "id"))
                    .foreign_key(&mut fk(
                        "quality_audit_cases",
                        "office_code",
                        "offices",
                        "code",
                    ))
                    .foreign_key(&mut fk(
                        "quality_audit_cases",
                        "assigned_user_id",
                        "users",
                        "id",
                    ))
                    .foreign_key(&mut fk("quality_audit_cases", "checked_by", "users", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_quality_audit_cases_assignee")
                    .table("quality_audit_cases")
                    .col("assigned_user_id")
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["quality_audit_cases", "quality_audits"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
