//! Staff accounts created from the command line and by the demo seed.

use app::{
    backend::entities::{office, user, user_sector},
    domain::{DistrictCode, Jurisdiction, ProvinceCode, Role},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::cli::CliError;

pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub office: Option<DistrictCode>,
    pub province: Option<ProvinceCode>,
    pub sectors: Vec<i32>,
    pub password: String,
}

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

fn validate(new: &NewUser) -> Result<Jurisdiction, CliError> {
    let name_ok = (3..=64).contains(&new.username.len())
        && new
            .username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !name_ok {
        return Err(CliError::usage(
            "--username: 3 to 64 characters of a-z, 0-9, '.', '_' or '-'",
        ));
    }
    let chars = new.password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(CliError::usage(format!(
            "password: {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters, got {chars}"
        )));
    }
    if !new.sectors.is_empty() && new.role != Role::TechnicalOfficer {
        return Err(CliError::usage(
            "--sectors: only a technical_officer is bound to sectors",
        ));
    }
    if new.role == Role::TechnicalOfficer && new.sectors.is_empty() {
        return Err(CliError::usage(
            "--sectors: a technical_officer needs at least one sector (1-17)",
        ));
    }
    if let Some(bad) = new.sectors.iter().find(|s| !(1..=17).contains(*s)) {
        return Err(CliError::usage(format!(
            "--sectors: {bad} is not a sector id (1-17)"
        )));
    }
    Jurisdiction::for_role(new.role, new.office.clone(), new.province.clone())
        .map_err(CliError::usage)
}

/// Creates the user and their sector bindings in one transaction; answers the new id.
pub async fn add(db: &DatabaseConnection, new: NewUser) -> Result<i32, CliError> {
    let jurisdiction = validate(&new)?;
    if let Jurisdiction::Office(code) = &jurisdiction {
        if office::Entity::find_by_id(code.as_str())
            .one(db)
            .await?
            .is_none()
        {
            return Err(CliError::usage(format!(
                "--office: no office has code {code}"
            )));
        }
    }
    if user::Entity::find()
        .filter(user::Column::Username.eq(&new.username))
        .one(db)
        .await?
        .is_some()
    {
        return Err(CliError::usage(format!(
            "--username: {:?} is taken",
            new.username
        )));
    }
    let hash = password_auth::generate_hash(&new.password);
    let now = chrono::Utc::now();
    let txn = app::backend::db::begin_write(db).await?;
    let created = user::ActiveModel {
        username: Set(new.username),
        password_hash: Set(hash),
        full_name: Set(new.full_name),
        role: Set(new.role.id().to_string()),
        office_code: Set(new.office.map(|o| o.as_str().to_string())),
        province_code: Set(new.province.map(|p| p.as_str().to_string())),
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
    for sector_id in new.sectors {
        user_sector::ActiveModel {
            user_id: Set(created.id),
            sector_id: Set(sector_id),
        }
        .insert(&txn)
        .await?;
    }
    app::backend::audit::record(
        &txn,
        app::backend::audit::AuditEvent {
            actor_name: Some("cli".into()),
            action: "user_create".into(),
            entity: "user".into(),
            entity_id: Some(created.id.to_string()),
            after: Some(serde_json::json!({
                "username": created.username, "role": created.role,
                "office": created.office_code, "province": created.province_code,
            })),
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(|e| CliError::runtime(e.to_string()))?;
    txn.commit().await?;
    Ok(created.id)
}

/// Disables an account and ends all its sessions in one transaction. Answers the sessions ended.
pub async fn disable(db: &DatabaseConnection, username: &str) -> Result<u64, CliError> {
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or_else(|| CliError::usage(format!("--username: no user {username:?}")))?;
    let now = chrono::Utc::now();
    let txn = app::backend::db::begin_write(db).await?;
    let mut m: user::ActiveModel = found.clone().into();
    m.active = Set(false);
    m.updated_at = Set(now);
    m.update(&txn).await?;
    let ended = app::backend::auth::end_sessions(&txn, found.id)
        .await
        .map_err(|e| CliError::runtime(e.to_string()))?;
    app::backend::audit::record(
        &txn,
        app::backend::audit::AuditEvent {
            actor_name: Some("cli".into()),
            action: "user_disable".into(),
            entity: "user".into(),
            entity_id: Some(found.id.to_string()),
            before: Some(serde_json::json!({ "active": found.active })),
            after: Some(serde_json::json!({ "active": false, "sessions_ended": ended })),
            ..Default::default()
        },
        now,
    )
    .await
    .map_err(|e| CliError::runtime(e.to_string()))?;
    txn.commit().await?;
    Ok(ended)
}
