//! Assembles the dashboard: tiles, charts with their tables, the JSON summary and CSV exports,
//! from the figures in `figures` and the names of offices, sectors and services.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

mod backlog;
mod cases_by_sector;
mod monthly;
mod on_time;
mod processing_time;
mod revenue_by_district;
mod top_services;

use monthly::Months;

use super::{
    charts::{horizontal_bars, Bar},
    figures::{self, OfficeFigures},
    rollup::TILE_COLUMNS,
    selection::{Filter, FIRST_YEAR},
};
use crate::{
    backend::{
        auth::CurrentUser,
        entities::{district, office, province, sector, service},
    },
    domain::{Jurisdiction, Stage},
    error::AppError,
    format::{format_number, format_riel},
    i18n::Locale,
    types::stats::{
        ChartView, Dashboard, FilterOptions, MoneyTotals, NamedCode, StageTile, StatsQuery,
        StatsSummary,
    },
};

const TOP_SERVICES: usize = 12;
/// Rows of a chart's table on the page; the CSV has them all.
const TABLE_ROWS_SHOWN: usize = 25;

/// The dashboard's charts, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    RevenueByDistrict,
    CasesBySector,
    TopServices,
    MonthlyCases,
    MonthlyRevenue,
    ProcessingTime,
    OnTime,
    BacklogStage,
    BacklogAge,
}

impl Chart {
    pub const ALL: [Chart; 9] = [
        Chart::RevenueByDistrict,
        Chart::CasesBySector,
        Chart::TopServices,
        Chart::MonthlyCases,
        Chart::MonthlyRevenue,
        Chart::ProcessingTime,
        Chart::OnTime,
        Chart::BacklogStage,
        Chart::BacklogAge,
    ];

    /// The id in export URLs and the page's test ids, so it must never change.
    pub fn id(self) -> &'static str {
        match self {
            Chart::RevenueByDistrict => "revenue-by-district",
            Chart::CasesBySector => "cases-by-sector",
            Chart::TopServices => "top-services",
            Chart::MonthlyCases => "monthly-cases",
            Chart::MonthlyRevenue => "monthly-revenue",
            Chart::ProcessingTime => "processing-time",
            Chart::OnTime => "on-time",
            Chart::BacklogStage => "backlog-stage",
            Chart::BacklogAge => "backlog-age",
        }
    }

    pub fn from_id(id: &str) -> Option<Chart> {
        Chart::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// A table cell: text, or a number kept as a number so the CSV stays machine-readable.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Riel(i64),
    Percent(Option<f64>),
}

impl Cell {
    fn shown(&self, locale: Locale) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => format_number(*n, locale),
            Cell::Riel(n) => format_riel(*n, locale),
            Cell::Percent(p) => percent(*p, locale),
        }
    }

    fn raw(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(n) | Cell::Riel(n) => n.to_string(),
            Cell::Percent(Some(p)) => format!("{p:.1}"),
            Cell::Percent(None) => String::new(),
        }
    }
}

