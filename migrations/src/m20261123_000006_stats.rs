use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_stats"
    }
}

/// The dashboard's tiles: one column per stage, plus rejected cases, counted by registration month.
pub const STAGE_COLUMNS: [&str; 11] = [
    "at_registration",
    "at_cashier",
    "at_chief_check",
    "at_technical_review",
    "at_chief_opinion",
    "at_director_opinion",
    "at_decision",
    "at_tax_branch",
    "at_returned",
    "at_delivered",
    "rejected",
];

const TABLES: [&str; 5] = [
    "stat_office_month",
    "stat_service_month",
    "stat_duration",
    "stat_backlog",
    "stat_citizen_month",
];

fn counter(name: &'static str) -> ColumnDef {
    big_integer(name).default(0).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Working days from acceptance to delivery, less time with the citizen: fixed when the
        // case is delivered, so that rollups can be recomputed without a holiday calendar.
        manager
            .alter_table(
                Table::alter()
                    .table("cases")
                    .add_column(integer_null("processing_days"))
                    .take(),
            )
            .await?;

        // Per office, sector and month: the tiles (by registration month), receipts and revenue
        // (by payment month) and completions (by delivery month). Small enough that a national
        // year reads a few tens of thousands of rows, whatever the number of cases.
        let mut office_month = Table::create();
        office_month
            .table("stat_office_month")
            .col(integer("year"))
            .col(small_integer("month"))
            .col(string_len("office_code", 4))
            .col(integer("sector_id"))
            .col(string_len("province_code", 2));
        for c in STAGE_COLUMNS {
            office_month.col(counter(c));
        }
        for c in [
            "receipts",
            "revenue",
            "completed",
            "completed_on_time",
            "processing_days_sum",
        ] {
            office_month.col(counter(c));
        }
        office_month.primary_key(
            Index::create()
                .col("year")
                .col("month")
                .col("office_code")
                .col("sector_id"),
        );
        manager.create_table(office_month.take()).await?;

        // Per service, kept at three levels (`scope` is an office code, a province code or
        // `KH`) so that a national or provincial question reads only its own rows.
        let mut service_month = Table::create();
        service_month
            .table("stat_service_month")
            .col(string_len("scope", 4))
            .col(integer("year"))
            .col(small_integer("month"))
            .col(integer("service_id"))
            .col(integer("sector_id"));
        for c in [
            "registered",
            "receipts",
            "revenue",
            "completed",
            "completed_on_time",
        ] {
            service_month.col(counter(c));
        }
        service_month.primary_key(
            Index::create()
                .col("scope")
                .col("year")
                .col("month")
                .col("service_id"),
        );
        manager.create_table(service_month.take()).await?;

        // Completed cases by working days taken: medians and percentiles without the cases.
        manager
            .create_table(
                Table::create()
                    .table("stat_duration")
                    .col(string_len("scope", 4))
                    .col(integer("year"))
                    .col(small_integer("month"))
                    .col(integer("service_id"))
                    .col(integer("days"))
                    .col(integer("sector_id"))
                    .col(counter("cases"))
                    .primary_key(
                        Index::create()
                            .col("scope")
                            .col("year")
                            .col("month")
                            .col("service_id")
                            .col("days"),
                    )
                    .take(),
            )
            .await?;

        // Open cases by stage and registration day: the backlog's age is computed when read.
        manager
            .create_table(
                Table::create()
                    .table("stat_backlog")
                    .col(string_len("scope", 4))
                    .col(integer("sector_id"))
                    .col(string_len("stage", 24))
                    .col(date("registered_on"))
                    .col(counter("cases"))
                    .primary_key(
                        Index::create()
                            .col("scope")
                            .col("registered_on")
                            .col("sector_id")
                            .col("stage"),
                    )
                    .take(),
            )
            .await?;

        // Ratings (by rating month) and complaints (by filing month) per office.
        manager
            .create_table(
                Table::create()
                    .table("stat_citizen_month")
                    .col(integer("year"))
                    .col(small_integer("month"))
                    .col(string_len("office_code", 4))
                    .col(string_len("province_code", 2))
                    .col(counter("ratings"))
                    .col(counter("rating_sum"))
                    .col(counter("complaints"))
                    .col(counter("complaints_resolved"))
                    .primary_key(Index::create().col("year").col("month").col("office_code"))
                    .take(),
            )
            .await?;

        for (table, name, cols) in [
            (
                "stat_office_month",
                "idx_stat_office_month_province",
                &["province_code", "year", "month"][..],
            ),
            (
                "stat_office_month",
                "idx_stat_office_month_office",
                &["office_code", "year", "month"][..],
            ),
            (
                "stat_citizen_month",
                "idx_stat_citizen_month_office",
                &["office_code", "year", "month"][..],
            ),
        ] {
            let mut i = Index::create();
            i.name(name).table(table);
            for c in cols {
                i.col(*c);
            }
            manager.create_index(i.take()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            manager.drop_table(Table::drop().table(t).take()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("cases")
                    .drop_column("processing_days")
                    .take(),
            )
            .await
    }
}
