//! Staff accounts: created, disabled, re-enabled and given new passwords by a system
//! administrator (anyone), an office administrator (their own office's staff) or the command line.
//! Every change is one transaction with its audit entry.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::{
    audit::{self, AuditEvent},
    auth::{end_sessions, CurrentUser},
    db::begin_write,
    entities::{office, user, user_sector},
};
use crate::{
    domain::{password::check_new_password, DistrictCode, Jurisdiction, ProvinceCode, Role},
    error::{AppError, FieldError},
    types::admin::{StaffAccount, StaffInput},
};

pub const SECTOR_COUNT: i32 = 17;

/// Who is making the change: a signed-in administrator, or the operator at the command line.
#[derive(Clone, Copy)]
pub enum Actor<'a> {
    Admin(&'a CurrentUser, Option<&'a str>),
    CommandLine,
}

impl Actor<'_> {
    fn audit(&self) -> AuditEvent {
        match self {
            Actor::Admin(user, ip) => user.audit_actor(ip.map(str::to_string)),
            Actor::CommandLine => AuditEvent {
                actor_name: Some("cli".into()),
                ..Default::default()
            },
        }
    }

    /// Whether this actor may manage an account with this role in this office.
    fn may_manage(&self, role: Role, office_code: Option<&str>) -> bool {
        match self {
            Actor::CommandLine => true,
            Actor::Admin(admin, _) => match admin.role {
                Role::SystemAdmin => true,
                Role::OfficeAdmin => {
                    role.is_office_role()
                        && office_code.is_some()
                        && office_code == admin.office_code.as_deref()
                }
                _ => false,
            },
        }
    }
}

/// Only administrators reach the account screens at all.
pub fn require_admin(user: &CurrentUser) -> Result<(), AppError> {
    user.role.require(crate::domain::Area::Accounts)
}

fn account_of(model: user::Model, sectors: Vec<i32>, now: DateTime<Utc>) -> StaffAccount {
    StaffAccount {
        locked: model.locked_until.is_some_and(|until| until > now),
        id: model.id,
        username: model.username,
        full_name: model.full_name,
        role: Some(model.role),
        office_code: model.office_code,
        province_code: model.province_code,
        sectors,
        active: model.active,
    }
}

/// The accounts this administrator manages: all for a system administrator, their office's for
/// an office administrator. Optional filters by office and by a fragment of name or username.
pub async fn list(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    office_filter: Option<&str>,
    query: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<StaffAccount>, AppError> {
    require_admin(admin)?;
    let mut select = user::Entity::find().order_by_asc(user::Column::Username);
    if admin.role == Role::OfficeAdmin {
        select = select.filter(user::Column::OfficeCode.eq(admin.office_code.clone()));
    } else if let Some(office) = office_filter.map(str::trim).filter(|o| !o.is_empty()) {
        select = select.filter(user::Column::OfficeCode.eq(office));
    }
    if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
        let q = q.chars().take(64).collect::<String>();
        select = select.filter(
            Condition::any()
                .add(user::Column::Username.contains(&q))
                .add(user::Column::FullName.contains(&q)),
        );
    }
    let users = select.all(db).await?;
    let sectors = user_sector::Entity::find().all(db).await?;
    Ok(users
        .into_iter()
        .map(|u| {
            let mine = sectors
                .iter()
                .filter(|s| s.user_id == u.id)
                .map(|s| s.sector_id)
                .collect();
            account_of(u, mine, now)
        })
        .collect())
}

