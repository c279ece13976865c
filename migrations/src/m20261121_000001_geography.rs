use sea_orm_migration::{prelude::*, schema::*};

use crate::reference::{self, GeoUnit};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000001_geography"
    }
}

/// A child level's (parent column, parent table).
type Parent = Option<(&'static str, &'static str)>;

/// (table, parent, code length, gazetteer file)
const LEVELS: [(&str, Parent, u32, &str); 4] = [
    ("provinces", None, 2, reference::PROVINCES_CSV),
    (
        "districts",
        Some(("province_code", "provinces")),
        4,
        reference::DISTRICTS_CSV,
    ),
    (
        "communes",
        Some(("district_code", "districts")),
        6,
        reference::COMMUNES_CSV,
    ),
    (
        "villages",
        Some(("commune_code", "communes")),
        8,
        reference::VILLAGES_CSV,
    ),
];

fn geo_table(
    name: &'static str,
    parent: Option<(&'static str, &'static str)>,
    len: u32,
) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(name)
        .if_not_exists()
        .col(string_len("code", len).primary_key())
        .col(string_len("type_km", 32))
        .col(string_len("type_latin", 32))
        .col(string_len("type_en", 32))
        .col(string_len("name_km", 128))
        .col(string_len("name_latin", 128))
        .col(double_null("lat"))
        .col(double_null("lng"));
    if let Some((column, parent_table)) = parent {
        t.col(string_len(column, len - 2)).foreign_key(
            ForeignKey::create()
                .name(format!("fk_{name}_{column}"))
                .from(name, column)
                .to(parent_table, "code"),
        );
    }
    t.take()
}

fn geo_rows(units: Vec<GeoUnit>, with_parent: bool) -> Vec<Vec<SimpleExpr>> {
    units
        .into_iter()
        .map(|u| {
            let mut row: Vec<SimpleExpr> = vec![
                u.code.into(),
                u.type_km.into(),
                u.type_latin.into(),
                u.type_en.into(),
                u.name_km.into(),
                u.name_latin.into(),
                u.lat.into(),
                u.lng.into(),
            ];
            if with_parent {
                row.push(u.parent_code.into());
            }
            row
        })
        .collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, parent, len, csv_text) in LEVELS {
            manager.create_table(geo_table(table, parent, len)).await?;
            if let Some((column, _)) = parent {
                manager
                    .create_index(
                        Index::create()
                            .name(format!("idx_{table}_{column}"))
                            .table(table)
                            .col(column)
                            .take(),
                    )
                    .await?;
            }
            let mut columns = vec![
                "code",
                "type_km",
                "type_latin",
                "type_en",
                "name_km",
                "name_latin",
                "lat",
                "lng",
            ];
            if let Some((column, _)) = parent {
                columns.push(column);
            }
            let rows = geo_rows(reference::parse_geo(csv_text)?, parent.is_some());
            reference::insert_chunked(manager, table, &columns, rows).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, ..) in LEVELS.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).take())
                .await?;
        }
        Ok(())
    }
}
