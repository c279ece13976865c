use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000008_flashes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Short-lived values handed from one request to the next through an HttpOnly cookie that
        // holds only a random handle (the table keeps its SHA-256), so that what they carry, such
        // as the proof that a citizen typed the right PIN, never travels in a URL. In the
        // database rather than in one server's memory, so any server behind the load balancer
        // can read what another wrote.
        manager
            .create_table(
                Table::create()
                    .table("flashes")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(string_len("purpose", 32))
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_flashes_expires_at")
                    .table("flashes")
                    .col("expires_at")
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("flashes").take())
            .await
    }
}
