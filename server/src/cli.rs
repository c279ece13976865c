use std::{io::Read, process::ExitCode};

use app::{
    backend::{db, settings::Settings},
    domain::{DistrictCode, ProvinceCode, Role},
};
use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};

/// OWSO: the case system of Cambodia's One Window Service Offices.
#[derive(Debug, Parser)]
#[command(name = "owso", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application and the JSON API (the default command).
    Serve,
    /// Apply, roll back or list the database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load data into an empty database.
    Seed {
        /// The demo catalogue, demo users and generated cases, so that no screen starts empty.
        #[arg(long)]
        demo: bool,
        /// How many cases the demo generates.
        #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(0..=10_000_000))]
        cases: u64,
    },
    /// Generate deterministic synthetic cases over all offices, services, stages and dates.
    Generate {
        /// Number of cases to add.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000), allow_negative_numbers = true)]
        cases: u64,
        /// Seed of the random generator; the same seed on the same database gives the same cases.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Put every case in this year instead of spreading them over the last two years.
        #[arg(long, value_parser = clap::value_parser!(i32).range(2000..=2099), allow_negative_numbers = true)]
        year: Option<i32>,
    },
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage bearer tokens for the JSON API.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Maintain the statistics rollups.
    Stats {
        #[command(subcommand)]
        action: StatsAction,
    },
    /// KHQR payments.
    Payments {
        #[command(subcommand)]
        action: PaymentsAction,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Copy the database to FILE while the servers keep serving (SQLite: `VACUUM INTO`;
    /// PostgreSQL: `pg_dump --format=custom`).
    Backup {
        /// Where to write the backup; must not exist yet.
        file: std::path::PathBuf,
    },
    /// Put a backup made by `owso backup` back as the database, then verify it. Stop the
    /// servers first.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Issue a bearer token for a user; it is printed once and stored only as a hash.
    Create {
        #[arg(long)]
        username: String,
        /// What the token is for, e.g. the client system's name.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatsAction {
    /// Recompute every rollup from the cases, payments, ratings and complaints.
    Rebuild,
    /// Recompute the rollups and report whether they matched the kept ones.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum PaymentsAction {
    /// Print the KHQR of up to COUNT cases waiting at a cashier of an office with a Bakong
    /// account, one JSON object per line, so another implementation can check them.
    Codes {
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        count: u64,
    },
    /// Print KHQRs for COUNT made-up cases over every office, with varied names and fees, one
    /// JSON object per line with what each must say. Touches no case.
    Sample {
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Recompute the hash chain and name the first broken row, if any.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Roll back migrations (the last one by default).
    Down {
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// One of: front_desk, cashier, office_chief, technical_officer, admin_director,
        /// decision_maker, office_admin, province_viewer, national_viewer, system_admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The office (4-digit district code) of an office role.
        #[arg(long, value_parser = parse_office)]
        office: Option<DistrictCode>,
        /// The province (2-digit code) of a province viewer.
        #[arg(long, value_parser = parse_province)]
        province: Option<ProvinceCode>,
        /// Full name shown in case timelines; defaults to the username.
        #[arg(long)]
        full_name: Option<String>,
        /// Sector ids (1–17) of a technical officer, comma-separated.
        #[arg(long, value_delimiter = ',')]
        sectors: Vec<i32>,
    },
    /// Disable a user: they can no longer sign in, and their sessions end at once.
    Disable {
        #[arg(long)]
        username: String,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::from_id(value).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.id()).collect();
        format!("unknown role {value:?} (known: {})", known.join(", "))
    })
}

fn parse_office(value: &str) -> Result<DistrictCode, String> {
    DistrictCode::parse(value).map_err(|e| format!("office code {value:?}: {e}"))
}

fn parse_province(value: &str) -> Result<ProvinceCode, String> {
    ProvinceCode::parse(value).map_err(|e| format!("province code {value:?}: {e}"))
}

/// A failure with its exit code: 2 for anything the caller can fix, 1 for the rest.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<sea_orm::DbErr> for CliError {
    fn from(err: sea_orm::DbErr) -> Self {
        CliError::runtime(format!("database: {err}"))
    }
}

