//! Sign-in, sessions and API tokens. Sessions and tokens are stored hashed in the database, so
//! any server behind the load balancer accepts them.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use super::{
    audit::{self, AuditEvent},
    db::begin_write,
    entities::{api_token, login_attempt, session, user, user_sector},
    secrets,
};
use crate::{
    domain::{Jurisdiction, Role},
    error::AppError,
    types::SessionUser,
};

pub const SESSION_COOKIE: &str = "owso_session";
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCKOUT: Duration = Duration::minutes(15);
/// Failed sign-ins from one address in the lockout window before that address is refused.
pub const MAX_FAILED_PER_IP: u64 = 20;
/// Touching `last_seen_at` at most this often keeps reads from turning into writes.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The signed-in user as every service sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub office_code: Option<String>,
    pub province_code: Option<String>,
    pub sectors: Vec<i32>,
    /// Derived once, by `Jurisdiction::for_role`, when the user is loaded: an account whose
    /// office or province does not fit its role is refused then, never widened to national.
    pub jurisdiction: Jurisdiction,
}

impl CurrentUser {
    pub fn jurisdiction(&self) -> Jurisdiction {
        self.jurisdiction.clone()
    }

    /// Whether a record of `office_code` is inside this user's jurisdiction.
    pub fn covers_office(&self, office_code: &str) -> bool {
        self.jurisdiction.covers_office(office_code)
    }

    pub fn summary(&self) -> SessionUser {
        SessionUser {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            role: self.role,
            office_code: self.office_code.clone(),
            province_code: self.province_code.clone(),
        }
    }

    pub fn audit_actor(&self, ip: Option<String>) -> AuditEvent {
        AuditEvent {
            actor_user_id: Some(self.id),
            actor_name: Some(self.username.clone()),
            ip,
            ..Default::default()
        }
    }
}

pub async fn load_user(
    db: &impl ConnectionTrait,
    model: user::Model,
) -> Result<CurrentUser, AppError> {
    use crate::domain::{DistrictCode, ProvinceCode};
    let role = model.role;
    // A code that is present but does not parse is not "no code": it fails the role's check.
    let office = match model.office_code.as_deref() {
        Some(code) => Some(DistrictCode::parse(code).map_err(|_| refuse(&model.username))?),
        None => None,
    };
    let province = match model.province_code.as_deref() {
        Some(code) => Some(ProvinceCode::parse(code).map_err(|_| refuse(&model.username))?),
        None => None,
    };
    let jurisdiction =
        Jurisdiction::for_role(role, office, province).map_err(|_| refuse(&model.username))?;
    let sectors = user_sector::Entity::find()
        .filter(user_sector::Column::UserId.eq(model.id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.sector_id)
        .collect();
    Ok(CurrentUser {
        id: model.id,
        username: model.username,
        full_name: model.full_name,
        role,
        office_code: model.office_code,
        province_code: model.province_code,
        sectors,
        jurisdiction,
    })
}

/// An account whose stored scope does not fit its role gets nothing, and the log says why.
fn refuse(username: &str) -> AppError {
    tracing::error!(
        username,
        "account refused: its office or province does not fit its role"
    );
    AppError::Forbidden
}

/// A new session: the token goes in the cookie, its digest in the database.
pub struct NewSession {
    pub token: String,
    pub user: CurrentUser,
}

/// Never print the token, even in debug output.
impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"***")
            .field("user", &self.user.username)
            .finish()
    }
}

