//! `owso generate`: deterministic synthetic cases for demos and benchmarks.
//!
//! Cases follow their service's workflow with realistic skews: city offices (khan, krong) are
//! busier than rural districts, some months are busier than others (fewer requests around Khmer
//! New Year and Pchum Ben), most cases finish on time, a few are returned for correction or
//! rejected, and recent cases are still in progress. Rows are written as multi-row INSERTs in
//! large transactions; one thread builds SQL while the other writes.

use std::{collections::HashMap, fmt::Write as _, time::Instant};

use app::{
    backend::{
        entities::{district, holiday, office, service, village, workflow_step},
        stats::rollup::{CaseFigures, Completion, Deltas},
    },
    domain::{
        khqr::PaymentChannel,
        workflow::{decide, Action, ActorFacts, CaseFacts, Transition},
        CaseStatus, Holidays, Role, Stage,
    },
};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, FromQueryResult, QueryOrder,
    Statement,
};

use crate::{cli::CliError, names};

pub struct Options {
    pub cases: u64,
    pub seed: u64,
    pub year: Option<i32>,
    pub progress: bool,
}

pub struct Stats {
    pub cases: u64,
    pub seconds: f64,
}

/// Cases per transaction: large enough to amortise commits, small enough to bound memory.
const BATCH_CASES: usize = 10_000;
/// Rollup rows held in memory before they are written.
const ROLLUP_FLUSH_ROWS: usize = 400_000;
/// Rows per INSERT statement.
const ROWS_PER_INSERT: usize = 400;
/// Payments made from this year on may be KHQR, in about this share.
const KHQR_FROM_YEAR: i32 = 2026;
const KHQR_SHARE: f64 = 1.0 / 6.0;
use app::domain::calendar::PHNOM_PENH_OFFSET_SECS as LOCAL_OFFSET_SECS;

/// SplitMix64: tiny, fast and identical on every platform, so a seed always means the same cases.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        Self(
            weights
                .into_iter()
                .map(|w| {
                    total += w.max(0.0);
                    total
                })
                .collect(),
        )
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let target = rng.unit() * self.0.last().copied().unwrap_or(0.0);
        self.0
            .partition_point(|c| *c <= target)
            .min(self.0.len().saturating_sub(1))
    }
}

struct OfficeInfo {
    code: String,
    province: String,
    villages: Vec<String>,
    /// Share of late steps: some offices are slower than others.
    lateness: f64,
}

struct ServiceInfo {
    id: i32,
    sector_id: i32,
    fee: i64,
    time_standard: u32,
    steps: Vec<(Stage, u32)>,
    /// The workflow's stages alone, as the state machine reads them.
    stages: Vec<Stage>,
    /// The way on from each stage, unpaid and paid, asked of the state machine once per service
    /// rather than once per simulated step.
    forward: HashMap<(Stage, bool), Transition>,
}

impl ServiceInfo {
    /// What the state machine makes of `action` on a case of this service, taken by whichever
    /// role it grants the action to (the case's sector for technical officers); `None` when no
    /// one may. Generated cases take only transitions real ones could.
    fn decide(
        &self,
        stage: Stage,
        status: CaseStatus,
        paid: bool,
        action: Action,
    ) -> Option<Transition> {
        let case = CaseFacts {
            stage,
            status,
            steps: &self.stages,
            sector_id: self.sector_id,
            paid,
        };
        let sectors = [self.sector_id];
        Role::ALL.into_iter().find_map(|role| {
            decide(
                &case,
                &ActorFacts {
                    role,
                    sectors: &sectors,
                },
                action,
            )
            .ok()
        })
    }

    /// The way on from `stage`: the action the state machine allows that moves an active case
    /// to a later stage (payment, forwarding, approval, the tax branch, delivery).
    fn find_way_forward(&self, stage: Stage, paid: bool) -> Option<Transition> {
        Action::ALL
            .into_iter()
            .filter_map(|a| self.decide(stage, CaseStatus::Active, paid, a))
            .find(|t| t.to_stage > stage)
    }
}

#[derive(FromQueryResult)]
struct MaxId {
    max_id: Option<i64>,
}

#[derive(FromQueryResult)]
struct SequenceRow {
    key: String,
    year: i32,
    last_value: i32,
}

