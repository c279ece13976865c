//! Demo data: the demo service catalogue (clearly marked `is_demo`) and generated cases.

use app::{
    backend::entities::{case, service, user, workflow_step},
    domain::{calendar::split_time_standard, DistrictCode, ProvinceCode, Role, Stage},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait,
};
use serde::Deserialize;

use crate::{cli::CliError, users::NewUser};

/// The demo catalogue. No public list of OWSO services exists, so these are realistic inventions.
pub const DEMO_SERVICES_JSON: &str = include_str!("seed/services.json");

/// The seed used for demo cases, so every fresh demo database looks the same.
pub const DEMO_CASES_SEED: u64 = 2026;

#[derive(Debug, Deserialize)]
pub struct DemoService {
    pub code: String,
    pub sector: i32,
    pub name_km: String,
    pub name_en: String,
    pub unit_km: String,
    pub unit_en: String,
    pub fee_riel: i64,
    pub time_standard_days: u32,
    pub tax_branch: bool,
    pub documents_km: Vec<String>,
    pub documents_en: Vec<String>,
    pub workflow: Vec<String>,
}

pub fn demo_services() -> Result<Vec<DemoService>, CliError> {
    let services: Vec<DemoService> = serde_json::from_str(DEMO_SERVICES_JSON)
        .map_err(|e| CliError::runtime(format!("demo catalogue: {e}")))?;
    for s in &services {
        for stage in &s.workflow {
            Stage::from_id(stage).ok_or_else(|| {
                CliError::runtime(format!("demo catalogue: {}: unknown stage {stage}", s.code))
            })?;
        }
    }
    Ok(services)
}

