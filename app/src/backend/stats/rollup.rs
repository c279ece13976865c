//! The statistics rollups. Each case adds a fixed set of counters (its *contribution*) to the
//! `stat_*` tables, computed from the case alone. A case action applies the difference between
//! the contribution after and before, in the action's own transaction, so the dashboard never
//! lags; the generator sums contributions in memory, and `rebuild` recomputes everything.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

use crate::{
    backend::{
        calendar::local_date,
        entities::{case, complaint, feedback, payment},
    },
    domain::{khqr::PaymentChannel, CaseStatus, Stage},
};

/// The scope code of the whole country in the per-scope tables.
pub const NATIONAL: &str = "KH";
/// Longer processing times share the last bucket of the duration histogram.
pub const MAX_TRACKED_DAYS: i32 = 120;

/// The facts about one case that the statistics depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFigures {
    pub office_code: String,
    pub province_code: String,
    pub sector_id: i32,
    pub service_id: i32,
    pub registered_on: NaiveDate,
    pub stage: Stage,
    pub status: CaseStatus,
    /// Local payment date, amount and channel of the live (not cancelled) payment.
    pub payment: Option<(NaiveDate, i64, PaymentChannel)>,
    pub completion: Option<Completion>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub on: NaiveDate,
    pub on_time: bool,
    pub working_days: i32,
}

impl CaseFigures {
    pub fn of(c: &case::Model, live_payment: Option<&payment::Model>) -> Option<CaseFigures> {
        Some(CaseFigures {
            office_code: c.office_code.clone(),
            province_code: c.province_code.clone(),
            sector_id: c.sector_id,
            service_id: c.service_id,
            registered_on: local_date(c.registered_at),
            stage: c.stage,
            status: c.status,
            payment: live_payment
                .filter(|p| p.cancelled_at.is_none())
                .map(|p| (local_date(p.paid_at), p.amount, p.channel)),
            completion: c.delivered_at.map(|at| {
                let on = local_date(at);
                Completion {
                    on,
                    on_time: on <= c.due_on,
                    working_days: c.processing_days.unwrap_or(0),
                }
            }),
        })
    }

    /// The column of the dashboard tile this case counts in.
    pub fn tile_column(&self) -> &'static str {
        if self.status == CaseStatus::Rejected {
            return "rejected";
        }
        stage_column(self.stage)
    }

    fn is_open(&self) -> bool {
        matches!(
            self.status,
            CaseStatus::Active | CaseStatus::ReturnedToCitizen
        ) && self.stage != Stage::Delivered
    }

    fn scopes(&self) -> [&str; 3] {
        [
            self.office_code.as_str(),
            self.province_code.as_str(),
            NATIONAL,
        ]
    }
}

pub fn stage_column(stage: Stage) -> &'static str {
    match stage {
        Stage::Registration => "at_registration",
        Stage::Cashier => "at_cashier",
        Stage::ChiefCheck => "at_chief_check",
        Stage::TechnicalReview => "at_technical_review",
        Stage::ChiefOpinion => "at_chief_opinion",
        Stage::DirectorOpinion => "at_director_opinion",
        Stage::Decision => "at_decision",
        Stage::TaxBranch => "at_tax_branch",
        Stage::Returned => "at_returned",
        Stage::Delivered => "at_delivered",
    }
}

/// The tile columns in dashboard order; `rejected` last.
pub const TILE_COLUMNS: [&str; 11] = [
    "at_registration",
    "at_cashier",
    "at_chief_check",
    "at_technical_review",
    "at_chief_opinion",
    "at_director_opinion",
    "at_decision",
    "at_tax_branch",
    "at_returned",
    "at_delivered",
    "rejected",
];

/// One row of one rollup table, by primary key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowKey {
    OfficeMonth {
        year: i32,
        month: u32,
        office: String,
        sector: i32,
        province: String,
    },
    ServiceMonth {
        scope: String,
        year: i32,
        month: u32,
        service: i32,
        sector: i32,
    },
    Duration {
        scope: String,
        year: i32,
        month: u32,
        service: i32,
        days: i32,
        sector: i32,
    },
    Backlog {
        scope: String,
        sector: i32,
        stage: Stage,
        registered_on: NaiveDate,
    },
    CitizenMonth {
        year: i32,
        month: u32,
        office: String,
        province: String,
    },
}

