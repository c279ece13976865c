//! Staff accounts from the command line and the demo seed. The rules live in
//! `app::backend::users`, shared with the administration screens; this only adapts the errors
//! to one line for the terminal.

use app::{
    backend::users::{self, Actor, UserRef},
    domain::{DistrictCode, ProvinceCode, Role},
    error::AppError,
    i18n::Locale,
    types::admin::StaffInput,
};
use sea_orm::DatabaseConnection;

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

/// The CLI speaks English: each problem as `--field: reason`.
fn cli_error(err: AppError) -> CliError {
    let texts = Locale::En.texts();
    match err {
        AppError::Validation(fields) => CliError::usage(
            fields
                .iter()
                .map(|f| {
                    let flag = match f.field.as_str() {
                        "office_code" => "office",
                        "province_code" => "province",
                        "full_name" => "full-name",
                        other => other,
                    };
                    format!("--{flag}: {}", texts.get(&f.key).unwrap_or(&f.key))
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        AppError::NotFound => CliError::usage("--username: no such user"),
        other => CliError::runtime(other.to_string()),
    }
}

/// Creates the user and their sector bindings in one transaction; answers the new id.
pub async fn add(db: &DatabaseConnection, new: NewUser) -> Result<i32, CliError> {
    let input = StaffInput {
        username: new.username,
        full_name: new.full_name,
        role: new.role.id().to_string(),
        office_code: new.office.map(|o| o.as_str().to_string()),
        province_code: new.province.map(|p| p.as_str().to_string()),
        sectors: new.sectors,
        password: new.password,
    };
    users::create(db, Actor::CommandLine, input, chrono::Utc::now())
        .await
        .map_err(cli_error)
}

/// Disables an account and ends all its sessions. Answers the sessions ended.
pub async fn disable(db: &DatabaseConnection, username: &str) -> Result<u64, CliError> {
    users::set_active(
        db,
        Actor::CommandLine,
        UserRef::Username(username),
        false,
        chrono::Utc::now(),
    )
    .await
    .map_err(cli_error)
}
