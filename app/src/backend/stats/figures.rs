//! The dashboard's figures, read from the rollups only. Every query is bounded by the number of
//! offices, sectors, services and months, never by the number of cases.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

use super::{
    rollup::{MAX_TRACKED_DAYS, TILE_COLUMNS},
    selection::Filter,
};
use crate::error::AppError;

/// SQL text with placeholders in the engine's own style.
struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new(backend: DbBackend, text: &str) -> Self {
        Self {
            backend,
            text: text.to_string(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    fn statement(&self) -> Statement {
        Statement::from_sql_and_values(self.backend, &self.text, self.values.clone())
    }
}

fn sum(column: &str) -> String {
    format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)")
}

/// `WHERE` on the office rollup: the period's months, the unit and the sector.
fn office_where(sql: &mut Sql, f: &Filter, year: i32, months: (u32, u32)) {
    sql.push(" WHERE year = ")
        .bind(year)
        .push(" AND month BETWEEN ")
        .bind(months.0 as i32)
        .push(" AND ")
        .bind(months.1 as i32);
    if let Some(o) = &f.office {
        sql.push(" AND office_code = ").bind(o.clone());
    } else if let Some(p) = &f.province {
        sql.push(" AND province_code = ").bind(p.clone());
    }
    if let Some(s) = f.sector {
        sql.push(" AND sector_id = ").bind(s);
    }
}

/// `WHERE` on a per-scope rollup.
fn scope_where(sql: &mut Sql, f: &Filter) {
    sql.push(" WHERE scope = ").bind(f.scope().to_string());
    if let Some(s) = f.sector {
        sql.push(" AND sector_id = ").bind(s);
    }
}

/// `WHERE` on a per-scope rollup with months: the unit, the sector and the period.
fn scope_period_where(sql: &mut Sql, f: &Filter) {
    let (from, to) = f.months();
    scope_where(sql, f);
    sql.push(" AND year = ")
        .bind(f.year)
        .push(" AND month BETWEEN ")
        .bind(from as i32)
        .push(" AND ")
        .bind(to as i32);
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeFigures {
    pub tiles: [i64; 11],
    pub receipts: i64,
    /// All channels; `revenue_khqr` is the part of it paid by KHQR.
    pub revenue: i64,
    pub revenue_khqr: i64,
    pub completed: i64,
    pub completed_on_time: i64,
}

impl OfficeFigures {
    pub fn cases(&self) -> i64 {
        self.tiles.iter().sum()
    }
}

#[derive(FromQueryResult)]
struct OfficeRow {
    key: String,
    at_registration: i64,
    at_cashier: i64,
    at_chief_check: i64,
    at_technical_review: i64,
    at_chief_opinion: i64,
    at_director_opinion: i64,
    at_decision: i64,
    at_tax_branch: i64,
    at_returned: i64,
    at_delivered: i64,
    rejected: i64,
    receipts: i64,
    revenue: i64,
    revenue_khqr: i64,
    completed: i64,
    completed_on_time: i64,
}

impl From<OfficeRow> for OfficeFigures {
    fn from(r: OfficeRow) -> Self {
        OfficeFigures {
            tiles: [
                r.at_registration,
                r.at_cashier,
                r.at_chief_check,
                r.at_technical_review,
                r.at_chief_opinion,
                r.at_director_opinion,
                r.at_decision,
                r.at_tax_branch,
                r.at_returned,
                r.at_delivered,
                r.rejected,
            ],
            receipts: r.receipts,
            revenue: r.revenue,
            revenue_khqr: r.revenue_khqr,
            completed: r.completed,
            completed_on_time: r.completed_on_time,
        }
    }
}

impl std::ops::AddAssign<&OfficeFigures> for OfficeFigures {
    fn add_assign(&mut self, other: &OfficeFigures) {
        for (mine, theirs) in self.tiles.iter_mut().zip(other.tiles) {
            *mine += theirs;
        }
        self.receipts += other.receipts;
        self.revenue += other.revenue;
        self.revenue_khqr += other.revenue_khqr;
        self.completed += other.completed;
        self.completed_on_time += other.completed_on_time;
    }
}

/// The sum of per-office (or per-sector) figures: the whole selection's figures without a second
/// scan of the rollup.
pub fn total_of(per_group: &BTreeMap<String, OfficeFigures>) -> OfficeFigures {
    let mut total = OfficeFigures::default();
    for figures in per_group.values() {
        total += figures;
    }
    total
}

/// The office rollup for the filter, summed per office.
pub async fn office_figures(
    db: &impl ConnectionTrait,
    f: &Filter,
) -> Result<BTreeMap<String, OfficeFigures>, AppError> {
    let mut columns: Vec<String> = TILE_COLUMNS
        .iter()
        .chain(&[
            "receipts",
            "revenue",
            "revenue_khqr",
            "completed",
            "completed_on_time",
        ])
        .map(|c| format!("{} AS {c}", sum(c)))
        .collect();
    columns.insert(0, "office_code AS key".to_string());
    let mut sql = Sql::new(
        db.get_database_backend(),
        &format!("SELECT {} FROM stat_office_month", columns.join(", ")),
    );
    office_where(&mut sql, f, f.year, f.months());
    sql.push(" GROUP BY office_code");
    Ok(OfficeRow::find_by_statement(sql.statement())
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.key.clone(), OfficeFigures::from(r)))
        .collect())
}

