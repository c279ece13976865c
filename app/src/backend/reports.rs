//! Quarterly and semester reports for office leadership, provinces and the Ministry, and the
//! per-office sums the public scorecard shares with them. Everything is read from the statistics
//! rollups (`stat_office_month`, `stat_duration`, `stat_citizen_month`), never from the cases, so
//! a national report costs the same with ten thousand cases or ten million.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::{
    auth::CurrentUser,
    calendar::local_date,
    entities::{office, province},
    quality_audits::findings_by_office,
    stats::rollup::{NATIONAL, TILE_COLUMNS},
};
use crate::{
    domain::{DistrictCode, Jurisdiction, ProvinceCode},
    error::AppError,
    i18n::Locale,
    types::{
        quality_audits::OfficeAuditSummary,
        reports::{
            OfficeReport, Period, PeriodPart, Report, ReportChoices, ReportFigures, ReportUnit,
            UnitKind,
        },
        GeoOption,
    },
};

/// Calendar months from `from` to `to`, both included, as (year, month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Months {
    pub from: (i32, u32),
    pub to: (i32, u32),
}

impl Months {
    pub fn of_period(period: Period) -> Months {
        let (a, b) = period.part.months();
        Months {
            from: (period.year, a),
            to: (period.year, b),
        }
    }

    /// The rows of these months, as one condition on `year` and `month` per calendar year, so
    /// each reads a range of the tables' (year, month, …) keys.
    fn condition(self) -> Cond {
        let mut any = Cond::any();
        for year in self.from.0..=self.to.0 {
            let first = if year == self.from.0 { self.from.1 } else { 1 };
            let last = if year == self.to.0 { self.to.1 } else { 12 };
            any = any.add(
                Cond::all()
                    .add(col("year").eq(year))
                    .add(col("month").gte(first as i32))
                    .add(col("month").lte(last as i32)),
            );
        }
        any
    }
}