/// Collapses clap's multi-line report into one line, without the usage block.
fn one_line(err: &clap::Error) -> String {
    err.render()
        .to_string()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:"))
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("{}", one_line(&err));
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", err.message);
            ExitCode::from(err.code)
        }
    }
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    let settings = Settings::from_env().map_err(CliError::usage)?;
    db::validate_url(&settings.database_url).map_err(CliError::usage)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::serve::run(settings).await,
        Command::Migrate { action } => migrate(&settings, action).await,
        Command::Seed { demo, cases } => {
            if !demo {
                return Err(CliError::usage("seed: nothing to do; pass --demo"));
            }
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            crate::seed::demo(&conn, cases).await
        }
        Command::Generate { cases, seed, year } => {
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            let stats = crate::generate::generate(
                &conn,
                crate::generate::Options {
                    cases,
                    seed,
                    year,
                    progress: true,
                },
            )
            .await?;
            println!(
                "generated {} cases in {:.2} s ({:.0} cases/s)",
                stats.cases,
                stats.seconds,
                stats.cases as f64 / stats.seconds.max(1e-9)
            );
            Ok(())
        }
        Command::Token {
            action: TokenAction::Create { username, label },
        } => {
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            let token =
                app::backend::auth::create_api_token(&conn, &username, &label, chrono::Utc::now())
                    .await
                    .map_err(|e| match e {
                        app::error::AppError::Validation(_) => {
                            CliError::usage(format!("--username: no user {username:?}"))
                        }
                        other => CliError::runtime(other.to_string()),
                    })?;
            println!("{token}");
            Ok(())
        }
        Command::Stats { action } => {
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            crate::stats::run(&conn, action).await
        }
        Command::Payments {
            action: PaymentsAction::Codes { count },
        } => {
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            let codes = app::backend::payments::sample_codes(&conn, count, chrono::Utc::now())
                .await
                .map_err(|e| CliError::runtime(e.to_string()))?;
            for (code, request) in codes {
                let line = serde_json::json!({
                    "case": code,
                    "office": request.office_code,
                    "amount": request.amount,
                    "md5": request.md5,
                    "payload": request.payload,
                });
                println!("{line}");
            }
            Ok(())
        }
        Command::Payments {
            action: PaymentsAction::Sample { count, seed },
        } => {
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            let samples =
                crate::payment_samples::samples(&conn, count, seed, chrono::Utc::now()).await?;
            for sample in samples {
                println!("{}", serde_json::to_string(&sample).unwrap_or_default());
            }
            Ok(())
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let conn = open(&settings).await?;
            let rows = verify_audit(&conn).await?;
            println!("audit log intact: {rows} rows");
            Ok(())
        }
        Command::Backup { file } => crate::backup::backup(&settings, &file).await,
        Command::Restore { file } => crate::backup::restore(&settings, &file).await,
        Command::User {
            action: UserAction::Disable { username },
        } => {
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            let ended = crate::users::disable(&conn, &username).await?;
            println!("disabled {username}; {ended} session(s) ended");
            Ok(())
        }
        Command::User {
            action:
                UserAction::Add {
                    username,
                    role,
                    office,
                    province,
                    full_name,
                    sectors,
                },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| {
                    CliError::usage(format!("cannot read the password from stdin: {e}"))
                })?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let conn = open(&settings).await?;
            Migrator::up(&conn, None).await?;
            let new_user = crate::users::NewUser {
                full_name: full_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                office,
                province,
                sectors,
                password,
            };
            let id = crate::users::add(&conn, new_user).await?;
            println!("created user {id}");
            Ok(())
        }
    }
}

/// Recomputes the audit hash chain; answers the number of rows, or names the first broken one.
pub async fn verify_audit(conn: &sea_orm::DatabaseConnection) -> Result<u64, CliError> {
    match app::backend::audit::verify(conn)
        .await
        .map_err(|e| CliError::runtime(e.to_string()))?
    {
        app::backend::audit::Verification::Intact { rows } => Ok(rows),
        app::backend::audit::Verification::Broken { row_id, reason } => Err(CliError::runtime(
            format!("audit log broken at row {row_id}: {reason}"),
        )),
    }
}

pub(crate) async fn open(settings: &Settings) -> Result<sea_orm::DatabaseConnection, CliError> {
    db::connect(&settings.database_url, settings.db_pool_size)
        .await
        .map_err(|e| CliError::usage(format!("DATABASE_URL: cannot open the database: {e}")))
}

async fn migrate(settings: &Settings, action: MigrateAction) -> Result<(), CliError> {
    let conn = open(settings).await?;
    match action {
        MigrateAction::Up => {
            Migrator::up(&conn, None).await?;
            println!("migrations applied");
        }
        MigrateAction::Down { steps } => {
            Migrator::down(&conn, Some(steps)).await?;
            println!("rolled back {steps} migration(s)");
        }
        MigrateAction::Status => {
            for m in Migrator::get_migration_with_status(&conn).await? {
                println!("{:<40} {}", m.name(), m.status());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn bad_arguments_give_one_line() {
        let err = Cli::try_parse_from(["owso", "generate", "--cases", "-5"]).unwrap_err();
        let line = one_line(&err);
        assert!(line.contains("-5") && line.contains("--cases"), "{line}");
        assert!(!line.contains('\n'));
        let err = Cli::try_parse_from(["owso", "user", "add", "--username", "a", "--role", "boss"])
            .unwrap_err();
        assert!(
            one_line(&err).contains("unknown role \"boss\""),
            "{}",
            one_line(&err)
        );
    }
}
