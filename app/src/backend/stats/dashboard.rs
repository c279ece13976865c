//! Assembles the dashboard: tiles, charts with their tables, the JSON summary and CSV exports,
//! from the figures in `figures` and the names of offices, sectors and services.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    charts::{horizontal_bars, monthly_lines, Bar},
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
        ChartView, Dashboard, DistrictRevenue, FilterOptions, MoneyTotals, NamedCode, StageTile,
        StatsQuery, StatsSummary,
    },
};

/// Districts shown by name in the revenue chart; the rest are summed as "others".
const TOP_DISTRICTS: usize = 20;
const TOP_SERVICES: usize = 12;
const WORST_OFFICES: usize = 20;
const MIN_COMPLETED_FOR_RATE: i64 = 5;
/// Rows of a chart's table on the page; the CSV has them all.
const TABLE_ROWS_SHOWN: usize = 25;

pub const CHART_IDS: [&str; 9] = [
    "revenue-by-district",
    "cases-by-sector",
    "top-services",
    "monthly-cases",
    "monthly-revenue",
    "processing-time",
    "on-time",
    "backlog-stage",
    "backlog-age",
];

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

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub note: Option<String>,
    pub svg: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Chart {
    fn view(self, locale: Locale) -> ChartView {
        ChartView {
            id: self.id.to_string(),
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

fn revenue_by_district(
    per_office: &BTreeMap<String, OfficeFigures>,
    names: &Names,
) -> Vec<DistrictRevenue> {
    let mut rows: Vec<DistrictRevenue> = per_office
        .iter()
        .map(|(code, f)| {
            let (km, en) = names
                .districts
                .get(code)
                .cloned()
                .unwrap_or_else(|| (code.clone(), code.clone()));
            DistrictRevenue {
                code: code.clone(),
                name_km: km,
                name_en: en,
                receipts: f.receipts,
                revenue: f.revenue,
            }
        })
        .filter(|r| r.revenue != 0 || r.receipts != 0)
        .collect();
    rows.sort_by(|a, b| b.revenue.cmp(&a.revenue).then(a.code.cmp(&b.code)));
    rows
}

/// Which parts of the work to do: a CSV needs one chart's table and no drawing.
#[derive(Debug, Clone, Copy)]
pub struct Want<'a> {
    pub chart: Option<&'a str>,
    pub draw: bool,
}

async fn charts(
    db: &impl ConnectionTrait,
    f: &Filter,
    query: &StatsQuery,
    locale: Locale,
    names: &Names,
    per_office: &BTreeMap<String, OfficeFigures>,
    want: Want<'_>,
) -> Result<Vec<Chart>, AppError> {
    let t = locale.texts();
    let wanted = |id: &str| want.chart.is_none_or(|c| c == id);
    let draw = |title: &str, bars: &[Bar], legend: Option<(&str, &str)>| {
        if want.draw {
            horizontal_bars(title, bars, legend)
        } else {
            String::new()
        }
    };
    let mut out = Vec::new();

    if wanted("revenue-by-district") {
        let rows = revenue_by_district(per_office, names);
        let mut bars: Vec<Bar> = rows
            .iter()
            .take(TOP_DISTRICTS)
            .map(|r| Bar {
                label: locale.pick(&r.name_km, &r.name_en).to_string(),
                value: r.revenue as f64,
                behind: None,
                value_label: format_riel(r.revenue, locale),
                link: Some(district_link(query, &r.code)),
                muted: false,
            })
            .collect();
        if rows.len() > TOP_DISTRICTS {
            let others: i64 = rows[TOP_DISTRICTS..].iter().map(|r| r.revenue).sum();
            bars.push(Bar {
                label: format!(
                    "{} ({})",
                    t.stats_others,
                    format_number((rows.len() - TOP_DISTRICTS) as i64, locale)
                ),
                value: others as f64,
                behind: None,
                value_label: format_riel(others, locale),
                link: None,
                muted: true,
            });
        }
        out.push(Chart {
            id: "revenue-by-district",
            title: t.chart_revenue_by_district.into(),
            note: Some(t.chart_revenue_by_district_note.into()),
            svg: draw(t.chart_revenue_by_district, &bars, None),
            columns: vec![
                t.col_code.into(),
                t.col_district.into(),
                t.col_receipts.into(),
                t.col_revenue.into(),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.code.clone()),
                        Cell::Text(locale.pick(&r.name_km, &r.name_en).into()),
                        Cell::Int(r.receipts),
                        Cell::Riel(r.revenue),
                    ]
                })
                .collect(),
        });
    }

    if wanted("cases-by-sector") {
        let mut rows: Vec<(i32, i64, i64)> = figures::sector_figures(db, f)
            .await?
            .iter()
            .map(|s| (s.sector_id, s.registered, s.revenue))
            .filter(|(_, cases, revenue)| *cases > 0 || *revenue > 0)
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let bars: Vec<Bar> = rows
            .iter()
            .map(|(id, cases, _)| Bar {
                label: names.sector(*id, locale),
                value: *cases as f64,
                behind: None,
                value_label: format_number(*cases, locale),
                link: None,
                muted: false,
            })
            .collect();
        out.push(Chart {
            id: "cases-by-sector",
            title: t.chart_cases_by_sector.into(),
            note: None,
            svg: draw(t.chart_cases_by_sector, &bars, None),
            columns: vec![
                t.col_sector.into(),
                t.col_cases.into(),
                t.col_revenue.into(),
            ],
            rows: rows
                .iter()
                .map(|(id, cases, revenue)| {
                    vec![
                        Cell::Text(names.sector(*id, locale)),
                        Cell::Int(*cases),
                        Cell::Riel(*revenue),
                    ]
                })
                .collect(),
        });
    }

    if wanted("top-services") {
        let services = figures::service_figures(db, f).await?;
        let services: Vec<_> = services.into_iter().filter(|s| s.registered > 0).collect();
        let bars: Vec<Bar> = services
            .iter()
            .take(TOP_SERVICES)
            .map(|s| Bar {
                label: shorten(&names.service(s.service_id, locale), 34),
                value: s.registered as f64,
                behind: None,
                value_label: format_number(s.registered, locale),
                link: None,
                muted: false,
            })
            .collect();
        out.push(Chart {
            id: "top-services",
            title: t.chart_top_services.into(),
            note: None,
            svg: draw(t.chart_top_services, &bars, None),
            columns: vec![
                t.col_service.into(),
                t.col_cases.into(),
                t.col_revenue.into(),
                t.col_completed.into(),
                t.col_on_time_rate.into(),
            ],
            rows: services
                .iter()
                .map(|s| {
                    vec![
                        Cell::Text(names.service(s.service_id, locale)),
                        Cell::Int(s.registered),
                        Cell::Riel(s.revenue),
                        Cell::Int(s.completed),
                        Cell::Percent(rate(s.completed_on_time, s.completed)),
                    ]
                })
                .collect(),
        });
    }

    if wanted("monthly-cases") || wanted("monthly-revenue") {
        let months = figures::monthly(db, f).await?;
        let mut this = [None; 12];
        let mut last = [None; 12];
        let mut this_revenue = [None; 12];
        let mut last_revenue = [None; 12];
        for m in &months {
            let i = (m.month.clamp(1, 12) - 1) as usize;
            if m.year == f.year {
                this[i] = Some(m.registered as f64);
                this_revenue[i] = Some(m.revenue as f64);
            } else {
                last[i] = Some(m.registered as f64);
                last_revenue[i] = Some(m.revenue as f64);
            }
        }
        let labels: [String; 12] = std::array::from_fn(|i| {
            t.get(&format!("month_{}", i + 1))
                .unwrap_or_default()
                .to_string()
        });
        let (this_name, last_name) = (
            format_number(f.year as i64, locale).replace(',', ""),
            format_number(f.year as i64 - 1, locale).replace(',', ""),
        );
        for (id, title, a, b, riel) in [
            ("monthly-cases", t.chart_monthly_cases, &this, &last, false),
            (
                "monthly-revenue",
                t.chart_monthly_revenue,
                &this_revenue,
                &last_revenue,
                true,
            ),
        ] {
            if !wanted(id) {
                continue;
            }
            let axis = |v: f64| {
                if riel {
                    compact_riel(v, locale)
                } else {
                    format_number(v.round() as i64, locale)
                }
            };
            let cell = |v: Option<f64>| {
                let n = v.unwrap_or(0.0) as i64;
                if riel {
                    Cell::Riel(n)
                } else {
                    Cell::Int(n)
                }
            };
            out.push(Chart {
                id,
                title: title.into(),
                note: Some(t.chart_monthly_note.into()),
                svg: if want.draw {
                    monthly_lines(title, &labels, (&this_name, a), (&last_name, b), &axis)
                } else {
                    String::new()
                },
                columns: vec![t.col_month.into(), this_name.clone(), last_name.clone()],
                rows: (0..12)
                    .map(|i| vec![Cell::Text(labels[i].clone()), cell(a[i]), cell(b[i])])
                    .collect(),
            });
        }
    }

    if wanted("processing-time") {
        let all = figures::durations(db, f, None).await?;
        let bars: Vec<Bar> = all
            .iter()
            .take(TOP_SERVICES)
            .map(|d| Bar {
                label: shorten(&names.service(d.service_id, locale), 34),
                value: d.median as f64,
                behind: Some(d.p90 as f64),
                value_label: format!(
                    "{} / {}{}",
                    format_number(d.median as i64, locale),
                    format_number(d.p90 as i64, locale),
                    if d.p90_capped { "+" } else { "" }
                ),
                link: None,
                muted: false,
            })
            .collect();
        out.push(Chart {
            id: "processing-time",
            title: t.chart_processing_time.into(),
            note: Some(t.chart_processing_time_note.into()),
            svg: draw(
                t.chart_processing_time,
                &bars,
                Some((t.chart_median, t.chart_p90)),
            ),
            columns: vec![
                t.col_service.into(),
                t.col_completed.into(),
                t.col_median_days.into(),
                t.col_p90_days.into(),
            ],
            rows: all
                .iter()
                .map(|d| {
                    vec![
                        Cell::Text(names.service(d.service_id, locale)),
                        Cell::Int(d.cases),
                        Cell::Int(d.median as i64),
                        Cell::Int(d.p90 as i64),
                    ]
                })
                .collect(),
        });
    }

    if wanted("on-time") {
        let mut rows: Vec<(&String, &OfficeFigures, Option<f64>)> = per_office
            .iter()
            .filter(|(_, o)| o.completed > 0)
            .map(|(code, o)| (code, o, rate(o.completed_on_time, o.completed)))
            .collect();
        rows.sort_by(|a, b| {
            a.2.unwrap_or(0.0)
                .total_cmp(&b.2.unwrap_or(0.0))
                .then(a.0.cmp(b.0))
        });
        let bars: Vec<Bar> = rows
            .iter()
            .filter(|(_, o, _)| o.completed >= MIN_COMPLETED_FOR_RATE)
            .take(WORST_OFFICES)
            .map(|(code, _, r)| Bar {
                label: names.district(code, locale),
                value: r.unwrap_or(0.0),
                behind: None,
                value_label: percent(*r, locale),
                link: None,
                muted: false,
            })
            .collect();
        out.push(Chart {
            id: "on-time",
            title: t.chart_on_time.into(),
            note: Some(t.chart_on_time_note.into()),
            svg: draw(t.chart_on_time, &bars, None),
            columns: vec![
                t.col_code.into(),
                t.col_district.into(),
                t.col_completed.into(),
                t.col_on_time.into(),
                t.col_on_time_rate.into(),
            ],
            rows: rows
                .iter()
                .map(|(code, o, r)| {
                    vec![
                        Cell::Text((*code).clone()),
                        Cell::Text(names.district(code, locale)),
                        Cell::Int(o.completed),
                        Cell::Int(o.completed_on_time),
                        Cell::Percent(*r),
                    ]
                })
                .collect(),
        });
    }

    if wanted("backlog-stage") || wanted("backlog-age") {
        let backlog = figures::backlog(db, f).await?;
        if wanted("backlog-stage") {
            let rows: Vec<(Stage, i64)> = Stage::ALL
                .iter()
                .filter_map(|s| backlog.by_stage.get(s.id()).map(|n| (*s, *n)))
                .filter(|(_, n)| *n > 0)
                .collect();
            let label = |s: Stage| t.get(&s.text_key()).unwrap_or(s.id()).to_string();
            let bars: Vec<Bar> = rows
                .iter()
                .map(|(s, n)| Bar {
                    label: label(*s),
                    value: *n as f64,
                    behind: None,
                    value_label: format_number(*n, locale),
                    link: None,
                    muted: false,
                })
                .collect();
            out.push(Chart {
                id: "backlog-stage",
                title: t.chart_backlog_stage.into(),
                note: Some(t.chart_backlog_note.into()),
                svg: draw(t.chart_backlog_stage, &bars, None),
                columns: vec![t.col_stage.into(), t.col_cases.into()],
                rows: rows
                    .iter()
                    .map(|(s, n)| vec![Cell::Text(label(*s)), Cell::Int(*n)])
                    .collect(),
            });
        }
        if wanted("backlog-age") {
            let buckets = [
                (7, t.age_0_7),
                (14, t.age_8_14),
                (30, t.age_15_30),
                (60, t.age_31_60),
                (i64::MAX, t.age_over_60),
            ];
            let mut counts = [0i64; 5];
            for (day, n) in &backlog.by_day {
                let age = (f.today - *day).num_days();
                let i = buckets.iter().position(|(max, _)| age <= *max).unwrap_or(4);
                counts[i] += n;
            }
            let bars: Vec<Bar> = buckets
                .iter()
                .zip(counts)
                .map(|((_, label), n)| Bar {
                    label: label.to_string(),
                    value: n as f64,
                    behind: None,
                    value_label: format_number(n, locale),
                    link: None,
                    muted: false,
                })
                .collect();
            out.push(Chart {
                id: "backlog-age",
                title: t.chart_backlog_age.into(),
                note: Some(t.chart_backlog_note.into()),
                svg: draw(t.chart_backlog_age, &bars, None),
                columns: vec![t.col_age.into(), t.col_cases.into()],
                rows: buckets
                    .iter()
                    .zip(counts)
                    .map(|((_, label), n)| vec![Cell::Text(label.to_string()), Cell::Int(n)])
                    .collect(),
            });
        }
    }
    Ok(out)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max_chars - 1).collect();
    s.push('…');
    s
}

/// Axis labels for riel: millions with one decimal, in the locale's digits.
fn compact_riel(v: f64, locale: Locale) -> String {
    let text = if v >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0)
    } else if v >= 1_000.0 {
        format!("{:.0}K", v / 1_000.0)
    } else {
        format!("{v:.0}")
    };
    match locale {
        Locale::Km => crate::format::to_khmer_digits(&text),
        Locale::En => text,
    }
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
        },
        total_cases: total.cases(),
        charts: charts.into_iter().map(|c| c.view(locale)).collect(),
        options: options(db, user, &f, &names).await?,
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
        },
        total_cases: total.cases(),
        revenue_by_district: revenue_by_district(&per_office, &names),
    })
}

/// One chart's table as CSV, with the same filters and scoping as the page.
pub async fn export_csv(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    chart: &str,
    query: &StatsQuery,
    locale: Locale,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    if !CHART_IDS.contains(&chart) {
        return Err(AppError::NotFound);
    }
    let f = super::selection::parse(db, user, query, now).await?;
    let names = Names::load(db).await?;
    let per_office = if matches!(chart, "revenue-by-district" | "on-time") {
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
    fn csv_has_a_bom_quotes_and_defuses_formulas() {
        let chart = Chart {
            id: "x",
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