#[derive(Debug, Clone, Default, PartialEq, Eq, FromQueryResult)]
pub struct ServiceFigures {
    pub service_id: i32,
    pub registered: i64,
    pub revenue: i64,
    pub completed: i64,
    pub completed_on_time: i64,
}

/// Per service in the unit and period, busiest first.
pub async fn service_figures(
    db: &impl ConnectionTrait,
    f: &Filter,
) -> Result<Vec<ServiceFigures>, AppError> {
    let mut sql = Sql::new(
        db.get_database_backend(),
        &format!(
            "SELECT service_id, {} AS registered, {} AS revenue, {} AS completed, {} AS completed_on_time FROM stat_service_month",
            sum("registered"),
            sum("revenue"),
            sum("completed"),
            sum("completed_on_time")
        ),
    );
    scope_period_where(&mut sql, f);
    sql.push(" GROUP BY service_id ORDER BY registered DESC, service_id");
    Ok(ServiceFigures::find_by_statement(sql.statement())
        .all(db)
        .await?)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, FromQueryResult)]
pub struct SectorFigures {
    pub sector_id: i32,
    pub registered: i64,
    pub revenue: i64,
}

/// Registrations and revenue per sector in the unit and period. Read from the per-scope service
/// rollup, a few rows per service and month, rather than the office rollup, which has a row per
/// office, sector and month: the same sums (each case counts once, in its registration month,
/// in both) from a tenth of the rows for the national view.
pub async fn sector_figures(
    db: &impl ConnectionTrait,
    f: &Filter,
) -> Result<Vec<SectorFigures>, AppError> {
    let mut sql = Sql::new(
        db.get_database_backend(),
        &format!(
            "SELECT sector_id, {} AS registered, {} AS revenue FROM stat_service_month",
            sum("registered"),
            sum("revenue"),
        ),
    );
    scope_period_where(&mut sql, f);
    sql.push(" GROUP BY sector_id");
    Ok(SectorFigures::find_by_statement(sql.statement())
        .all(db)
        .await?)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, FromQueryResult)]
pub struct MonthFigures {
    pub year: i32,
    pub month: i32,
    pub registered: i64,
    pub revenue: i64,
    pub revenue_khqr: i64,
}

/// Registrations and revenue (all of it, and the part paid by KHQR) per month of the filter's
/// year and the year before.
pub async fn monthly(db: &impl ConnectionTrait, f: &Filter) -> Result<Vec<MonthFigures>, AppError> {
    let mut sql = Sql::new(
        db.get_database_backend(),
        &format!(
            "SELECT year, CAST(month AS INTEGER) AS month, {} AS registered, {} AS revenue, {} AS revenue_khqr FROM stat_service_month",
            sum("registered"),
            sum("revenue"),
            sum("revenue_khqr")
        ),
    );
    scope_where(&mut sql, f);
    sql.push(" AND year IN (")
        .bind(f.year - 1)
        .push(", ")
        .bind(f.year)
        .push(") GROUP BY year, month ORDER BY year, month");
    Ok(MonthFigures::find_by_statement(sql.statement())
        .all(db)
        .await?)
}