/// Everything the case builder needs, loaded once.
struct World {
    offices: Vec<OfficeInfo>,
    office_weights: Weighted,
    services: Vec<ServiceInfo>,
    service_weights: Weighted,
    holidays: Holidays,
    days: Vec<NaiveDate>,
    day_weights: Weighted,
    as_of: i64,
    /// The database has the payment channel and reference columns (the KHQR migration). Without
    /// them, as on a database migrated only as far as an older release, every payment is cash.
    payment_channels: bool,
}

/// Next free ids and per-key sequences, carried across batches.
struct Counters {
    case_id: i64,
    applicant_id: i64,
    enterprise_id: i64,
    event_id: i64,
    payment_id: i64,
    feedback_id: i64,
    case_seq: HashMap<(String, i32), i32>,
    receipt_seq: HashMap<(String, i32), i32>,
}

pub async fn generate(db: &DatabaseConnection, opts: Options) -> Result<Stats, CliError> {
    let started = Instant::now();
    let world = load_world(db, &opts).await?;
    let mut counters = load_counters(db).await?;
    let backend = db.get_database_backend();

    let mut rng = Rng(opts.seed ^ 0x005E_ED0F_0A5E);
    // Registration instants first, sorted, so that codes and ids follow time as they would.
    let mut instants: Vec<i64> = (0..opts.cases)
        .map(|_| {
            let day = world.days[world.day_weights.sample(&mut rng)];
            local_working_instant(day, &mut rng)
        })
        .collect();
    instants.sort_unstable();

    let bar = progress_bar(opts.progress, opts.cases);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(usize, Vec<String>, Option<Deltas>)>(2);
    let builder = tokio::task::spawn_blocking(move || {
        let mut sql = SqlBatch::new(backend, world.payment_channels);
        let mut rollups = Deltas::default();
        let chunks = instants.chunks(BATCH_CASES);
        let last = chunks.len().saturating_sub(1);
        for (i, chunk) in chunks.enumerate() {
            for &at in chunk {
                build_case(&world, &mut counters, &mut rng, at, &mut sql, &mut rollups);
            }
            // Rollup rows repeat across batches, so they are written rarely: when the map is
            // large, and once at the end, in the same transaction as the cases they count.
            let flush = (i == last || rollups.len() > ROLLUP_FLUSH_ROWS)
                .then(|| std::mem::take(&mut rollups));
            if tx.blocking_send((chunk.len(), sql.take(), flush)).is_err() {
                break;
            }
        }
        counters
    });
    while let Some((count, statements, rollups)) = rx.recv().await {
        let txn = app::backend::db::begin_write(db).await?;
        if backend == DatabaseBackend::Sqlite {
            // Index pages must stay in memory while millions of rows go in; the default 2 MB
            // cache makes every index insert a read from the OS.
            txn.execute_unprepared("PRAGMA cache_size = -262144")
                .await?;
        }
        for statement in statements {
            txn.execute_unprepared(&statement).await?;
        }
        if let Some(rollups) = rollups {
            rollups.apply(&txn).await?;
        }
        txn.commit().await?;
        if let Some(bar) = &bar {
            bar.inc(count as u64);
        }
    }
    let counters = builder
        .await
        .map_err(|e| CliError::runtime(format!("generator thread: {e}")))?;
    save_sequences(db, &counters).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(Stats {
        cases: opts.cases,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn progress_bar(enabled: bool, total: u64) -> Option<indicatif::ProgressBar> {
    if !enabled {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} cases ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

async fn load_world(db: &DatabaseConnection, opts: &Options) -> Result<World, CliError> {
    let today = Utc::now().date_naive();
    let (start, end) = match opts.year {
        Some(y) if y > today.year() => {
            return Err(CliError::usage(format!("--year: {y} is in the future")));
        }
        Some(y) => (
            NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(today),
            NaiveDate::from_ymd_opt(y, 12, 31)
                .unwrap_or(today)
                .min(today),
        ),
        None => (today - Days::new(730), today),
    };

    let district_types: HashMap<String, String> = district::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.type_en))
        .collect();
    let mut villages_by_district: HashMap<String, Vec<String>> = HashMap::new();
    for v in village::Entity::find()
        .order_by_asc(village::Column::Code)
        .all(db)
        .await?
    {
        villages_by_district
            .entry(v.code[..4].to_string())
            .or_default()
            .push(v.code);
    }
    let mut rng = Rng(opts.seed.wrapping_mul(31).wrapping_add(7));
    let mut office_weights = Vec::new();
    let mut offices = Vec::new();
    for o in office::Entity::find()
        .order_by_asc(office::Column::Code)
        .all(db)
        .await?
    {
        if !o.active {
            continue;
        }
        let urban = match district_types.get(&o.code).map(String::as_str) {
            Some("Section") => 4.0,
            Some("Municipality") => 2.5,
            _ => 1.0,
        };
        let province_factor = match o.province_code.as_str() {
            "12" => 1.6,
            "17" | "02" | "18" | "08" => 1.3,
            _ => 1.0,
        };
        office_weights.push(urban * province_factor * (0.5 + rng.unit()));
        offices.push(OfficeInfo {
            villages: villages_by_district.remove(&o.code).unwrap_or_default(),
            code: o.code,
            province: o.province_code,
            lateness: 0.04 + 0.2 * rng.unit() * rng.unit(),
        });
    }

    let mut steps_by_service: HashMap<i32, Vec<(i32, Stage, u32)>> = HashMap::new();
    for s in workflow_step::Entity::find().all(db).await? {
        steps_by_service.entry(s.service_id).or_default().push((
            s.position,
            s.stage,
            s.working_days.max(0) as u32,
        ));
    }
    let mut services = Vec::new();
    let mut service_weights = Vec::new();
    for s in service::Entity::find()
        .order_by_asc(service::Column::Id)
        .all(db)
        .await?
    {
        if !s.active {
            continue;
        }
        let mut steps = steps_by_service.remove(&s.id).unwrap_or_default();
        steps.sort_by_key(|(p, ..)| *p);
        let steps: Vec<(Stage, u32)> = steps.into_iter().map(|(_, st, d)| (st, d)).collect();
        if steps.len() < 2 || steps[0].0 != Stage::Registration {
            continue;
        }
        // Certified copies and civil registration are the bulk of an office's work.
        let sector_weight = match s.sector_id {
            15 => 12.0,
            14 => 8.0,
            3 | 4 => 4.0,
            6 | 17 => 3.0,
            16 => 2.5,
            _ => 1.0,
        };
        service_weights.push(sector_weight * (0.3 + rng.unit()));
        services.push(ServiceInfo {
            id: s.id,
            sector_id: s.sector_id,
            fee: s.fee_riel,
            time_standard: s.time_standard_days.max(0) as u32,
            stages: steps.iter().map(|s| s.0).collect(),
            steps,
            forward: HashMap::new(),
        });
        if let Some(info) = services.last_mut() {
            info.forward = Stage::ALL
                .into_iter()
                .flat_map(|stage| [(stage, false), (stage, true)])
                .filter_map(|key| Some((key, info.find_way_forward(key.0, key.1)?)))
                .collect();
        }
    }
    if offices.is_empty() || services.is_empty() {
        return Err(CliError::usage(
            "no offices or services with a workflow: run `owso seed --demo` first",
        ));
    }

    let holidays = Holidays::new(
        holiday::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|h| h.day),
    );
    let mut days = Vec::new();
    let mut day_weights = Vec::new();
    let mut day = start;
    while day <= end {
        if holidays.is_working_day(day) {
            days.push(day);
            // Busy before the new year and the rainy-season lull, quiet around the festivals.
            day_weights.push(match day.month() {
                1..=3 => 1.25,
                4 => 0.7,
                5 | 6 => 1.05,
                7..=9 => 0.9,
                10 => 0.8,
                11 => 0.95,
                _ => 1.1,
            });
        }
        day = day + Days::new(1);
    }
    if days.is_empty() {
        return Err(CliError::usage(
            "--year: that year has no working days up to today",
        ));
    }
    Ok(World {
        offices,
        office_weights: Weighted::new(office_weights),
        services,
        service_weights: Weighted::new(service_weights),
        holidays,
        days,
        day_weights: Weighted::new(day_weights),
        as_of: Utc::now().timestamp(),
        payment_channels: db
            .execute_unprepared("SELECT channel, reference FROM payments WHERE 1 = 0")
            .await
            .is_ok(),
    })
}

async fn max_id(db: &DatabaseConnection, table: &str) -> Result<i64, CliError> {
    let row = MaxId::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT MAX(id) AS max_id FROM {table}"),
    ))
    .one(db)
    .await?;
    Ok(row.and_then(|r| r.max_id).unwrap_or(0))
}