/// The offices whose rows a query sums.
#[derive(Debug, Clone, Copy)]
pub enum Within<'a> {
    Nation,
    Province(&'a str),
    Office(&'a str),
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// `CAST(SUM(c) AS BIGINT) AS c`: PostgreSQL sums big integers as numerics otherwise.
fn sum_of(q: &mut SelectStatement, column: &'static str) {
    q.expr_as(
        Expr::cust(format!("CAST(SUM({column}) AS BIGINT)")),
        Alias::new(column),
    );
}

fn count(row: &sea_orm::QueryResult, column: &str) -> Result<u64, AppError> {
    let n: Option<i64> = row.try_get("", column)?;
    Ok(u64::try_from(n.unwrap_or(0)).unwrap_or(0))
}

/// Each office's figures over `months`, summed over sectors, without medians. Offices with no
/// row at all are absent.
pub async fn office_figures(
    db: &impl ConnectionTrait,
    months: Months,
    within: Within<'_>,
) -> Result<BTreeMap<String, ReportFigures>, AppError> {
    let backend = db.get_database_backend();
    let narrow = |q: &mut SelectStatement| match within {
        Within::Nation => {}
        Within::Province(p) => {
            q.and_where(col("province_code").eq(p));
        }
        Within::Office(o) => {
            q.and_where(col("office_code").eq(o));
        }
    };

    let mut q = Query::select();
    q.column(Alias::new("office_code"));
    for c in TILE_COLUMNS {
        sum_of(&mut q, c);
    }
    for c in [
        "receipts",
        "revenue",
        "revenue_khqr",
        "completed",
        "completed_on_time",
    ] {
        sum_of(&mut q, c);
    }
    q.from(Alias::new("stat_office_month"))
        .cond_where(months.condition())
        .group_by_col(Alias::new("office_code"));
    narrow(&mut q);
    let mut out: BTreeMap<String, ReportFigures> = BTreeMap::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let code: String = row.try_get("", "office_code")?;
        let f = out.entry(code).or_insert_with(empty);
        f.stages = TILE_COLUMNS
            .iter()
            .map(|c| count(&row, c))
            .collect::<Result<_, _>>()?;
        f.receipts = count(&row, "receipts")?;
        f.revenue = row.try_get::<Option<i64>>("", "revenue")?.unwrap_or(0);
        f.revenue_khqr = row.try_get::<Option<i64>>("", "revenue_khqr")?.unwrap_or(0);
        f.completed = count(&row, "completed")?;
        f.completed_on_time = count(&row, "completed_on_time")?;
    }

    let mut q = Query::select();
    q.column(Alias::new("office_code"));
    for c in ["ratings", "rating_sum", "complaints", "complaints_resolved"] {
        sum_of(&mut q, c);
    }
    q.from(Alias::new("stat_citizen_month"))
        .cond_where(months.condition())
        .group_by_col(Alias::new("office_code"));
    narrow(&mut q);
    for row in db.query_all_raw(backend.build(&q)).await? {
        let code: String = row.try_get("", "office_code")?;
        let f = out.entry(code).or_insert_with(empty);
        f.ratings = count(&row, "ratings")?;
        f.rating_sum = count(&row, "rating_sum")?;
        f.complaints = count(&row, "complaints")?;
        f.complaints_resolved = count(&row, "complaints_resolved")?;
    }
    Ok(out)
}

fn empty() -> ReportFigures {
    ReportFigures {
        stages: vec![0; TILE_COLUMNS.len()],
        ..Default::default()
    }
}

/// Median working days per scope (office, province or `KH`), from the duration histogram summed
/// over services. With an even count it is the lower of the two middle values, so it is always
/// a number of days some case actually took.
pub async fn medians(
    db: &impl ConnectionTrait,
    months: Months,
    scopes: &[String],
) -> Result<HashMap<String, u32>, AppError> {
    if scopes.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = Query::select();
    q.column(Alias::new("scope")).column(Alias::new("days"));
    sum_of(&mut q, "cases");
    q.from(Alias::new("stat_duration"))
        .cond_where(months.condition())
        .and_where(col("scope").is_in(scopes.iter().map(String::as_str)))
        .group_by_col(Alias::new("scope"))
        .group_by_col(Alias::new("days"));
    let mut histograms: HashMap<String, Vec<(i32, u64)>> = HashMap::new();
    for row in db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?
    {
        let scope: String = row.try_get("", "scope")?;
        let days: i32 = row.try_get("", "days")?;
        histograms
            .entry(scope)
            .or_default()
            .push((days, count(&row, "cases")?));
    }
    Ok(histograms
        .into_iter()
        .filter_map(|(scope, h)| median(h).map(|m| (scope, m)))
        .collect())
}

fn median(mut histogram: Vec<(i32, u64)>) -> Option<u32> {
    histogram.sort_unstable();
    let total: u64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let middle = total.div_ceil(2);
    let mut seen = 0;
    for (days, n) in histogram {
        seen += n;
        if seen >= middle {
            return Some(u32::try_from(days).unwrap_or(0));
        }
    }
    None
}

fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

fn province_name(p: &province::Model) -> (String, String) {
    (
        format!("{}{}", p.type_km, p.name_km),
        format!("{} {}", p.type_latin, p.name_latin),
    )
}

/// The unit a report covers: the office or province asked for, or else the user's own. Codes
/// that do not exist are a field error; codes outside the user's jurisdiction are not found.
async fn resolve_unit(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    province_code: Option<&str>,
    office_code: Option<&str>,
) -> Result<ReportUnit, AppError> {
    let (province_code, office_code) = match (given(province_code), given(office_code)) {
        (None, None) => match user.jurisdiction() {
            Jurisdiction::National => return Ok(national_unit()),
            Jurisdiction::Province(p) => (Some(p.as_str().to_string()), None),
            Jurisdiction::Office(o) => (None, Some(o.as_str().to_string())),
        },
        (p, o) => (p.map(str::to_string), o.map(str::to_string)),
    };
    let (province_code, office_code) = (province_code.as_deref(), office_code.as_deref());
    if let Some(code) = office_code {
        let code = DistrictCode::parse(code).map_err(|e| AppError::field("office", e.key()))?;
        let found = office::Entity::find_by_id(code.as_str())
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("office", "err_no_such_office"))?;
        if province_code.is_some_and(|p| p != found.province_code) {
            return Err(AppError::field("office", "report_office_not_in_province"));
        }
        if !user.covers_office(&found.code) {
            return Err(AppError::NotFound);
        }
        return Ok(ReportUnit {
            kind: UnitKind::Office,
            code: found.code,
            name_km: found.name_km,
            name_en: found.name_en,
        });
    }
    if let Some(code) = province_code {
        let code = ProvinceCode::parse(code).map_err(|e| AppError::field("province", e.key()))?;
        let found = province::Entity::find_by_id(code.as_str())
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("province", "report_no_such_province"))?;
        let allowed = match user.jurisdiction() {
            Jurisdiction::National => true,
            Jurisdiction::Province(p) => p.as_str() == found.code,
            Jurisdiction::Office(_) => false,
        };
        if !allowed {
            return Err(AppError::NotFound);
        }
        let (km, en) = province_name(&found);
        return Ok(ReportUnit {
            kind: UnitKind::Province,
            code: found.code,
            name_km: km,
            name_en: en,
        });
    }
    Ok(national_unit())
}

