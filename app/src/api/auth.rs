use leptos::prelude::*;

use crate::{error::AppError, types::SessionUser};

/// Signs in and sends the browser to the role's home (`Role::home`); a failure goes back to the form with a flag,
/// so the same flow works with and without JavaScript.
#[server(endpoint = "auth/login")]
pub async fn login(username: String, password: String) -> Result<SessionUser, AppError> {
    use crate::backend::{auth, state::app_state};
    let state = app_state()?;
    let (ip, agent) = super::request_origin();
    match auth::login(
        &state.db,
        &username,
        &password,
        ip,
        agent,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(session) => {
            // A new id at every sign-in; the session the browser held before ends here.
            if let Some(previous) = super::session_token() {
                let (ip, _) = super::request_origin();
                auth::logout(&state.db, &previous, ip, chrono::Utc::now()).await?;
            }
            super::set_cookie(&format!(
                "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
                auth::SESSION_COOKIE,
                session.token,
                auth::ABSOLUTE_TIMEOUT.num_seconds()
            ));
            super::redirect(session.user.role.home());
            Ok(session.user.summary())
        }
        Err(err) => {
            let reason = if matches!(err, AppError::RateLimited { .. }) {
                "locked"
            } else {
                "failed"
            };
            super::fail_to(&format!("/login?error={reason}"), err)
        }
    }
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::{auth, state::app_state};
    let state = app_state()?;
    if let Some(token) = super::session_token() {
        let (ip, _) = super::request_origin();
        auth::logout(&state.db, &token, ip, chrono::Utc::now()).await?;
    }
    super::set_cookie(&format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
        auth::SESSION_COOKIE
    ));
    super::redirect("/login");
    Ok(())
}

/// Who is signed in, if anyone. No session (or a refused one) is "nobody"; a database that does
/// not answer is an outage, said as such rather than shown as being signed out.
#[server(endpoint = "auth/me")]
pub async fn me() -> Result<Option<SessionUser>, AppError> {
    match super::current_user().await {
        Ok(user) => Ok(Some(user.summary())),
        Err(AppError::Unauthorized | AppError::Forbidden) => Ok(None),
        Err(err) => super::with_status(Err(err)),
    }
}