async fn load_sequences(
    db: &DatabaseConnection,
    sql: &str,
) -> Result<HashMap<(String, i32), i32>, CliError> {
    let rows = SequenceRow::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        sql.to_string(),
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.key, r.year), r.last_value))
        .collect())
}

async fn load_counters(db: &DatabaseConnection) -> Result<Counters, CliError> {
    Ok(Counters {
        case_id: max_id(db, "cases").await? + 1,
        applicant_id: max_id(db, "applicants").await? + 1,
        enterprise_id: max_id(db, "enterprises").await? + 1,
        event_id: max_id(db, "case_events").await? + 1,
        payment_id: max_id(db, "payments").await? + 1,
        feedback_id: max_id(db, "feedback").await? + 1,
        case_seq: load_sequences(
            db,
            "SELECT province_code AS key, year, last_value FROM case_sequences",
        )
        .await?,
        receipt_seq: load_sequences(
            db,
            "SELECT office_code AS key, year, last_value FROM receipt_sequences",
        )
        .await?,
    })
}

async fn save_sequences(db: &DatabaseConnection, counters: &Counters) -> Result<(), CliError> {
    let backend = db.get_database_backend();
    let txn = app::backend::db::begin_write(db).await?;
    for (table, key_column, map) in [
        ("case_sequences", "province_code", &counters.case_seq),
        ("receipt_sequences", "office_code", &counters.receipt_seq),
    ] {
        for ((key, year), last) in map {
            txn.execute_unprepared(&format!(
                "INSERT INTO {table} ({key_column}, year, last_value) VALUES ('{key}', {year}, {last}) \
                 ON CONFLICT ({key_column}, year) DO UPDATE SET last_value = excluded.last_value"
            ))
            .await?;
        }
    }
    if backend == DatabaseBackend::Postgres {
        // Ids were written explicitly; move each identity sequence past them.
        for table in [
            "cases",
            "applicants",
            "enterprises",
            "case_events",
            "payments",
            "feedback",
        ] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// A moment in office hours (07:30–11:30 or 14:00–17:00 local) on `day`, as Unix seconds.
fn local_working_instant(day: NaiveDate, rng: &mut Rng) -> i64 {
    let minute_of_day = if rng.chance(0.6) {
        450 + rng.below(240)
    } else {
        840 + rng.below(180)
    } as i64;
    let midnight = day
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc().timestamp())
        .unwrap_or(0);
    midnight + minute_of_day * 60 + rng.below(60) as i64 - LOCAL_OFFSET_SECS
}

fn local_date(instant: i64) -> NaiveDate {
    DateTime::from_timestamp(instant, 0)
        .map(app::domain::calendar::local_date)
        .unwrap_or_default()
}

/// `days` working days after `instant`, at a random office-hour moment; the same day when zero.
fn later(world: &World, rng: &mut Rng, instant: i64, days: u32) -> i64 {
    if days == 0 {
        return instant + 300 + rng.below(5400) as i64;
    }
    let day = world.holidays.add_working_days(local_date(instant), days);
    local_working_instant(day, rng).max(instant + 60)
}

const RETURN_REASONS: &[&str] = &[
    "ខ្វះច្បាប់ថតចម្លងអត្តសញ្ញាណប័ណ្ណ",
    "ប្លង់ទីតាំងមិនច្បាស់លាស់",
    "ខ្វះហត្ថលេខាមេឃុំ ឬចៅសង្កាត់",
];
const REJECT_REASONS: &[&str] = &["ទីតាំងស្ថិតក្នុងតំបន់ហាមឃាត់", "ឯកសារមិនស្របច្បាប់"];

struct Event {
    action: &'static str,
    from: Option<Stage>,
    to: Option<Stage>,
    status: &'static str,
    comment: Option<&'static str>,
    at: i64,
}

fn build_case(
    world: &World,
    c: &mut Counters,
    rng: &mut Rng,
    registered: i64,
    sql: &mut SqlBatch,
    rollups: &mut Deltas,
) {
    let office = &world.offices[world.office_weights.sample(rng)];
    let service = &world.services[world.service_weights.sample(rng)];
    let reg_date = local_date(registered);
    let year = reg_date.year();
    let seq = c
        .case_seq
        .entry((office.province.clone(), year))
        .or_insert(0);
    *seq += 1;
    let sequence = *seq;
    let code = format!("{}{:02}{:06}", office.province, year % 100, sequence);
    let pin = format!("{:06}", rng.below(1_000_000));
    let case_id = c.case_id;
    c.case_id += 1;
    let quantity: i64 = if rng.chance(0.8) {
        1
    } else {
        1 + rng.below(4) as i64
    };
    let fee_total = service.fee * quantity;

    // The applicant: an enterprise for business sectors now and then, otherwise a person.
    let business = matches!(service.sector_id, 1 | 3 | 5 | 12) && rng.chance(0.6);
    let (applicant_id, enterprise_id) = if business {
        let id = c.enterprise_id;
        c.enterprise_id += 1;
        let (name_km, name_latin) = rng.pick(names::ENTERPRISE_NAMES);
        let (kind_km, kind_latin) = rng.pick(names::ENTERPRISE_KINDS);
        sql.push(
            Table::Enterprises,
            format_args!(
                "({id},'ក្រុមហ៊ុន {name_km} {kind_km} ឯ.ក','{name_latin} {kind_latin} Co., Ltd.','{}','0{}',{})",
                format_args!("{:08}", rng.below(100_000_000)),
                12_000_000 + rng.below(87_999_999),
                Ts(registered)
            ),
        );
        (None, Some(id))
    } else {
        let id = c.applicant_id;
        c.applicant_id += 1;
        let female = rng.chance(0.52);
        let (family_km, family_latin) = rng.pick(names::FAMILY_NAMES);
        let (given_km, given_latin) = rng.pick(if female {
            names::FEMALE_NAMES
        } else {
            names::MALE_NAMES
        });
        let born = NaiveDate::from_ymd_opt(
            1950 + rng.below(55) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .unwrap_or_default();
        sql.push(
            Table::Applicants,
            format_args!(
                "({id},'{family_km} {given_km}','{} {}','{}','{born}','0{}','{:09}',{})",
                family_latin.to_uppercase(),
                given_latin.to_uppercase(),
                if female { "F" } else { "M" },
                12_000_000 + rng.below(87_999_999),
                rng.below(1_000_000_000),
                Ts(registered)
            ),
        );
        (Some(id), None)
    };

    // Walk the workflow until the case finishes, is rejected, or reaches today.
    let mut events: Vec<Event> = Vec::with_capacity(service.steps.len() + 2);
    let mut paused_days: u32 = 0;
    let mut status = CaseStatus::Active;
    let mut stage_entered = registered;
    let mut current = service
        .steps
        .get(1)
        .map(|s| s.0)
        .unwrap_or(Stage::Delivered);
    let online_waiting = registered > world.as_of - 10 * 86_400 && rng.chance(0.05);
    let mut delivered_at = None;
    let mut paid_at = None;
    if online_waiting {
        current = Stage::Registration;
        events.push(Event {
            action: "pre_register",
            from: None,
            to: Some(Stage::Registration),
            status: status.id(),
            comment: None,
            at: registered,
        });
    } else {
        events.push(Event {
            action: "register",
            from: None,
            to: Some(current),
            status: status.id(),
            comment: None,
            at: registered,
        });
        let mut t = registered;
        for &(stage, allowance) in service.steps.iter().skip(1) {
            current = stage;
            stage_entered = t;
            if stage == Stage::Delivered {
                break;
            }
            let late = rng.chance(office.lateness);
            let days = match stage {
                Stage::Cashier => 0,
                Stage::Returned => rng.below(8) as u32,
                _ if late => allowance + 1 + rng.below(allowance as u64 + 3) as u32,
                _ => (allowance as f64 * (0.3 + 0.7 * rng.unit())).round() as u32,
            };
            let paid = paid_at.is_some();
            let returned = service.decide(stage, CaseStatus::Active, paid, Action::Return);
            if let Some(ret) = returned.filter(|_| rng.chance(0.03)) {
                let returned_at = later(world, rng, t, days / 2);
                if returned_at > world.as_of {
                    break;
                }
                events.push(Event {
                    action: ret.action.id(),
                    from: Some(stage),
                    to: Some(ret.to_stage),
                    status: ret.to_status.id(),
                    comment: Some(rng.pick(RETURN_REASONS)),
                    at: returned_at,
                });
                let wait = 1 + rng.below(8) as u32;
                let resubmitted = later(world, rng, returned_at, wait);
                if resubmitted > world.as_of {
                    status = ret.to_status;
                    stage_entered = returned_at;
                    break;
                }
                let Some(back) = service.decide(stage, ret.to_status, paid, Action::Resubmit)
                else {
                    break;
                };
                paused_days += wait;
                events.push(Event {
                    action: back.action.id(),
                    from: Some(stage),
                    to: Some(back.to_stage),
                    status: back.to_status.id(),
                    comment: None,
                    at: resubmitted,
                });
                t = resubmitted;
            }
            let next_at = later(world, rng, t, days);
            if next_at > world.as_of {
                break;
            }
            let rejected = service.decide(stage, CaseStatus::Active, paid, Action::Reject);
            if let Some(reject) = rejected.filter(|_| rng.chance(0.005)) {
                status = reject.to_status;
                events.push(Event {
                    action: reject.action.id(),
                    from: Some(stage),
                    to: Some(reject.to_stage),
                    status: status.id(),
                    comment: Some(rng.pick(REJECT_REASONS)),
                    at: next_at,
                });
                stage_entered = next_at;
                break;
            }
            let Some(step) = service.forward.get(&(stage, paid)).copied() else {
                break;
            };
            let next = step.to_stage;
            if step.action == Action::Pay {
                paid_at = Some(next_at);
            }
            status = step.to_status;
            if step.to_status == CaseStatus::Delivered {
                delivered_at = Some(next_at);
            }
            events.push(Event {
                action: step.action.id(),
                from: Some(stage),
                to: Some(next),
                status: status.id(),
                comment: None,
                at: next_at,
            });
            t = next_at;
            if next == Stage::Delivered {
                current = Stage::Delivered;
                stage_entered = next_at;
                break;
            }
        }
    }

    let allowance = service
        .steps
        .iter()
        .find(|s| s.0 == current)
        .map(|s| s.1)
        .unwrap_or(0);
    let step_due = if matches!(current, Stage::Delivered | Stage::Returned)
        || status == CaseStatus::Rejected
    {
        None
    } else {
        Some(
            world
                .holidays
                .add_working_days(local_date(stage_entered), allowance),
        )
    };
    let due = world
        .holidays
        .add_working_days(reg_date, service.time_standard + paused_days);
    let village = if office.villages.is_empty() {
        "NULL".to_string()
    } else {
        format!(
            "'{}'",
            office.villages[rng.below(office.villages.len() as u64) as usize]
        )
    };
    let last_at = events.last().map(|e| e.at).unwrap_or(registered);
    let processing_days = delivered_at.map(|at| {
        (world
            .holidays
            .working_days_between(reg_date, local_date(at))
            - i64::from(paused_days))
        .max(0) as i32
    });
    sql.push(
        Table::Cases,
        format_args!(
            "({case_id},'{code}','{pin}','{}',{year},{sequence},'{}',{},{},{},{},{quantity},{},{fee_total},{village},NULL,'{}','{}','{}',{},{},{},{},{},'{due}',{},{paused_days},{},NULL,{},{},{})",
            office.province,
            office.code,
            service.id,
            service.sector_id,
            Opt(applicant_id),
            Opt(enterprise_id),
            service.fee,
            current.id(),
            status.id(),
            if online_waiting { "online" } else { "counter" },
            1 + events.len() as i64 - 1,
            Ts(registered),
            if online_waiting { "NULL".to_string() } else { Ts(registered).to_string() },
            Ts(stage_entered),
            step_due.map(|d| format!("'{d}'")).unwrap_or_else(|| "NULL".into()),
            if status == CaseStatus::ReturnedToCitizen { Ts(stage_entered).to_string() } else { "NULL".into() },
            delivered_at.map(|d| Ts(d).to_string()).unwrap_or_else(|| "NULL".into()),
            Ts(registered),
            Ts(last_at),
            Opt(processing_days.map(i64::from)),
        ),
    );
    for (seq, e) in events.iter().enumerate() {
        let id = c.event_id;
        c.event_id += 1;
        sql.push(
            Table::CaseEvents,
            format_args!(
                "({id},{case_id},{},'{}',{},{},'{}',NULL,NULL,{},{})",
                seq + 1,
                e.action,
                e.from
                    .map(|s| format!("'{}'", s.id()))
                    .unwrap_or_else(|| "NULL".into()),
                e.to.map(|s| format!("'{}'", s.id()))
                    .unwrap_or_else(|| "NULL".into()),
                e.status,
                e.comment
                    .map(|t| format!("'{t}'"))
                    .unwrap_or_else(|| "NULL".into()),
                Ts(e.at)
            ),
        );
    }
    let stage_status = status;
    // KHQR arrived in 2026: from then on about one payment in six is made online. The draw has
    // its own generator, keyed by the case, so adding it left every other draw, and so every
    // seed's cases, as they were (tests rely on what a seed gives).
    let channel = paid_at.map(|at| {
        let online = local_date(at).year() >= KHQR_FROM_YEAR
            && Rng(case_id as u64 ^ 0x4b48_5152).chance(KHQR_SHARE);
        if online && world.payment_channels {
            PaymentChannel::Khqr
        } else {
            PaymentChannel::Cash
        }
    });
    rollups.case(
        &CaseFigures {
            office_code: office.code.clone(),
            province_code: office.province.clone(),
            sector_id: service.sector_id,
            service_id: service.id,
            registered_on: reg_date,
            stage: current,
            status: stage_status,
            payment: paid_at
                .zip(channel)
                .map(|(at, channel)| (local_date(at), fee_total, channel)),
            completion: delivered_at.map(|at| Completion {
                on: local_date(at),
                on_time: local_date(at) <= due,
                working_days: processing_days.unwrap_or(0),
            }),
        },
        1,
    );
    if let Some(at) = delivered_at {
        // About a third of citizens rate the service, more harshly when it came late.
        if rng.chance(0.35) {
            let rated_at = at + 3600 + rng.below(3 * 86_400) as i64;
            if rated_at <= world.as_of {
                let late = local_date(at) > due;
                let rating = match (late, rng.below(10)) {
                    (false, 0) => 3,
                    (false, 1..=3) => 4,
                    (false, _) => 5,
                    (true, 0..=2) => 2,
                    (true, 3..=6) => 3,
                    (true, _) => 4,
                };
                let id = c.feedback_id;
                c.feedback_id += 1;
                sql.push(
                    Table::Feedback,
                    format_args!(
                        "({id},{case_id},'{}',{rating},NULL,{})",
                        office.code,
                        Ts(rated_at)
                    ),
                );
                rollups.rating(
                    &office.code,
                    &office.province,
                    local_date(rated_at),
                    i64::from(rating),
                );
            }
        }
    }
    if let Some((at, channel)) = paid_at.zip(channel) {
        let pay_year = local_date(at).year();
        let receipt = c
            .receipt_seq
            .entry((office.code.clone(), pay_year))
            .or_insert(0);
        *receipt += 1;
        let id = c.payment_id;
        c.payment_id += 1;
        // A KHQR payment carries the bank's reference; a made-up one, unique by payment id.
        let channel_columns = if world.payment_channels {
            let reference = match channel {
                PaymentChannel::Khqr => format!("'DEMO{id}'"),
                PaymentChannel::Cash => "NULL".into(),
            };
            format!(",'{}',{reference}", channel.id())
        } else {
            String::new()
        };
        sql.push(
            Table::Payments,
            format_args!(
                "({id},{case_id},'{}',{pay_year},{},'{}-{:02}-{:06}',{fee_total},NULL,{},NULL,NULL,NULL{channel_columns})",
                office.code,
                *receipt,
                office.code,
                pay_year % 100,
                *receipt,
                Ts(at),
            ),
        );
    }
}

/// A UTC timestamp literal in the text form sqlx uses for SQLite and PostgreSQL accepts.
struct Ts(i64);

impl std::fmt::Display for Ts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match Utc.timestamp_opt(self.0, 0).single() {
            Some(t) => write!(f, "'{}'", t.format("%Y-%m-%d %H:%M:%S+00:00")),
            None => f.write_str("NULL"),
        }
    }
}