fn national_unit() -> ReportUnit {
    ReportUnit {
        kind: UnitKind::National,
        code: NATIONAL.to_string(),
        name_km: String::new(),
        name_en: String::new(),
    }
}

/// A quarterly or semester report over the unit asked for (or the user's own).
pub async fn report(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    period: &str,
    province_code: Option<&str>,
    office_code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    if !user.role.may(crate::domain::Area::Stats) {
        return Err(AppError::Forbidden);
    }
    let period =
        Period::parse(period).ok_or_else(|| AppError::field("period", "report_bad_period"))?;
    let today = local_date(now);
    if period.first_day() > today {
        return Err(AppError::field("period", "report_period_future"));
    }
    let unit = resolve_unit(db, user, province_code, office_code).await?;
    let within = match unit.kind {
        UnitKind::National => Within::Nation,
        UnitKind::Province => Within::Province(&unit.code),
        UnitKind::Office => Within::Office(&unit.code),
    };
    let months = Months::of_period(period);
    let mut figures = office_figures(db, months, within).await?;

    let mut offices = office::Entity::find().order_by_asc(office::Column::Code);
    match within {
        Within::Nation => {}
        Within::Province(p) => offices = offices.filter(office::Column::ProvinceCode.eq(p)),
        Within::Office(o) => offices = offices.filter(office::Column::Code.eq(o)),
    }
    // Closed offices appear only when they still had activity in the period.
    let offices: Vec<office::Model> = offices
        .all(db)
        .await?
        .into_iter()
        .filter(|o| o.active || figures.contains_key(&o.code))
        .collect();
    let provinces: HashMap<String, (String, String)> = province::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), (p.name_km, p.name_latin)))
        .collect();
    let mut scopes: Vec<String> = offices.iter().map(|o| o.code.clone()).collect();
    if unit.kind != UnitKind::Office {
        scopes.push(unit.code.clone());
    }
    let medians = medians(db, months, &scopes).await?;
    let quarters: Vec<u32> = match period.part {
        PeriodPart::Quarter(q) => vec![q],
        PeriodPart::Semester(h) => vec![2 * h - 1, 2 * h],
    };
    let audited: HashMap<String, OfficeAuditSummary> = findings_by_office(
        db,
        period.year,
        &quarters,
        (unit.kind == UnitKind::Province).then_some(unit.code.as_str()),
    )
    .await?
    .into_iter()
    .map(|a| (a.office_code.clone(), a))
    .collect();

    let mut total = empty();
    let offices: Vec<OfficeReport> = offices
        .into_iter()
        .map(|o| {
            let mut f = figures.remove(&o.code).unwrap_or_else(empty);
            f.median_days = medians.get(&o.code).copied();
            if let Some(a) = audited.get(&o.code) {
                f.audit_sampled = a.sampled;
                f.audit_checked = a.checked;
                f.audit_failed_items = a.failed_items;
                f.audit_findings = a.findings;
            }
            add(&mut total, &f);
            let (province_km, province_latin) =
                provinces.get(&o.province_code).cloned().unwrap_or_default();
            OfficeReport {
                code: o.code,
                name_km: o.name_km,
                name_en: o.name_en,
                province_code: o.province_code,
                province_km,
                province_latin,
                figures: f,
            }
        })
        .collect();
    total.median_days = medians.get(&unit.code).copied();
    Ok(Report {
        from: period.first_day(),
        to: period.last_day(),
        in_progress: period.last_day() >= today,
        period,
        unit,
        total,
        offices,
    })
}

