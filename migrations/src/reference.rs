//! Reference data shipped with the schema: the NCDD gazetteer (MIT, pumi project), the 17 sectors,
//! and Cambodia's public holidays. Loaded by migrations so that every database, demo or not, has it.

use sea_orm_migration::prelude::*;

pub const PROVINCES_CSV: &str = include_str!("../data/gazetteer/provinces.csv");
pub const DISTRICTS_CSV: &str = include_str!("../data/gazetteer/districts.csv");
pub const COMMUNES_CSV: &str = include_str!("../data/gazetteer/communes.csv");
pub const VILLAGES_CSV: &str = include_str!("../data/gazetteer/villages.csv");
pub const HOLIDAYS_CSV: &str = include_str!("../data/holidays.csv");

/// One row of any gazetteer level; the four files share their columns.
pub struct GeoUnit {
    pub code: String,
    pub parent_code: Option<String>,
    pub type_km: String,
    pub type_latin: String,
    pub type_en: String,
    pub name_km: String,
    pub name_latin: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

pub fn parse_geo(csv_text: &str) -> Result<Vec<GeoUnit>, DbErr> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut units = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| DbErr::Custom(format!("gazetteer: {e}")))?;
        let opt = |i: usize| r.get(i).map(str::trim).filter(|s| !s.is_empty());
        units.push(GeoUnit {
            code: r[0].to_string(),
            parent_code: opt(1).map(str::to_string),
            type_km: r[2].to_string(),
            type_latin: r[3].to_string(),
            type_en: r[4].to_string(),
            name_km: r[5].trim().to_string(),
            name_latin: r[6].trim().to_string(),
            lat: opt(7).and_then(|s| s.parse().ok()),
            lng: opt(8).and_then(|s| s.parse().ok()),
        });
    }
    Ok(units)
}

pub struct Holiday {
    pub day: chrono::NaiveDate,
    pub name_km: String,
    pub name_en: String,
}

pub fn parse_holidays() -> Result<Vec<Holiday>, DbErr> {
    let mut reader = csv::Reader::from_reader(HOLIDAYS_CSV.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| DbErr::Custom(format!("holidays: {e}")))?;
        let day = chrono::NaiveDate::parse_from_str(&r[0], "%Y-%m-%d")
            .map_err(|e| DbErr::Custom(format!("holidays: {}: {e}", &r[0])))?;
        out.push(Holiday {
            day,
            name_km: r[1].to_string(),
            name_en: r[2].to_string(),
        });
    }
    Ok(out)
}

/// The 17 sectors in the order of the OWSO seed document: (code, Khmer, English).
pub const SECTORS: [(&str, &str, &str); 17] = [
    ("TOU", "ទេសចរណ៍", "Tourism"),
    ("CUL", "វប្បធម៌ និងវិចិត្រសិល្បៈ", "Culture and Fine Arts"),
    ("COM", "ពាណិជ្ជកម្ម", "Commerce"),
    ("PWT", "សាធារណការ និងដឹកជញ្ជូន", "Public Works and Transport"),
    ("IND", "ឧស្សាហកម្ម និងសិប្បកម្ម", "Industry and Handicraft"),
    ("CON", "សំណង់", "Construction"),
    ("AGR", "កសិកម្ម", "Agriculture"),
    ("HEA", "សុខាភិបាល", "Health"),
    ("EDU", "អប់រំ យុវជន និងកីឡា", "Education, Youth and Sport"),
    ("MIN", "រ៉ែ និងថាមពល", "Mines and Energy"),
    ("ENV", "បរិស្ថាន", "Environment"),
    ("LAB", "ការងារ", "Labour"),
    ("REL", "ធម្មការ និងសាសនា", "Cults and Religion"),
    ("CIV", "ការងារអត្រានុកូលដ្ឋាន", "Civil Registration"),
    ("LEG", "ការងារនីត្យានុកូលកម្ម", "Legalization"),
    ("ADM", "ការងាររដ្ឋបាល", "Administrative Affairs"),
    (
        "LND",
        "ការផ្ទេរសិទ្ធិកាន់កាប់អចលនទ្រព្យដែលមិនទាន់ចុះបញ្ជី",
        "Transfer of possession of unregistered immovable property",
    ),
];

/// Inserts rows in chunks so that no statement passes SQLite's bound-parameter limit.
pub async fn insert_chunked(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Vec<SimpleExpr>>,
) -> Result<(), DbErr> {
    let per_statement = (30_000 / columns.len().max(1)).clamp(1, 1_000);
    for chunk in rows.chunks(per_statement) {
        let mut insert = Query::insert();
        insert.into_table(table).columns(columns.iter().copied());
        for row in chunk {
            insert
                .values(row.clone())
                .map_err(|e| DbErr::Custom(e.to_string()))?;
        }
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}