fn percent(p: Option<f64>, locale: Locale) -> String {
    match p {
        Some(p) => {
            let text = format!("{p:.1}%");
            match locale {
                Locale::Km => crate::format::to_khmer_digits(&text),
                Locale::En => text,
            }
        }
        None => "—".into(),
    }
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// A chart's drawing and its whole table, before the page keeps only the first rows.
pub struct ChartData {
    pub id: Chart,
    pub title: String,
    pub note: Option<String>,
    pub svg: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl ChartData {
    fn view(self, locale: Locale) -> ChartView {
        ChartView {
            id: self.id.id().to_string(),
            title: self.title,
            note: self.note,
            svg: self.svg,
            columns: self.columns,
            rows: self
                .rows
                .iter()
                .take(TABLE_ROWS_SHOWN)
                .map(|r| r.iter().map(|c| c.shown(locale)).collect())
                .collect(),
            rows_total: self.rows.len(),
        }
    }

    /// RFC 4180 CSV, UTF-8 with a byte-order mark so that Excel reads the Khmer correctly.
    pub fn csv(&self) -> String {
        fn field(s: &str) -> String {
            // A leading formula character would run in a spreadsheet; quote it as text.
            let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
                format!("'{s}")
            } else {
                s.to_string()
            };
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s
            }
        }
        let mut out = String::from("\u{feff}");
        let header: Vec<String> = self.columns.iter().map(|c| field(c)).collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| field(&c.raw())).collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// Names of the units, sectors and services the charts label.
struct Names {
    districts: HashMap<String, (String, String)>,
    sectors: BTreeMap<i32, (String, String)>,
    services: HashMap<i32, (String, String)>,
}

impl Names {
    async fn load(db: &impl ConnectionTrait) -> Result<Names, AppError> {
        Ok(Names {
            districts: district::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|d| {
                    (
                        d.code,
                        (
                            format!("{}{}", d.type_km, d.name_km),
                            format!("{} {}", d.name_latin, d.type_en),
                        ),
                    )
                })
                .collect(),
            sectors: sector::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|s| (s.id, (s.name_km, s.name_en)))
                .collect(),
            services: service::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|s| (s.id, (s.name_km, s.name_en)))
                .collect(),
        })
    }

    fn district(&self, code: &str, locale: Locale) -> String {
        self.districts
            .get(code)
            .map(|(km, en)| locale.pick(km, en).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    fn sector(&self, id: i32, locale: Locale) -> String {
        self.sectors
            .get(&id)
            .map(|(km, en)| locale.pick(km, en).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn service(&self, id: i32, locale: Locale) -> String {
        self.services
            .get(&id)
            .map(|(km, en)| locale.pick(km, en).to_string())
            .unwrap_or_else(|| id.to_string())
    }
}

fn tiles(total: &OfficeFigures) -> Vec<StageTile> {
    TILE_COLUMNS
        .iter()
        .zip(total.tiles)
        .map(|(column, cases)| StageTile {
            key: column.trim_start_matches("at_").to_string(),
            cases,
        })
        .collect()
}

fn tile_title(key: &str, locale: Locale) -> String {
    match Stage::from_id(key) {
        Some(stage) => locale
            .texts()
            .get(&stage.text_key())
            .unwrap_or(key)
            .to_string(),
        None => locale.texts().stats_tile_rejected.to_string(),
    }
}

/// A link to the dashboard for one district, keeping the period and sector.
fn district_link(query: &StatsQuery, code: &str) -> String {
    let mut q = query.clone();
    q.province = None;
    q.district = Some(code.to_string());
    format!("/stats?{}", q.query_string())
}

/// Which parts of the work to do: a CSV needs one chart's table and no drawing.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    pub chart: Option<Chart>,
    pub draw: bool,
}

/// What the charts read besides their own queries.
struct Context<'a> {
    f: &'a Filter,
    query: &'a StatsQuery,
    locale: Locale,
    names: &'a Names,
    per_office: &'a BTreeMap<String, OfficeFigures>,
    draw: bool,
}

impl Context<'_> {
    fn bars(&self, title: &str, bars: &[Bar], legend: Option<(&str, &str)>) -> String {
        if self.draw {
            horizontal_bars(title, bars, legend)
        } else {
            String::new()
        }
    }
}

async fn charts(
    db: &impl ConnectionTrait,
    f: &Filter,
    query: &StatsQuery,
    locale: Locale,
    names: &Names,
    per_office: &BTreeMap<String, OfficeFigures>,
    want: Want,
) -> Result<Vec<ChartData>, AppError> {
    let cx = Context {
        f,
        query,
        locale,
        names,
        per_office,
        draw: want.draw,
    };
    // Each pair of charts shares one query; the first of the pair runs it for both.
    let mut months = None;
    let mut backlog = None;
    let mut out = Vec::new();
    for chart in Chart::ALL
        .into_iter()
        .filter(|c| want.chart.is_none_or(|w| w == *c))
    {
        out.push(match chart {
            Chart::RevenueByDistrict => revenue_by_district::chart(&cx),
            Chart::CasesBySector => cases_by_sector::chart(db, &cx).await?,
            Chart::TopServices => top_services::chart(db, &cx).await?,
            Chart::MonthlyCases => loaded(&mut months, Months::load(db, f)).await?.cases(&cx),
            Chart::MonthlyRevenue => loaded(&mut months, Months::load(db, f)).await?.revenue(&cx),
            Chart::ProcessingTime => processing_time::chart(db, &cx).await?,
            Chart::OnTime => on_time::chart(&cx),
            Chart::BacklogStage => {
                backlog::by_stage(&cx, loaded(&mut backlog, figures::backlog(db, f)).await?)
            }
            Chart::BacklogAge => {
                backlog::by_age(&cx, loaded(&mut backlog, figures::backlog(db, f)).await?)
            }
        });
    }
    Ok(out)
}