fn add(total: &mut ReportFigures, f: &ReportFigures) {
    for (t, n) in total.stages.iter_mut().zip(&f.stages) {
        *t += n;
    }
    total.receipts += f.receipts;
    total.revenue += f.revenue;
    total.revenue_khqr += f.revenue_khqr;
    total.completed += f.completed;
    total.completed_on_time += f.completed_on_time;
    total.ratings += f.ratings;
    total.rating_sum += f.rating_sum;
    total.complaints += f.complaints;
    total.complaints_resolved += f.complaints_resolved;
    total.audit_sampled += f.audit_sampled;
    total.audit_checked += f.audit_checked;
    total.audit_failed_items += f.audit_failed_items;
    total.audit_findings += f.audit_findings;
}

/// What the report form offers: the user's unit, the provinces and offices they may choose, the
/// years with figures.
pub async fn choices(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<ReportChoices, AppError> {
    if !user.role.may(crate::domain::Area::Stats) {
        return Err(AppError::Forbidden);
    }
    let own = resolve_unit(db, user, None, None).await?;
    let jurisdiction = user.jurisdiction();
    let provinces = match jurisdiction {
        Jurisdiction::National => province::Entity::find()
            .order_by_asc(province::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .map(|p| GeoOption {
                code: p.code,
                name_km: p.name_km,
                name_latin: p.name_latin,
            })
            .collect(),
        _ => Vec::new(),
    };
    let offices = match &jurisdiction {
        Jurisdiction::Office(_) => Vec::new(),
        _ => office::Entity::find()
            .order_by_asc(office::Column::Code)
            .all(db)
            .await?
            .into_iter()
            .filter(|o| o.active && user.covers_office(&o.code))
            .map(|o| GeoOption {
                code: o.code,
                name_km: o.name_km,
                name_latin: o.name_en,
            })
            .collect(),
    };
    let today = local_date(now);
    let mut q = Query::select();
    q.distinct()
        .column(Alias::new("year"))
        .from(Alias::new("stat_office_month"));
    let mut years: Vec<i32> = db
        .query_all_raw(db.get_database_backend().build(&q))
        .await?
        .iter()
        .map(|r| r.try_get::<i32>("", "year"))
        .collect::<Result<_, _>>()?;
    years.push(today.year());
    years.retain(|y| *y <= today.year());
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let quarter = (today.month() - 1) / 3 + 1;
    Ok(ReportChoices {
        own,
        provinces,
        offices,
        years,
        current: Period {
            year: today.year(),
            part: crate::types::reports::PeriodPart::Quarter(quarter),
        },
    })
}

/// The report as CSV, one row per office (silent ones too), for Excel: UTF-8 with a byte-order
/// mark, or Excel reads the Khmer as Latin-1. Figures use ASCII digits so they stay numbers.
pub fn to_csv(report: &Report, locale: Locale) -> String {
    let t = locale.texts();
    let mut header: Vec<String> = [
        t.report_period,
        t.report_office_code,
        t.report_office_km,
        t.report_office_en,
        t.report_province_code,
        t.report_province,
        t.report_silent_column,
        t.report_registered,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for c in TILE_COLUMNS {
        header.push(t.get(&format!("report_col_{c}")).unwrap_or(c).to_string());
    }
    header.extend(
        [
            t.report_receipts,
            t.report_revenue_riel,
            t.report_revenue_khqr_riel,
            t.report_completed,
            t.report_completed_on_time,
            t.report_on_time_percent,
            t.report_median_days,
            t.report_ratings,
            t.report_rating_avg,
            t.report_complaints,
            t.report_complaints_resolved,
            t.report_audit_sampled,
            t.report_audit_checked,
            t.report_audit_failed_items,
            t.report_audit_findings,
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let mut out = String::from("\u{feff}");
    push_row(&mut out, &header);
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for o in &report.offices {
        let f = &o.figures;
        let mut row = vec![
            report.period.id(),
            o.code.clone(),
            o.name_km.clone(),
            o.name_en.clone(),
            o.province_code.clone(),
            locale.pick(&o.province_km, &o.province_latin).to_string(),
            if f.is_silent() { t.yes } else { t.no }.to_string(),
            f.registered().to_string(),
        ];
        row.extend(f.stages.iter().map(u64::to_string));
        row.extend([
            f.receipts.to_string(),
            f.revenue.to_string(),
            f.revenue_khqr.to_string(),
            f.completed.to_string(),
            f.completed_on_time.to_string(),
            opt(f.on_time_percent()),
            opt(f.median_days.map(u64::from)),
            f.ratings.to_string(),
            f.rating_avg_x10()
                .map(|a| format!("{}.{}", a / 10, a % 10))
                .unwrap_or_default(),
            f.complaints.to_string(),
            f.complaints_resolved.to_string(),
            f.audit_sampled.to_string(),
            f.audit_checked.to_string(),
            f.audit_failed_items.to_string(),
            f.audit_findings.to_string(),
        ]);
        push_row(&mut out, &row);
    }
    out
}

fn push_row(out: &mut String, fields: &[String]) {
    let escaped: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    out.push_str(&escaped.join(","));
    out.push_str("\r\n");
}

/// The report's file name: `owso-2026-Q3-12.csv`.
pub fn csv_file_name(report: &Report) -> String {
    format!("owso-{}-{}.csv", report.period.id(), report.unit.code)
}

/// The first day of the month `back` months before `day`'s month.
pub fn months_back(day: NaiveDate, back: u32) -> NaiveDate {
    let index = day.year() * 12 + day.month0() as i32 - back as i32;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_stage_columns_are_the_rollups() {
        assert_eq!(crate::types::reports::STAGE_COLUMNS, TILE_COLUMNS);
    }

    #[test]
    fn medians_come_from_the_histogram() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![(3, 0)]), None);
        assert_eq!(median(vec![(5, 1)]), Some(5));
        // 1, 2, 2, 9: the lower middle value.
        assert_eq!(median(vec![(9, 1), (1, 1), (2, 2)]), Some(2));
        assert_eq!(median(vec![(1, 2), (7, 2)]), Some(1));
        assert_eq!(median(vec![(1, 2), (7, 3)]), Some(7));
    }

    #[test]
    fn windows_cross_the_new_year() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 17).unwrap();
        assert_eq!(months_back(day, 12).to_string(), "2025-03-01");
        assert_eq!(months_back(day, 2).to_string(), "2026-01-01");
        assert_eq!(months_back(day, 3).to_string(), "2025-12-01");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut out = String::new();
        push_row(
            &mut out,
            &["a".into(), "b,c".into(), "say \"hi\"".into(), "ខ្មែរ".into()],
        );
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",ខ្មែរ\r\n");
    }
}