struct Opt(Option<i64>);

impl std::fmt::Display for Opt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("NULL"),
        }
    }
}

#[derive(Clone, Copy)]
enum Table {
    Applicants,
    Enterprises,
    Cases,
    CaseEvents,
    Payments,
    Feedback,
}

impl Table {
    const ALL: [Table; 6] = [
        Table::Applicants,
        Table::Enterprises,
        Table::Cases,
        Table::CaseEvents,
        Table::Payments,
        Table::Feedback,
    ];

    /// The INSERT up to `VALUES`; payments with their channel and reference when the database has
    /// those columns.
    fn header(self, payment_channels: bool) -> &'static str {
        match self {
            Table::Payments if !payment_channels => "INSERT INTO payments (id, case_id, office_code, year, receipt_seq, receipt_number, amount, cashier_user_id, paid_at, cancelled_at, cancelled_by, cancel_reason) VALUES ",
            Table::Applicants => "INSERT INTO applicants (id, name_km, name_latin, sex, date_of_birth, phone, id_card_number, created_at) VALUES ",
            Table::Enterprises => "INSERT INTO enterprises (id, name_km, name_latin, registration_number, phone, created_at) VALUES ",
            Table::Cases => "INSERT INTO cases (id, code, pin, province_code, registration_year, sequence, office_code, service_id, sector_id, applicant_id, enterprise_id, quantity, fee_per_unit, fee_total, village_code, address_detail, stage, status, channel, version, registered_at, accepted_at, stage_entered_at, step_due_on, due_on, paused_since, paused_working_days, delivered_at, receiver_name, created_at, updated_at, processing_days) VALUES ",
            Table::CaseEvents => "INSERT INTO case_events (id, case_id, seq, action, from_stage, to_stage, status_after, actor_user_id, actor_name, comment, at) VALUES ",
            Table::Payments => "INSERT INTO payments (id, case_id, office_code, year, receipt_seq, receipt_number, amount, cashier_user_id, paid_at, cancelled_at, cancelled_by, cancel_reason, channel, reference) VALUES ",
            Table::Feedback => "INSERT INTO feedback (id, case_id, office_code, rating, comment, created_at) VALUES ",
        }
    }
}