/// The slot's value, loaded into it first if it is empty. A future does nothing until awaited,
/// so `load` queries the database only when the slot is empty.
async fn loaded<T>(
    slot: &mut Option<T>,
    load: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<&T, AppError> {
    match slot {
        Some(value) => Ok(value),
        None => Ok(slot.insert(load.await?)),
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max_chars - 1).collect();
    s.push('…');
    s
}

async fn options(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    f: &Filter,
    names: &Names,
) -> Result<FilterOptions, AppError> {
    let provinces = match user.jurisdiction() {
        Jurisdiction::National => {
            province::Entity::find()
                .order_by_asc(province::Column::Code)
                .all(db)
                .await?
        }
        Jurisdiction::Province(p) => {
            province::Entity::find_by_id(p.as_str().to_string())
                .all(db)
                .await?
        }
        Jurisdiction::Office(o) => {
            province::Entity::find_by_id(o.province().as_str().to_string())
                .all(db)
                .await?
        }
    };
    let mut offices = office::Entity::find()
        .filter(office::Column::Active.eq(true))
        .order_by_asc(office::Column::Code);
    if let Some(p) = &f.province {
        offices = offices.filter(office::Column::ProvinceCode.eq(p.clone()));
    }
    let offices = offices.all(db).await?;
    let offices = offices
        .into_iter()
        .filter(|o| user.covers_office(&o.code))
        .map(|o| {
            let (km, en) = names
                .districts
                .get(&o.code)
                .cloned()
                .unwrap_or_else(|| (o.code.clone(), o.code.clone()));
            NamedCode {
                code: o.code,
                name_km: km,
                name_en: en,
            }
        })
        .collect();
    Ok(FilterOptions {
        years: (FIRST_YEAR.max(f.today.year_ce().1 as i32 - 9)..=f.today.year_ce().1 as i32)
            .rev()
            .collect(),
        provinces: provinces
            .into_iter()
            .map(|p| NamedCode {
                code: p.code,
                name_km: format!("{}{}", p.type_km, p.name_km),
                name_en: p.name_latin,
            })
            .collect(),
        districts: offices,
        sectors: names
            .sectors
            .iter()
            .map(|(id, (km, en))| NamedCode {
                code: id.to_string(),
                name_km: km.clone(),
                name_en: en.clone(),
            })
            .collect(),
    })
}

use chrono::Datelike as _;

/// The whole dashboard for `user`.
pub async fn dashboard(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &StatsQuery,
    locale: Locale,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Dashboard, AppError> {
    let f = super::selection::parse(db, user, query, now).await?;
    let names = Names::load(db).await?;
    let per_office = figures::office_figures(db, &f).await?;
    let total = figures::total_of(&per_office);
    let charts = charts(
        db,
        &f,
        query,
        locale,
        &names,
        &per_office,
        Want {
            chart: None,
            draw: true,
        },
    )
    .await?;
    Ok(Dashboard {
        selection: super::selection::describe(db, &f).await?,
        tiles: tiles(&total),
        money: MoneyTotals {
            receipts: total.receipts,
            revenue: total.revenue,
            revenue_khqr: total.revenue_khqr,
        },
        messages: messages_sent(db, &f).await?,
        total_cases: total.cases(),
        charts: charts.into_iter().map(|c| c.view(locale)).collect(),
        options: options(db, user, &f, &names).await?,
    })
}

/// Messages sent to citizens in the filter's months, from its office, its province or the nation.
async fn messages_sent(
    db: &impl ConnectionTrait,
    f: &super::selection::Filter,
) -> Result<crate::types::stats::MessageTotals, AppError> {
    use crate::{
        backend::entities::office,
        domain::{calendar::from_phnom_penh, notice::NoticeChannel},
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let (first, last) = f.months();
    let start = chrono::NaiveDate::from_ymd_opt(f.year, first, 1).ok_or(AppError::Internal)?;
    let end = if last == 12 {
        chrono::NaiveDate::from_ymd_opt(f.year + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(f.year, last + 1, 1)
    }
    .ok_or(AppError::Internal)?;
    let offices: Option<Vec<String>> = match (&f.office, &f.province) {
        (Some(o), _) => Some(vec![o.clone()]),
        (None, Some(p)) => Some(
            office::Entity::find()
                .select_only()
                .column(office::Column::Code)
                .filter(office::Column::ProvinceCode.eq(p.as_str()))
                .into_tuple()
                .all(db)
                .await?,
        ),
        (None, None) => None,
    };
    let sent = crate::backend::notices::sent_by_channel(
        db,
        offices.as_deref(),
        from_phnom_penh(start.and_hms_opt(0, 0, 0).unwrap_or_default()),
        from_phnom_penh(end.and_hms_opt(0, 0, 0).unwrap_or_default()),
    )
    .await?;
    let count = |channel| {
        sent.iter()
            .find(|(c, _)| *c == channel)
            .map_or(0, |(_, n)| *n)
    };
    Ok(crate::types::stats::MessageTotals {
        sms: count(NoticeChannel::Sms),
        telegram: count(NoticeChannel::Telegram),
    })
}

/// The tiles and the revenue by district, for the JSON API.
pub async fn summary(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &StatsQuery,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<StatsSummary, AppError> {
    let f = super::selection::parse(db, user, query, now).await?;
    let names = Names::load(db).await?;
    let per_office = figures::office_figures(db, &f).await?;
    let total = figures::total_of(&per_office);
    Ok(StatsSummary {
        selection: super::selection::describe(db, &f).await?,
        tiles: tiles(&total),
        money: MoneyTotals {
            receipts: total.receipts,
            revenue: total.revenue,
            revenue_khqr: total.revenue_khqr,
        },
        total_cases: total.cases(),
        revenue_by_district: revenue_by_district::rows(&per_office, &names),
    })
}

/// One chart's table as CSV, with the same filters and scoping as the page.
pub async fn export_csv(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: &str,
    query: &StatsQuery,
    locale: Locale,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    let Some(chart) = Chart::from_id(id) else {
        return Err(AppError::NotFound);
    };
    let f = super::selection::parse(db, user, query, now).await?;
    let names = Names::load(db).await?;
    let per_office = if matches!(chart, Chart::RevenueByDistrict | Chart::OnTime) {
        figures::office_figures(db, &f).await?
    } else {
        BTreeMap::new()
    };
    let found = charts(
        db,
        &f,
        query,
        locale,
        &names,
        &per_office,
        Want {
            chart: Some(chart),
            draw: false,
        },
    )
    .await?;
    found
        .into_iter()
        .find(|c| c.id == chart)
        .map(|c| c.csv())
        .ok_or(AppError::NotFound)
}

/// The tile's name, for pages and exports.
pub fn tile_name(key: &str, locale: Locale) -> String {
    tile_title(key, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_ids_round_trip_and_unknown_ids_are_none() {
        for chart in Chart::ALL {
            assert_eq!(Chart::from_id(chart.id()), Some(chart));
        }
        assert_eq!(Chart::from_id("no-such-chart"), None);
        assert_eq!(Chart::from_id(""), None);
    }

    #[test]
    fn chart_ids_are_unique_and_stay_as_published() {
        let ids = Chart::ALL.map(Chart::id);
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        // Export links and bookmarks carry these ids, and the page shows the charts in this order.
        assert_eq!(
            ids,
            [
                "revenue-by-district",
                "cases-by-sector",
                "top-services",
                "monthly-cases",
                "monthly-revenue",
                "processing-time",
                "on-time",
                "backlog-stage",
                "backlog-age",
            ]
        );
    }

    #[test]
    fn csv_has_a_bom_quotes_and_defuses_formulas() {
        let chart = ChartData {
            id: Chart::OnTime,
            title: String::new(),
            note: None,
            svg: String::new(),
            columns: vec!["ស្រុក".into(), "n".into()],
            rows: vec![
                vec![Cell::Text("a, \"b\"".into()), Cell::Int(-5)],
                vec![Cell::Text("=HYPERLINK(1)".into()), Cell::Percent(None)],
            ],
        };
        assert_eq!(
            chart.csv(),
            "\u{feff}ស្រុក,n\r\n\"a, \"\"b\"\"\",-5\r\n'=HYPERLINK(1),\r\n"
        );
    }

    #[test]
    fn district_links_keep_the_period_and_drop_the_province() {
        let q = StatsQuery {
            year: Some("2026".into()),
            quarter: Some("2".into()),
            province: Some("12".into()),
            sector: Some("".into()),
            ..Default::default()
        };
        assert_eq!(
            district_link(&q, "1201"),
            "/stats?year=2026&quarter=2&district=1201"
        );
    }
}