fn valid_username(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Parses and checks the form once; every problem is reported against its field.
fn validate(input: &StaffInput) -> Result<(Role, Jurisdiction, Vec<i32>), AppError> {
    let mut errors = Vec::new();
    if !valid_username(input.username.trim()) {
        errors.push(FieldError::new("username", "err_bad_username"));
    }
    let full_name = input.full_name.trim();
    if full_name.is_empty() {
        errors.push(FieldError::new("full_name", "err_required"));
    } else if full_name.chars().count() > 200 {
        errors.push(FieldError::new("full_name", "err_too_long"));
    }
    if let Err(key) = check_new_password(&input.password, input.username.trim()) {
        errors.push(FieldError::new("password", key));
    }
    let role = Role::from_id(input.role.trim());
    if role.is_none() {
        errors.push(FieldError::new("role", "err_out_of_range"));
    }
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let office = match text(&input.office_code).map(|o| DistrictCode::parse(&o)) {
        None => None,
        Some(Ok(code)) => Some(code),
        Some(Err(e)) => {
            errors.push(FieldError::parse("office_code", e));
            None
        }
    };
    let province = match text(&input.province_code).map(|p| ProvinceCode::parse(&p)) {
        None => None,
        Some(Ok(code)) => Some(code),
        Some(Err(e)) => {
            errors.push(FieldError::parse("province_code", e));
            None
        }
    };
    let mut sectors = input.sectors.clone();
    sectors.sort_unstable();
    sectors.dedup();
    if sectors.iter().any(|s| !(1..=SECTOR_COUNT).contains(s)) {
        errors.push(FieldError::new("sectors", "err_out_of_range"));
    }
    let mut jurisdiction = None;
    if let Some(role) = role {
        if role == Role::TechnicalOfficer && sectors.is_empty() {
            errors.push(FieldError::new("sectors", "err_sector_required"));
        }
        if role != Role::TechnicalOfficer && !sectors.is_empty() {
            errors.push(FieldError::new("sectors", "err_sectors_only_technical"));
        }
        match Jurisdiction::for_role(role, office.clone(), province.clone()) {
            Ok(j) => jurisdiction = Some(j),
            Err(_) if role.is_office_role() => {
                errors.push(FieldError::new("office_code", "err_office_required"))
            }
            Err(_) if role == Role::ProvinceViewer => {
                errors.push(FieldError::new("province_code", "err_province_required"))
            }
            Err(_) => errors.push(FieldError::new(
                "office_code",
                "err_no_jurisdiction_for_role",
            )),
        }
    }
    match (role, jurisdiction) {
        (Some(role), Some(j)) if errors.is_empty() => Ok((role, j, sectors)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Creates an account and its sector bindings in one transaction; answers the new id.
pub async fn create(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: StaffInput,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let (role, jurisdiction, sectors) = validate(&input)?;
    let office_code = match &jurisdiction {
        Jurisdiction::Office(code) => Some(code.as_str().to_string()),
        _ => None,
    };
    let province_code = match &jurisdiction {
        Jurisdiction::Province(code) => Some(code.as_str().to_string()),
        _ => None,
    };
    if !actor.may_manage(role, office_code.as_deref()) {
        return Err(AppError::field("role", "err_role_not_yours"));
    }
    if let Some(code) = &office_code {
        if office::Entity::find_by_id(code.as_str())
            .one(db)
            .await?
            .is_none()
        {
            return Err(AppError::field("office_code", "err_no_such_office"));
        }
    }
    let username = input.username.trim().to_string();
    let hash = password_auth::generate_hash(&input.password);
    let txn = begin_write(db).await?;
    let taken = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(&txn)
        .await?
        .is_some();
    if taken {
        return Err(AppError::field("username", "err_username_taken"));
    }
    let created = user::ActiveModel {
        username: Set(username),
        password_hash: Set(hash),
        full_name: Set(input.full_name.trim().to_string()),
        role: Set(role),
        office_code: Set(office_code),
        province_code: Set(province_code),
        active: Set(true),
        failed_logins: Set(0),
        first_failed_at: Set(None),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for sector_id in &sectors {
        user_sector::ActiveModel {
            user_id: Set(created.id),
            sector_id: Set(*sector_id),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        AuditEvent {
            action: "user_create".into(),
            entity: "user".into(),
            entity_id: Some(created.id.to_string()),
            after: Some(serde_json::json!({
                "username": created.username, "role": created.role,
                "office": created.office_code, "province": created.province_code,
                "sectors": sectors,
            })),
            ..actor.audit()
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(created.id)
}

/// The account, if this actor manages it. Others' accounts answer "not found", like cases.
async fn managed(
    db: &impl ConnectionTrait,
    actor: Actor<'_>,
    target: UserRef<'_>,
) -> Result<user::Model, AppError> {
    if let Actor::Admin(admin, _) = actor {
        require_admin(admin)?;
    }
    let found = match target {
        UserRef::Id(id) => user::Entity::find_by_id(id).one(db).await?,
        UserRef::Username(name) => {
            user::Entity::find()
                .filter(user::Column::Username.eq(name))
                .one(db)
                .await?
        }
    }
    .ok_or(AppError::NotFound)?;
    let role = found.role;
    if actor.may_manage(role, found.office_code.as_deref()) {
        Ok(found)
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Clone, Copy)]
pub enum UserRef<'a> {
    Id(i32),
    Username(&'a str),
}

/// Disables or re-enables an account. Disabling ends every session at once, and API tokens stop
/// working because they are only honoured for active accounts. Answers the sessions ended.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    target: UserRef<'_>,
    active: bool,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let found = managed(db, actor, target).await?;
    if let Actor::Admin(admin, _) = actor {
        if admin.id == found.id && !active {
            return Err(AppError::field("user", "err_cannot_disable_self"));
        }
    }
    let txn = begin_write(db).await?;
    let mut m: user::ActiveModel = found.clone().into();
    m.active = Set(active);
    if active {
        m.failed_logins = Set(0);
        m.first_failed_at = Set(None);
        m.locked_until = Set(None);
    }
    m.updated_at = Set(now);
    m.update(&txn).await?;
    let ended = if active {
        0
    } else {
        end_sessions(&txn, found.id).await?
    };
    audit::record(
        &txn,
        AuditEvent {
            action: if active {
                "user_enable"
            } else {
                "user_disable"
            }
            .into(),
            entity: "user".into(),
            entity_id: Some(found.id.to_string()),
            before: Some(serde_json::json!({ "active": found.active })),
            after: Some(serde_json::json!({ "active": active, "sessions_ended": ended })),
            ..actor.audit()
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// Sets a new password chosen by the administrator and ends the account's sessions, so whoever
/// held the old password is signed out.
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    target: UserRef<'_>,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let found = managed(db, actor, target).await?;
    check_new_password(password, &found.username)
        .map_err(|key| AppError::field("password", key))?;
    let hash = password_auth::generate_hash(password);
    let txn = begin_write(db).await?;
    let mut m: user::ActiveModel = found.clone().into();
    m.password_hash = Set(hash);
    m.failed_logins = Set(0);
    m.first_failed_at = Set(None);
    m.locked_until = Set(None);
    m.updated_at = Set(now);
    m.update(&txn).await?;
    let ended = end_sessions(&txn, found.id).await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "user_password_reset".into(),
            entity: "user".into(),
            entity_id: Some(found.id.to_string()),
            after: Some(serde_json::json!({ "sessions_ended": ended })),
            ..actor.audit()
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