/// Accumulates rows per table into multi-row INSERT statements, in foreign-key order.
struct SqlBatch {
    open: [(String, usize); 6],
    done: Vec<Vec<String>>,
    payment_channels: bool,
}

impl SqlBatch {
    fn new(_backend: DatabaseBackend, payment_channels: bool) -> Self {
        Self {
            open: Default::default(),
            done: vec![Vec::new(); 6],
            payment_channels,
        }
    }

    fn push(&mut self, table: Table, row: std::fmt::Arguments<'_>) {
        let i = table as usize;
        let (text, rows) = &mut self.open[i];
        if *rows == 0 {
            text.push_str(table.header(self.payment_channels));
        } else {
            text.push(',');
        }
        let _ = text.write_fmt(row);
        *rows += 1;
        if *rows == ROWS_PER_INSERT {
            self.done[i].push(std::mem::take(text));
            *rows = 0;
        }
    }

    /// The statements so far, parents before children so foreign keys hold at every statement.
    fn take(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for table in Table::ALL {
            let i = table as usize;
            out.append(&mut self.done[i]);
            let (text, rows) = &mut self.open[i];
            if *rows > 0 {
                out.push(std::mem::take(text));
                *rows = 0;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_weighted_sampling_respects_weights() {
        let (mut a, mut b) = (Rng(42), Rng(42));
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        let w = Weighted::new([0.0, 1.0, 0.0, 3.0]);
        let mut rng = Rng(1);
        let mut counts = [0; 4];
        for _ in 0..10_000 {
            counts[w.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[0] + counts[2], 0);
        assert!(counts[3] > 2 * counts[1], "{counts:?}");
    }

    #[test]
    fn working_instants_fall_in_office_hours() {
        let mut rng = Rng(9);
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        for _ in 0..1000 {
            let t = local_working_instant(day, &mut rng);
            assert_eq!(local_date(t), day);
            let minute = ((t + LOCAL_OFFSET_SECS).rem_euclid(86_400)) / 60;
            assert!(
                (450..690).contains(&minute) || (840..1020).contains(&minute),
                "{minute}"
            );
        }
    }

    #[test]
    fn batches_keep_foreign_key_order() {
        let mut b = SqlBatch::new(DatabaseBackend::Sqlite, true);
        b.push(Table::CaseEvents, format_args!("(1)"));
        b.push(Table::Applicants, format_args!("(1)"));
        b.push(Table::Applicants, format_args!("(2)"));
        let out = b.take();
        assert_eq!(out.len(), 2);
        assert!(out[0].starts_with("INSERT INTO applicants") && out[0].ends_with("(1),(2)"));
        assert!(out[1].starts_with("INSERT INTO case_events"));
        assert!(b.take().is_empty());
    }
}