/// Counter changes, summed per row and column.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Deltas(BTreeMap<RowKey, BTreeMap<&'static str, i64>>);

impl Deltas {
    pub fn add(&mut self, key: RowKey, column: &'static str, n: i64) {
        if n != 0 {
            *self.0.entry(key).or_default().entry(column).or_insert(0) += n;
        }
    }

    /// Rows touched so far.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|cols| cols.values().all(|n| *n == 0))
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) one case's counters.
    pub fn case(&mut self, f: &CaseFigures, sign: i64) {
        let (year, month) = (f.registered_on.year(), f.registered_on.month());
        let office_month = |year: i32, month: u32| RowKey::OfficeMonth {
            year,
            month,
            office: f.office_code.clone(),
            sector: f.sector_id,
            province: f.province_code.clone(),
        };
        let service_month = |scope: &str, year: i32, month: u32| RowKey::ServiceMonth {
            scope: scope.to_string(),
            year,
            month,
            service: f.service_id,
            sector: f.sector_id,
        };
        self.add(office_month(year, month), f.tile_column(), sign);
        for scope in f.scopes() {
            self.add(service_month(scope, year, month), "registered", sign);
            if f.is_open() {
                self.add(
                    RowKey::Backlog {
                        scope: scope.to_string(),
                        sector: f.sector_id,
                        stage: f.stage,
                        registered_on: f.registered_on,
                    },
                    "cases",
                    sign,
                );
            }
        }
        if let Some((paid_on, amount, channel)) = f.payment {
            let (y, m) = (paid_on.year(), paid_on.month());
            // `revenue` counts every channel; `revenue_khqr` the part of it paid by KHQR.
            let khqr = if channel == PaymentChannel::Khqr {
                sign * amount
            } else {
                0
            };
            self.add(office_month(y, m), "receipts", sign);
            self.add(office_month(y, m), "revenue", sign * amount);
            self.add(office_month(y, m), "revenue_khqr", khqr);
            for scope in f.scopes() {
                self.add(service_month(scope, y, m), "receipts", sign);
                self.add(service_month(scope, y, m), "revenue", sign * amount);
                self.add(service_month(scope, y, m), "revenue_khqr", khqr);
            }
        }
        if let Some(done) = &f.completion {
            let (y, m) = (done.on.year(), done.on.month());
            let on_time = sign * i64::from(done.on_time);
            self.add(office_month(y, m), "completed", sign);
            self.add(office_month(y, m), "completed_on_time", on_time);
            self.add(
                office_month(y, m),
                "processing_days_sum",
                sign * i64::from(done.working_days.max(0)),
            );
            for scope in f.scopes() {
                self.add(service_month(scope, y, m), "completed", sign);
                self.add(service_month(scope, y, m), "completed_on_time", on_time);
                self.add(
                    RowKey::Duration {
                        scope: scope.to_string(),
                        year: y,
                        month: m,
                        service: f.service_id,
                        days: done.working_days.clamp(0, MAX_TRACKED_DAYS),
                        sector: f.sector_id,
                    },
                    "cases",
                    sign,
                );
            }
        }
    }

    /// The change from `before` to `after` (either may be absent: a new or removed case).
    pub fn transition(before: Option<&CaseFigures>, after: Option<&CaseFigures>) -> Deltas {
        let mut d = Deltas::default();
        if let Some(b) = before {
            d.case(b, -1);
        }
        if let Some(a) = after {
            d.case(a, 1);
        }
        d.0.retain(|_, cols| {
            cols.retain(|_, n| *n != 0);
            !cols.is_empty()
        });
        d
    }

    fn citizen(
        &mut self,
        office: &str,
        province: &str,
        on: NaiveDate,
        column: &'static str,
        n: i64,
    ) {
        self.add(
            RowKey::CitizenMonth {
                year: on.year(),
                month: on.month(),
                office: office.to_string(),
                province: province.to_string(),
            },
            column,
            n,
        );
    }

    /// A citizen's rating of a case of `office`.
    pub fn rating(&mut self, office: &str, province: &str, on: NaiveDate, rating: i64) {
        self.citizen(office, province, on, "ratings", 1);
        self.citizen(office, province, on, "rating_sum", rating);
    }

    /// A complaint filed on `filed_on`; `resolved` once it has an answer.
    pub fn complaint(
        &mut self,
        office: &str,
        province: &str,
        filed_on: NaiveDate,
        resolved: bool,
        sign: i64,
    ) {
        self.citizen(office, province, filed_on, "complaints", sign);
        self.citizen(
            office,
            province,
            filed_on,
            "complaints_resolved",
            sign * i64::from(resolved),
        );
    }

    /// Writes the changes with one multi-row upsert per table and chunk, all sent as one batch:
    /// a case action touches three or four rollups, and each statement sent alone is a round
    /// trip (on SQLite, a hand-off to the connection's worker thread).
    ///
    /// Only the counters that some row of the table changes are written; the others keep their
    /// default of zero in new rows. So a counter added by a later migration (`revenue_khqr`) is
    /// left out while nothing counts in it, and the demo generator still fills a database
    /// migrated only as far as an older release.
    pub async fn apply(&self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let mut batch = String::new();
        for sql in self.upserts() {
            // A rebuild's millions of rows go out in batches of about a megabyte.
            if batch.len() + sql.len() > 1 << 20 && !batch.is_empty() {
                db.execute_unprepared(&std::mem::take(&mut batch)).await?;
            }
            batch.push_str(&sql);
            batch.push_str(";\n");
        }
        if !batch.is_empty() {
            db.execute_unprepared(&batch).await?;
        }
        Ok(())
    }

    /// The upserts `apply` sends, per table in `Table::ALL` order and chunk of 500 rows.
    fn upserts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for table in Table::ALL {
            let rows: Vec<(&RowKey, &BTreeMap<&'static str, i64>)> = self
                .0
                .iter()
                .filter(|(key, cols)| {
                    Table::of(key).name() == table.name() && cols.values().any(|n| *n != 0)
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            let counters: Vec<&str> = table
                .counters()
                .iter()
                .copied()
                .filter(|c| {
                    rows.iter()
                        .any(|(_, cols)| cols.get(c).is_some_and(|n| *n != 0))
                })
                .collect();
            let values: Vec<String> = rows
                .iter()
                .map(|(key, cols)| {
                    let mut values = key_values(key);
                    for c in &counters {
                        values.push(cols.get(c).copied().unwrap_or(0).to_string());
                    }
                    format!("({})", values.join(","))
                })
                .collect();
            let columns: Vec<&str> = table
                .keys()
                .iter()
                .copied()
                .chain(counters.iter().copied())
                .collect();
            let updates: Vec<String> = counters
                .iter()
                .map(|c| format!("{c} = {t}.{c} + excluded.{c}", t = table.name()))
                .collect();
            for chunk in values.chunks(500) {
                out.push(format!(
                    "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}",
                    table.name(),
                    columns.join(", "),
                    chunk.join(","),
                    table.primary_key().join(", "),
                    updates.join(", ")
                ));
            }
        }
        out
    }
}

/// SQL literals of a row's key columns, in `Table::keys` order. Every string is a code read
/// from the database or an enum id, and is quoted all the same.
fn key_values(key: &RowKey) -> Vec<String> {
    fn text(s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
    }
    match key {
        RowKey::OfficeMonth {
            year,
            month,
            office,
            sector,
            province,
        } => vec![
            year.to_string(),
            month.to_string(),
            text(office),
            sector.to_string(),
            text(province),
        ],
        RowKey::ServiceMonth {
            scope,
            year,
            month,
            service,
            sector,
        } => vec![
            text(scope),
            year.to_string(),
            month.to_string(),
            service.to_string(),
            sector.to_string(),
        ],
        RowKey::Duration {
            scope,
            year,
            month,
            service,
            days,
            sector,
        } => vec![
            text(scope),
            year.to_string(),
            month.to_string(),
            service.to_string(),
            days.to_string(),
            sector.to_string(),
        ],
        RowKey::Backlog {
            scope,
            sector,
            stage,
            registered_on,
        } => vec![
            text(scope),
            sector.to_string(),
            text(stage.id()),
            text(&registered_on.to_string()),
        ],
        RowKey::CitizenMonth {
            year,
            month,
            office,
            province,
        } => vec![
            year.to_string(),
            month.to_string(),
            text(office),
            text(province),
        ],
    }
}

#[derive(Clone, Copy)]
enum Table {
    OfficeMonth,
    ServiceMonth,
    Duration,
    Backlog,
    CitizenMonth,
}

const OFFICE_MONTH_COUNTERS: [&str; 17] = [
    "at_registration",
    "at_cashier",
    "at_chief_check",
    "at_technical_review",
    "at_chief_opinion",
    "at_director_opinion",
    "at_decision",
    "at_tax_branch",
    "at_returned",
    "at_delivered",
    "rejected",
    "receipts",
    "revenue",
    "revenue_khqr",
    "completed",
    "completed_on_time",
    "processing_days_sum",
];

impl Table {
    const ALL: [Table; 5] = [
        Table::OfficeMonth,
        Table::ServiceMonth,
        Table::Duration,
        Table::Backlog,
        Table::CitizenMonth,
    ];

    fn of(key: &RowKey) -> Table {
        match key {
            RowKey::OfficeMonth { .. } => Table::OfficeMonth,
            RowKey::ServiceMonth { .. } => Table::ServiceMonth,
            RowKey::Duration { .. } => Table::Duration,
            RowKey::Backlog { .. } => Table::Backlog,
            RowKey::CitizenMonth { .. } => Table::CitizenMonth,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Table::OfficeMonth => "stat_office_month",
            Table::ServiceMonth => "stat_service_month",
            Table::Duration => "stat_duration",
            Table::Backlog => "stat_backlog",
            Table::CitizenMonth => "stat_citizen_month",
        }
    }

    /// Key columns in `key_values` order; the denormalised ones (province, sector) last.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Table::OfficeMonth => &["year", "month", "office_code", "sector_id", "province_code"],
            Table::ServiceMonth => &["scope", "year", "month", "service_id", "sector_id"],
            Table::Duration => &["scope", "year", "month", "service_id", "days", "sector_id"],
            Table::Backlog => &["scope", "sector_id", "stage", "registered_on"],
            Table::CitizenMonth => &["year", "month", "office_code", "province_code"],
        }
    }

    fn primary_key(self) -> &'static [&'static str] {
        match self {
            Table::OfficeMonth => &["year", "month", "office_code", "sector_id"],
            Table::ServiceMonth => &["scope", "year", "month", "service_id"],
            Table::Duration => &["scope", "year", "month", "service_id", "days"],
            Table::Backlog => &["scope", "registered_on", "sector_id", "stage"],
            Table::CitizenMonth => &["year", "month", "office_code"],
        }
    }

    fn counters(self) -> &'static [&'static str] {
        match self {
            Table::OfficeMonth => &OFFICE_MONTH_COUNTERS,
            Table::ServiceMonth => &[
                "registered",
                "receipts",
                "revenue",
                "revenue_khqr",
                "completed",
                "completed_on_time",
            ],
            Table::Duration | Table::Backlog => &["cases"],
            Table::CitizenMonth => &["ratings", "rating_sum", "complaints", "complaints_resolved"],
        }
    }
}