/// Checks the password, applies the lockout rules, and opens a fresh session. Every outcome is
/// audited. Wrong usernames and wrong passwords get the same answer.
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: Option<String>,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<NewSession, AppError> {
    let username = username.trim().to_lowercase();
    let ip_key = ip.clone().unwrap_or_default();
    let window_start = now - LOCKOUT;
    let recent_ip_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Ip.eq(&ip_key))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::At.gte(window_start))
        .count(db)
        .await?;
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?;
    // Hash even for unknown users, so timing does not tell which usernames exist.
    let password_ok = match &found {
        Some(u) => password_auth::verify_password(password, &u.password_hash).is_ok(),
        None => {
            let _ = password_auth::verify_password(password, dummy_hash());
            false
        }
    };
    let txn = begin_write(db).await?;
    let mut event = AuditEvent {
        actor_user_id: found.as_ref().map(|u| u.id),
        actor_name: Some(username.clone()),
        ip: ip.clone(),
        entity: "user".into(),
        entity_id: found.as_ref().map(|u| u.id.to_string()),
        ..Default::default()
    };
    let locked = found
        .as_ref()
        .is_some_and(|u| u.locked_until.is_some_and(|t| t > now));
    let outcome = if recent_ip_failures >= MAX_FAILED_PER_IP {
        Err((
            "login_throttled_ip",
            AppError::RateLimited {
                retry_after_secs: LOCKOUT.num_seconds() as u64,
            },
        ))
    } else if locked {
        Err((
            "login_locked",
            AppError::RateLimited {
                retry_after_secs: LOCKOUT.num_seconds() as u64,
            },
        ))
    } else if let (Some(u), true) = (&found, password_ok) {
        if !u.active {
            Err(("login_disabled", AppError::Unauthorized))
        } else {
            Ok(u.clone())
        }
    } else {
        Err(("login_failed", AppError::Unauthorized))
    };
    login_attempt::ActiveModel {
        ip: Set(ip_key),
        username: Set(username.clone()),
        success: Set(outcome.is_ok()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    match outcome {
        Err((action, err)) => {
            if action == "login_failed" {
                if let Some(u) = &found {
                    // Count failures within one window; the fifth locks the account.
                    let in_window = u.first_failed_at.is_some_and(|t| t > window_start);
                    let failures = if in_window { u.failed_logins + 1 } else { 1 };
                    let mut m: user::ActiveModel = u.clone().into();
                    m.failed_logins = Set(failures);
                    if !in_window {
                        m.first_failed_at = Set(Some(now));
                    }
                    if failures >= MAX_FAILED_LOGINS {
                        m.locked_until = Set(Some(now + LOCKOUT));
                        m.failed_logins = Set(0);
                        m.first_failed_at = Set(None);
                    }
                    m.update(&txn).await?;
                }
            }
            event.action = action.into();
            audit::record(&txn, event, now).await?;
            txn.commit().await?;
            Err(err)
        }
        Ok(u) => {
            let mut m: user::ActiveModel = u.clone().into();
            m.failed_logins = Set(0);
            m.first_failed_at = Set(None);
            m.locked_until = Set(None);
            m.update(&txn).await?;
            let token = secrets::new_token()?;
            session::ActiveModel {
                token_hash: Set(secrets::token_digest(&token)),
                user_id: Set(u.id),
                created_at: Set(now),
                last_seen_at: Set(now),
                expires_at: Set(now + ABSOLUTE_TIMEOUT),
                ip: Set(ip.clone()),
                user_agent: Set(user_agent.map(|a| a.chars().take(300).collect())),
            }
            .insert(&txn)
            .await?;
            event.action = "login".into();
            audit::record(&txn, event, now).await?;
            let user = load_user(&txn, u).await?;
            txn.commit().await?;
            Ok(NewSession { token, user })
        }
    }
}

/// An argon2 hash of a random password, verified against when the username is unknown.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| password_auth::generate_hash(secrets::new_token().unwrap_or_default()))
}

