use std::collections::HashMap;

use sea_orm_migration::{prelude::*, schema::*};

use crate::{foreign_key as fk, reference};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000002_catalogue"
    }
}

/// The civil-service opening hours every OWSO keeps (Monday to Friday, with a midday break).
const HOURS_KM: &str = "ច័ន្ទ–សុក្រ ៧:៣០–១១:៣០ និង ១៤:០០–១៧:០០";
const HOURS_EN: &str = "Mon–Fri 07:30–11:30 and 14:00–17:00";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sectors")
                    .col(integer("id").primary_key())
                    .col(string_len_uniq("code", 3))
                    .col(string_len("name_km", 128))
                    .col(string_len("name_en", 128))
                    .take(),
            )
            .await?;
        let sector_rows = reference::SECTORS
            .iter()
            .enumerate()
            .map(|(i, (code, km, en))| {
                vec![
                    ((i + 1) as i32).into(),
                    (*code).into(),
                    (*km).into(),
                    (*en).into(),
                ]
            })
            .collect();
        reference::insert_chunked(
            manager,
            "sectors",
            &["id", "code", "name_km", "name_en"],
            sector_rows,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("offices")
                    .col(string_len("code", 4).primary_key())
                    .col(string_len("province_code", 2))
                    .col(string_len("name_km", 200))
                    .col(string_len("name_en", 200))
                    .col(string_len("address_km", 300))
                    .col(string_len("address_en", 300))
                    .col(string_len_null("phone", 32))
                    .col(string_len("opening_hours_km", 120))
                    .col(string_len("opening_hours_en", 120))
                    .col(double_null("lat"))
                    .col(double_null("lng"))
                    .col(boolean("active").default(true))
                    .foreign_key(&mut fk("offices", "code", "districts", "code"))
                    .foreign_key(&mut fk("offices", "province_code", "provinces", "code"))
                    .take(),
            )
            .await?;
        let provinces: HashMap<String, reference::GeoUnit> =
            reference::parse_geo(reference::PROVINCES_CSV)?
                .into_iter()
                .map(|p| (p.code.clone(), p))
                .collect();
        let mut office_rows = Vec::new();
        for d in reference::parse_geo(reference::DISTRICTS_CSV)? {
            let province_code = d.parent_code.clone().unwrap_or_default();
            let province = provinces
                .get(&province_code)
                .ok_or_else(|| DbErr::Custom(format!("district {} has no province", d.code)))?;
            let row: Vec<SimpleExpr> = vec![
                d.code.clone().into(),
                province_code.into(),
                format!("ការិយាល័យច្រកចេញចូលតែមួយ{}{}", d.type_km, d.name_km).into(),
                format!("One Window Service Office, {} {}", d.name_latin, d.type_en).into(),
                format!(
                    "សាលា{}{} {}{}",
                    d.type_km, d.name_km, province.type_km, province.name_km
                )
                .into(),
                format!(
                    "{} {} Hall, {} {}",
                    d.name_latin, d.type_en, province.name_latin, province.type_en
                )
                .into(),
                HOURS_KM.into(),
                HOURS_EN.into(),
                d.lat.into(),
                d.lng.into(),
            ];
            office_rows.push(row);
        }
        reference::insert_chunked(
            manager,
            "offices",
            &[
                "code",
                "province_code",
                "name_km",
                "name_en",
                "address_km",
                "address_en",
                "opening_hours_km",
                "opening_hours_en",
                "lat",
                "lng",
            ],
            office_rows,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("services")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("code", 16))
                    .col(integer("sector_id"))
                    .col(string_len("name_km", 400))
                    .col(string_len("name_en", 400))
                    .col(string_len("unit_km", 64))
                    .col(string_len("unit_en", 64))
                    .col(big_integer("fee_riel"))
                    .col(integer("time_standard_days"))
                    .col(boolean("tax_branch"))
                    .col(text("documents_km"))
                    .col(text("documents_en"))
                    .col(boolean("is_demo").default(false))
                    .col(boolean("active").default(true))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("services", "sector_id", "sectors", "id"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_services_sector")
                    .table("services")
                    .col("sector_id")
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("workflow_steps")
                    .col(pk_auto("id"))
                    .col(integer("service_id"))
                    .col(integer("position"))
                    .col(string_len("stage", 24))
                    .col(integer("working_days"))
                    .foreign_key(
                        &mut fk("workflow_steps", "service_id", "services", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .take(),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_workflow_steps_service_position")
                    .table("workflow_steps")
                    .col("service_id")
                    .col("position")
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("holidays")
                    .col(date("day").primary_key())
                    .col(string_len("name_km", 200))
                    .col(string_len("name_en", 200))
                    .take(),
            )
            .await?;
        let holiday_rows = reference::parse_holidays()?
            .into_iter()
            .map(|h| vec![h.day.into(), h.name_km.into(), h.name_en.into()])
            .collect();
        reference::insert_chunked(
            manager,
            "holidays",
            &["day", "name_km", "name_en"],
            holiday_rows,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "holidays",
            "workflow_steps",
            "services",
            "offices",
            "sectors",
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