/// Applies one case's change in the caller's transaction.
pub async fn record_case_change(
    txn: &impl ConnectionTrait,
    before: Option<&CaseFigures>,
    after: Option<&CaseFigures>,
) -> Result<(), DbErr> {
    let d = Deltas::transition(before, after);
    if d.is_empty() {
        return Ok(());
    }
    d.apply(txn).await
}

/// Empties the rollups and recomputes them from the cases, payments, ratings and complaints.
/// Used after a restore or an import, and by tests as the reference for the incremental path.
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let backend = db.get_database_backend();
    for t in Table::ALL {
        db.execute_raw(Statement::from_string(
            backend,
            format!("DELETE FROM {}", t.name()),
        ))
        .await?;
    }
    let provinces: BTreeMap<String, String> = crate::backend::entities::office::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.code, o.province_code))
        .collect();
    // Cases in id pages, each page with its live payments, so memory stays bounded.
    const PAGE: u64 = 20_000;
    let mut after_id = 0i64;
    loop {
        let cases = case::Entity::find()
            .filter(case::Column::Id.gt(after_id))
            .order_by_asc(case::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = cases.last() else { break };
        let last_id = last.id;
        let payments: BTreeMap<i64, payment::Model> = payment::Entity::find()
            .filter(payment::Column::CaseId.gt(after_id))
            .filter(payment::Column::CaseId.lte(last_id))
            .filter(payment::is_live())
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.case_id, p))
            .collect();
        let mut d = Deltas::default();
        for c in &cases {
            if let Some(f) = CaseFigures::of(c, payments.get(&c.id)) {
                d.case(&f, 1);
            }
        }
        d.apply(db).await?;
        after_id = last_id;
    }
    let mut d = Deltas::default();
    for f in feedback::Entity::find().all(db).await? {
        let province = provinces.get(&f.office_code).cloned().unwrap_or_default();
        d.rating(
            &f.office_code,
            &province,
            local_date(f.created_at),
            i64::from(f.rating),
        );
    }
    for c in complaint::Entity::find().all(db).await? {
        let province = provinces.get(&c.office_code).cloned().unwrap_or_default();
        d.complaint(
            &c.office_code,
            &province,
            local_date(c.created_at),
            c.answered_at.is_some(),
            1,
        );
    }
    d.apply(db).await
}