/// Processing time of one service: working days at the median and the 90th percentile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Durations {
    pub service_id: i32,
    pub cases: i64,
    pub median: i32,
    pub p90: i32,
    /// True when the 90th percentile reached the histogram's last bucket.
    pub p90_capped: bool,
}

/// The smallest day count whose cumulative share reaches `q`.
pub fn quantile(histogram: &[(i32, i64)], q: f64) -> Option<i32> {
    let total: i64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let target = (q * total as f64).ceil().max(1.0) as i64;
    let mut seen = 0;
    for (days, n) in histogram {
        seen += n;
        if seen >= target {
            return Some(*days);
        }
    }
    histogram.last().map(|(d, _)| *d)
}

#[derive(FromQueryResult)]
struct DurationRow {
    service_id: i32,
    days: i32,
    cases: i64,
}

/// Medians and 90th percentiles for the services with the most completions (all if `limit` is
/// `None`), most completions first.
pub async fn durations(
    db: &impl ConnectionTrait,
    f: &Filter,
    limit: Option<usize>,
) -> Result<Vec<Durations>, AppError> {
    let mut sql = Sql::new(
        db.get_database_backend(),
        &format!(
            "SELECT service_id, days, {} AS cases FROM stat_duration",
            sum("cases")
        ),
    );
    scope_period_where(&mut sql, f);
    sql.push(" GROUP BY service_id, days ORDER BY service_id, days");
    let mut per_service: BTreeMap<i32, Vec<(i32, i64)>> = BTreeMap::new();
    for r in DurationRow::find_by_statement(sql.statement())
        .all(db)
        .await?
    {
        per_service
            .entry(r.service_id)
            .or_default()
            .push((r.days, r.cases));
    }
    let mut out: Vec<Durations> = per_service
        .into_iter()
        .filter_map(|(service_id, h)| {
            let p90 = quantile(&h, 0.9)?;
            Some(Durations {
                service_id,
                cases: h.iter().map(|(_, n)| n).sum(),
                median: quantile(&h, 0.5)?,
                p90,
                p90_capped: p90 >= MAX_TRACKED_DAYS,
            })
        })
        .collect();
    out.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.service_id.cmp(&b.service_id)));
    if let Some(n) = limit {
        out.truncate(n);
    }
    Ok(out)
}

/// Open cases by stage, and by registration day, registered up to the end of the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backlog {
    pub by_stage: BTreeMap<String, i64>,
    pub by_day: Vec<(NaiveDate, i64)>,
}

#[derive(FromQueryResult)]
struct BacklogRow {
    stage: String,
    registered_on: NaiveDate,
    cases: i64,
}

pub async fn backlog(db: &impl ConnectionTrait, f: &Filter) -> Result<Backlog, AppError> {
    let mut sql = Sql::new(
        db.get_database_backend(),
        &format!(
            "SELECT stage, registered_on, {} AS cases FROM stat_backlog",
            sum("cases")
        ),
    );
    scope_where(&mut sql, f);
    sql.push(" AND registered_on <= ")
        .bind(f.last_day())
        .push(" GROUP BY stage, registered_on");
    let mut out = Backlog::default();
    let mut by_day: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for r in BacklogRow::find_by_statement(sql.statement())
        .all(db)
        .await?
    {
        if r.cases == 0 {
            continue;
        }
        *out.by_stage.entry(r.stage).or_insert(0) += r.cases;
        *by_day.entry(r.registered_on).or_insert(0) += r.cases;
    }
    out.by_day = by_day.into_iter().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_come_from_the_histogram() {
        let h = [(1, 5), (2, 3), (10, 2)];
        assert_eq!(quantile(&h, 0.5), Some(1));
        assert_eq!(quantile(&h, 0.8), Some(2));
        assert_eq!(quantile(&h, 0.9), Some(10));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[(4, 1)], 0.9), Some(4));
    }
}
