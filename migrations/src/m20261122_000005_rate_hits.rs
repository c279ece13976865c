use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000005_rate_hits"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Request counters per client and fixed time window, kept in the database so that every
        // server behind the load balancer counts against the same limit.
        manager
            .create_table(
                Table::create()
                    .table("rate_hits")
                    .col(string_len("bucket", 32))
                    .col(string_len("client", 64))
                    .col(big_integer("window_start"))
                    .col(integer("count"))
                    .primary_key(
                        Index::create()
                            .col("bucket")
                            .col("client")
                            .col("window_start"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_rate_hits_window")
                    .table("rate_hits")
                    .col("window_start")
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("rate_hits").take())
            .await
    }
}