/// Every rollup row, as text, in a stable order: for comparing two states in tests and checks.
pub async fn snapshot(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    #[derive(FromQueryResult)]
    struct Line {
        line: String,
    }
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    for t in Table::ALL {
        let cols: Vec<String> = t
            .keys()
            .iter()
            .chain(t.counters())
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect();
        let nonzero: Vec<String> = t.counters().iter().map(|c| format!("{c} <> 0")).collect();
        let concat = cols.join(" || '|' || ");
        let sql = format!(
            "SELECT {concat} AS line FROM {} WHERE {} ORDER BY 1",
            t.name(),
            nonzero.join(" OR ")
        );
        for l in Line::find_by_statement(Statement::from_string(backend, sql))
            .all(db)
            .await?
        {
            out.push(format!("{}|{}", t.name(), l.line));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> CaseFigures {
        CaseFigures {
            office_code: "1201".into(),
            province_code: "12".into(),
            sector_id: 15,
            service_id: 7,
            registered_on: NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(),
            stage: Stage::Cashier,
            status: CaseStatus::Active,
            payment: None,
            completion: None,
        }
    }

    #[test]
    fn a_stage_move_shifts_one_tile_and_the_backlog() {
        let before = figures();
        let after = CaseFigures {
            stage: Stage::ChiefCheck,
            payment: Some((
                NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
                5_000,
                PaymentChannel::Cash,
            )),
            ..before.clone()
        };
        let d = Deltas::transition(Some(&before), Some(&after));
        let office_march = RowKey::OfficeMonth {
            year: 2026,
            month: 3,
            office: "1201".into(),
            sector: 15,
            province: "12".into(),
        };
        let cols = &d.0[&office_march];
        assert_eq!(cols.get("at_cashier"), Some(&-1));
        assert_eq!(cols.get("at_chief_check"), Some(&1));
        // Revenue counts in the month it was paid, not the month of registration.
        assert!(!cols.contains_key("revenue"));
        let office_april = RowKey::OfficeMonth {
            year: 2026,
            month: 4,
            office: "1201".into(),
            sector: 15,
            province: "12".into(),
        };
        assert_eq!(d.0[&office_april].get("revenue"), Some(&5_000));
        assert!(!d.0[&office_april].contains_key("revenue_khqr"));
        // Registrations are unchanged, so no service row but the payment month's moves.
        assert!(d
            .0
            .keys()
            .all(|k| !matches!(k, RowKey::ServiceMonth { month: 3, .. })));
        let backlog: i64 =
            d.0.iter()
                .filter(|(k, _)| matches!(k, RowKey::Backlog { .. }))
                .map(|(_, c)| c["cases"])
                .sum();
        assert_eq!(backlog, 0, "one stage out, one in, at three levels");
    }

    #[test]
    fn delivery_leaves_the_backlog_and_counts_a_completion_at_every_level() {
        let before = CaseFigures {
            stage: Stage::Returned,
            ..figures()
        };
        let after = CaseFigures {
            stage: Stage::Delivered,
            status: CaseStatus::Delivered,
            completion: Some(Completion {
                on: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
                on_time: true,
                working_days: 500,
            }),
            ..before.clone()
        };
        let d = Deltas::transition(Some(&before), Some(&after));
        let durations: Vec<_> =
            d.0.keys()
                .filter_map(|k| match k {
                    RowKey::Duration { scope, days, .. } => Some((scope.clone(), *days)),
                    _ => None,
                })
                .collect();
        assert_eq!(
            durations,
            vec![
                ("12".to_string(), MAX_TRACKED_DAYS),
                ("1201".to_string(), MAX_TRACKED_DAYS),
                (NATIONAL.to_string(), MAX_TRACKED_DAYS)
            ]
        );
        let backlog: i64 =
            d.0.iter()
                .filter(|(k, _)| matches!(k, RowKey::Backlog { .. }))
                .map(|(_, c)| c["cases"])
                .sum();
        assert_eq!(backlog, -3);
    }

    #[test]
    fn khqr_revenue_counts_in_revenue_and_revenue_khqr_cash_only_in_revenue() {
        let paid_on = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
        let paid = |channel| CaseFigures {
            stage: Stage::ChiefCheck,
            payment: Some((paid_on, 7_000, channel)),
            ..figures()
        };
        let office_april = RowKey::OfficeMonth {
            year: 2026,
            month: 4,
            office: "1201".into(),
            sector: 15,
            province: "12".into(),
        };
        let service_april = |scope: &str| RowKey::ServiceMonth {
            scope: scope.into(),
            year: 2026,
            month: 4,
            service: 7,
            sector: 15,
        };
        let mut khqr = Deltas::default();
        khqr.case(&paid(PaymentChannel::Khqr), 1);
        let mut cash = Deltas::default();
        cash.case(&paid(PaymentChannel::Cash), 1);
        let mut rows = vec![office_april];
        rows.extend(["1201", "12", NATIONAL].map(service_april));
        for row in &rows {
            assert_eq!(khqr.0[row].get("revenue"), Some(&7_000), "{row:?}");
            assert_eq!(khqr.0[row].get("revenue_khqr"), Some(&7_000), "{row:?}");
            assert_eq!(cash.0[row].get("revenue"), Some(&7_000), "{row:?}");
            assert_eq!(cash.0[row].get("revenue_khqr"), None, "{row:?}");
        }
        // Switching the channel of the same payment moves only the KHQR part.
        let d = Deltas::transition(
            Some(&paid(PaymentChannel::Cash)),
            Some(&paid(PaymentChannel::Khqr)),
        );
        for row in &rows {
            assert_eq!(d.0[row].get("revenue"), None, "{row:?}");
            assert_eq!(d.0[row].get("revenue_khqr"), Some(&7_000), "{row:?}");
        }
    }

    #[test]
    fn upserts_write_only_the_counters_some_row_changes() {
        let paid = |channel| CaseFigures {
            payment: Some((NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(), 7_000, channel)),
            ..figures()
        };
        let mut cash = Deltas::default();
        cash.case(&paid(PaymentChannel::Cash), 1);
        let sql = cash.upserts();
        let office = sql
            .iter()
            .find(|s| s.starts_with("INSERT INTO stat_office_month "))
            .unwrap();
        assert!(office.contains("revenue = stat_office_month.revenue + excluded.revenue"));
        assert!(!office.contains("at_delivered"), "{office}");
        assert!(
            sql.iter().all(|s| !s.contains("revenue_khqr")),
            "a database without the KHQR counter still takes cash payments: {sql:?}"
        );
        let mut khqr = Deltas::default();
        khqr.case(&paid(PaymentChannel::Khqr), 1);
        let sql = khqr.upserts();
        for table in ["stat_office_month", "stat_service_month"] {
            let upsert = sql
                .iter()
                .find(|s| s.starts_with(&format!("INSERT INTO {table} ")))
                .unwrap();
            assert!(
                upsert.contains(&format!(
                    "revenue_khqr = {table}.revenue_khqr + excluded.revenue_khqr"
                )),
                "{upsert}"
            );
        }
    }

    #[test]
    fn no_change_means_no_write() {
        let f = figures();
        assert!(Deltas::transition(Some(&f), Some(&f)).is_empty());
        let rejected = CaseFigures {
            status: CaseStatus::Rejected,
            ..f
        };
        assert_eq!(rejected.tile_column(), "rejected");
    }
}