/// Loads the demo catalogue unless the database already has services. Answers how many it added.
pub async fn load_catalogue(db: &DatabaseConnection) -> Result<usize, CliError> {
    if service::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let services = demo_services()?;
    let now = chrono::Utc::now();
    let txn = db.begin().await?;
    for s in &services {
        let stages: Vec<Stage> = s
            .workflow
            .iter()
            .filter_map(|id| Stage::from_id(id))
            .collect();
        let created = service::ActiveModel {
            code: Set(s.code.clone()),
            sector_id: Set(s.sector),
            name_km: Set(s.name_km.clone()),
            name_en: Set(s.name_en.clone()),
            unit_km: Set(s.unit_km.clone()),
            unit_en: Set(s.unit_en.clone()),
            fee_riel: Set(s.fee_riel),
            time_standard_days: Set(s.time_standard_days as i32),
            tax_branch: Set(s.tax_branch),
            documents_km: Set(serde_json::to_string(&s.documents_km).unwrap_or_default()),
            documents_en: Set(serde_json::to_string(&s.documents_en).unwrap_or_default()),
            is_demo: Set(true),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let allowances = split_time_standard(s.time_standard_days, &stages);
        for (position, (stage, days)) in stages.iter().zip(allowances).enumerate() {
            workflow_step::ActiveModel {
                service_id: Set(created.id),
                position: Set(position as i32 + 1),
                stage: Set(*stage),
                working_days: Set(days as i32),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(services.len())
}

/// The password of every demo account; printed by `./run.sh` and listed in the README.
pub const DEMO_PASSWORD: &str = "owso-demo-2026";

/// Offices with a full demo staff: a Phnom Penh khan and Battambang municipality.
pub const DEMO_OFFICES: [&str; 2] = ["1201", "0203"];

/// Every demo account: the full staff of each demo office, a province and a national viewer, and a
/// system administrator.
pub fn demo_accounts() -> Vec<NewUser> {
    let account = |username: String, role, office: Option<&str>, province: Option<&str>| NewUser {
        full_name: username.clone(),
        username,
        role,
        office: office.and_then(|o| DistrictCode::parse(o).ok()),
        province: province.and_then(|p| ProvinceCode::parse(p).ok()),
        sectors: if role == Role::TechnicalOfficer {
            (1..=17).collect()
        } else {
            Vec::new()
        },
        password: DEMO_PASSWORD.into(),
    };
    let mut accounts = Vec::new();
    for office in DEMO_OFFICES {
        for (prefix, role) in [
            ("desk", Role::FrontDesk),
            ("cashier", Role::Cashier),
            ("chief", Role::OfficeChief),
            ("tech", Role::TechnicalOfficer),
            ("director", Role::AdminDirector),
            ("decision", Role::DecisionMaker),
            ("admin", Role::OfficeAdmin),
        ] {
            accounts.push(account(
                format!("{prefix}.{office}"),
                role,
                Some(office),
                None,
            ));
        }
    }
    accounts.push(account(
        "viewer.12".into(),
        Role::ProvinceViewer,
        None,
        Some("12"),
    ));
    accounts.push(account("national".into(), Role::NationalViewer, None, None));
    accounts.push(account("sysadmin".into(), Role::SystemAdmin, None, None));
    accounts
}

/// Creates the demo accounts that do not exist yet. Answers how many it created.
pub async fn load_demo_users(db: &DatabaseConnection) -> Result<usize, CliError> {
    let mut created = 0;
    for account in demo_accounts() {
        let exists = user::Entity::find()
            .filter(user::Column::Username.eq(&account.username))
            .one(db)
            .await?
            .is_some();
        if !exists {
            crate::users::add(db, account).await?;
            created += 1;
        }
    }
    Ok(created)
}

/// A demo Bakong account for each demo office, so receipts show a KHQR out of the box. The
/// `@demo` bank does not exist: real offices set theirs on `/admin/payment-account`.
pub async fn load_demo_payment_accounts(db: &DatabaseConnection) -> Result<usize, CliError> {
    use app::{
        backend::{
            entities::{district, province},
            payments,
        },
        domain::khqr::{PaymentAccount, PaymentAccountInput, MAX_CITY, MAX_MERCHANT_NAME},
    };
    let fit = |text: String, max: usize| text.chars().take(max).collect::<String>();
    let mut added = 0;
    for office in DEMO_OFFICES {
        let Some(d) = district::Entity::find_by_id(office).one(db).await? else {
            continue;
        };
        let city = province::Entity::find_by_id(d.province_code.clone())
            .one(db)
            .await?
            .map(|p| p.name_latin)
            .unwrap_or_default();
        let input = PaymentAccountInput {
            account_id: format!("owso_{office}@demo"),
            merchant_name: fit(format!("OWSO {}", d.name_latin), MAX_MERCHANT_NAME),
            merchant_name_km: fit(format!("{}{}", d.type_km, d.name_km), MAX_MERCHANT_NAME),
            city: fit(city, MAX_CITY),
            merchant_id: String::new(),
            acquiring_bank: String::new(),
        };
        let account = PaymentAccount::parse(&input).map_err(|errors| {
            CliError::runtime(format!("demo payment account for {office}: {errors:?}"))
        })?;
        if payments::seed_account(db, office, &account, chrono::Utc::now())
            .await
            .map_err(|e| CliError::runtime(e.to_string()))?
        {
            added += 1;
        }
    }
    Ok(added)
}

/// `owso seed --demo`: catalogue, demo users, then cases when the database has none.
pub async fn demo(db: &DatabaseConnection, cases: u64) -> Result<(), CliError> {
    let added = load_catalogue(db).await?;
    println!("demo catalogue: {added} services added (demo data)");
    let users = load_demo_users(db).await?;
    println!("demo users: {users} added (password {DEMO_PASSWORD})");
    // A database migrated only part way (as a migration test sets up) has no accounts table yet.
    if migration::SchemaManager::new(db)
        .has_table("office_payment_accounts")
        .await?
    {
        let accounts = load_demo_payment_accounts(db).await?;
        println!("demo KHQR accounts: {accounts} added");
    }
    let existing = case::Entity::find().count(db).await?;
    if existing == 0 && cases > 0 {
        let stats = crate::generate::generate(
            db,
            crate::generate::Options {
                cases,
                seed: DEMO_CASES_SEED,
                year: None,
                progress: true,
            },
        )
        .await?;
        println!(
            "demo cases: {} generated in {:.1} s",
            stats.cases, stats.seconds
        );
    } else {
        println!("demo cases: database already has {existing} cases; none added");
    }
    Ok(())
}