/// The user behind a session cookie, if the session is alive. Expired sessions are removed.
pub async fn session_user(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<CurrentUser>, AppError> {
    let digest = secrets::token_digest(token);
    // The session and its user in one query: every staff request starts here.
    let Some((s, u)) = session::Entity::find_by_id(digest.clone())
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if s.expires_at <= now || s.last_seen_at + IDLE_TIMEOUT <= now {
        session::Entity::delete_by_id(digest).exec(db).await?;
        return Ok(None);
    }
    let Some(u) = u else {
        return Ok(None);
    };
    if !u.active {
        return Ok(None);
    }
    if now - s.last_seen_at >= TOUCH_EVERY {
        let mut m: session::ActiveModel = s.into();
        m.last_seen_at = Set(now);
        m.update(db).await?;
    }
    Ok(Some(load_user(db, u).await?))
}

/// The signed-in user of one request, looked up once however many of the page's server
/// functions ask: a staff page asked three or four times, three queries each. It travels in the
/// request's extensions (see [`remember_session`]), so it lives exactly as long as the request.
#[derive(Clone, Default)]
pub struct SessionMemo(std::sync::Arc<tokio::sync::OnceCell<(String, Option<CurrentUser>)>>);

impl SessionMemo {
    /// The user behind `token`, from the first lookup of this request when it was for the same
    /// token; a lookup that failed is not remembered, so the next asker tries again.
    pub async fn user(
        &self,
        db: &DatabaseConnection,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<CurrentUser>, AppError> {
        let (seen, user) = self
            .0
            .get_or_try_init(|| async {
                Ok::<_, AppError>((token.to_string(), session_user(db, token, now).await?))
            })
            .await?;
        if seen == token {
            Ok(user.clone())
        } else {
            session_user(db, token, now).await
        }
    }
}

/// Middleware: gives each request its own [`SessionMemo`].
pub async fn remember_session(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request.extensions_mut().insert(SessionMemo::default());
    next.run(request).await
}

pub async fn logout(
    db: &DatabaseConnection,
    token: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let digest = secrets::token_digest(token);
    let txn = begin_write(db).await?;
    if let Some(s) = session::Entity::find_by_id(digest.clone())
        .one(&txn)
        .await?
    {
        session::Entity::delete_by_id(digest).exec(&txn).await?;
        let name = user::Entity::find_by_id(s.user_id)
            .one(&txn)
            .await?
            .map(|u| u.username);
        audit::record(
            &txn,
            AuditEvent {
                actor_user_id: Some(s.user_id),
                actor_name: name,
                ip,
                action: "logout".into(),
                entity: "user".into(),
                entity_id: Some(s.user_id.to_string()),
                ..Default::default()
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Issues a bearer token for the API; only its digest is kept.
pub async fn create_api_token(
    db: &DatabaseConnection,
    username: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("username", "err_not_found"))?;
    let token = secrets::new_token()?;
    let txn = begin_write(db).await?;
    api_token::ActiveModel {
        token_hash: Set(secrets::token_digest(&token)),
        user_id: Set(u.id),
        label: Set(label.chars().take(100).collect()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        AuditEvent {
            actor_name: Some("cli".into()),
            action: "token_create".into(),
            entity: "user".into(),
            entity_id: Some(u.id.to_string()),
            after: Some(serde_json::json!({ "label": label })),
            ..Default::default()
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// The user behind a bearer token, if the token is valid and the user active.
pub async fn token_user(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Option<CurrentUser>, AppError> {
    let digest = secrets::token_digest(token);
    // The token and its user in one query: every API call starts here.
    let Some((t, u)) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(digest))
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if t.revoked_at.is_some() {
        return Ok(None);
    }
    match u {
        Some(u) if u.active => Ok(Some(load_user(db, u).await?)),
        _ => Ok(None),
    }
}

/// Ends every session of a user, e.g. when the account is disabled.
pub async fn end_sessions(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dummy_hash_is_a_valid_argon2_hash() {
        // A malformed hash would make unknown usernames answer faster than known ones.
        assert!(matches!(
            password_auth::verify_password("x", super::dummy_hash()),
            Err(password_auth::VerifyError::PasswordInvalid)
        ));
    }
}
