use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000004_auth"
    }
}

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    crate::foreign_key(table, column, to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Sessions live in the database so that any server behind the load balancer accepts them.
        // Only a SHA-256 of the cookie's token is stored.
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(string_len_null("ip", 64))
                    .col(string_len_null("user_agent", 300))
                    .foreign_key(&mut fk("sessions", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table("sessions")
                    .col("user_id")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_tokens")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(integer("user_id"))
                    .col(string_len("label", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("api_tokens", "user_id", "users"))
                    .take(),
            )
            .await?;
        // One row holding the newest audit hash: writers lock it, so the chain never forks.
        manager
            .create_table(
                Table::create()
                    .table("audit_head")
                    .col(integer("id").primary_key())
                    .col(big_integer("last_id"))
                    .col(string_len("last_hash", 64))
                    .take(),
            )
            .await?;
        let mut insert = Query::insert();
        insert
            .into_table("audit_head")
            .columns(["id", "last_id", "last_hash"])
            .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()]);
        manager.exec_stmt(insert).await?;
        // Per-IP login throttling that holds across servers.
        manager
            .create_table(
                Table::create()
                    .table("login_attempts")
                    .col(big_pk_auto("id"))
                    .col(string_len("ip", 64))
                    .col(string_len("username", 64))
                    .col(boolean("success"))
                    .col(timestamp_with_time_zone("at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_attempts_ip_at")
                    .table("login_attempts")
                    .col("ip")
                    .col("at")
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["login_attempts", "audit_head", "api_tokens", "sessions"] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
