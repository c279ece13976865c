//! Notices to citizens: the templates (system administrator) and an office's messages that need
//! a person (office administrator; the system administrator picks an office by its code). Each
//! checks the caller, then calls `backend::notices`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    types::notices::{NoticeTemplateView, OfficeNotices},
};

/// The office messages screen: the office's messages, none until the system administrator has
/// picked an office, and whether the caller may pick one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeNoticesScreen {
    pub any_office: bool,
    pub notices: Option<OfficeNotices>,
}

#[server(endpoint = "notices/templates")]
pub async fn get_notice_templates() -> Result<Vec<NoticeTemplateView>, AppError> {
    let user = super::with_status(super::current_user().await)?;
    if user.role != crate::domain::Role::SystemAdmin {
        return super::with_status(Err(AppError::Forbidden));
    }
    let db = crate::backend::state::db()?;
    let public_url = crate::backend::state::app_state()?
        .settings
        .public_url
        .clone();
    super::with_status(crate::backend::notices::template_views(&db, &public_url).await)
}

/// Saves an event's two templates; both empty puts the default back. A plain form goes back to
/// the page with `saved=<event>`, or with `event=<event>` and one `err_<field>` per problem.
#[server(endpoint = "notices/templates/save")]
pub async fn save_notice_template(
    event: String,
    body_km: String,
    body_en: String,
) -> Result<(), AppError> {
    use crate::domain::notice::NoticeEvent;
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let Some(event) = NoticeEvent::from_id(&event) else {
        return super::back_to_form("/admin/notices", Vec::new(), AppError::NotFound).await;
    };
    let result = crate::backend::notices::save_template(
        &db,
        &user,
        event,
        &body_km,
        &body_en,
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            super::redirect(&super::with_query(
                "/admin/notices",
                &[("saved", event.id())],
            ));
            Ok(())
        }
        Err(err) => {
            // Which event's form shows the messages: its id, not what was typed.
            let page = super::with_query("/admin/notices", &[("event", event.id())]);
            let kept = vec![
                ("body_km".to_string(), body_km),
                ("body_en".to_string(), body_en),
            ];
            super::back_to_form(&page, kept, err).await
        }
    }
}

#[server(endpoint = "notices/office")]
pub async fn get_office_notices(office: Option<String>) -> Result<OfficeNoticesScreen, AppError> {
    use crate::domain::{Area, DistrictCode, Role};
    let user = super::with_status(super::current_user().await)?;
    let asked = office
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty());
    let office_code = if user.role == Role::SystemAdmin {
        match asked {
            Some(code) => Some(
                DistrictCode::parse(&code)
                    .map(|c| c.as_str().to_string())
                    .or_else(|_| super::with_status(Err(AppError::NotFound)))?,
            ),
            None => None,
        }
    } else {
        super::with_status(user.role.require(Area::Notices))?;
        let own = user.office_code.clone();
        if own.is_none() || asked.is_some_and(|a| Some(&a) != own.as_ref()) {
            return super::with_status(Err(AppError::Forbidden));
        }
        own
    };
    let db = crate::backend::state::db()?;
    let notices = match office_code {
        Some(code) => Some(super::with_status(
            crate::backend::notices::for_office(&db, &code, chrono::Utc::now()).await,
        )?),
        None => None,
    };
    Ok(OfficeNoticesScreen {
        any_office: user.role == Role::SystemAdmin,
        notices,
    })
}

/// Sends a failed or unsent message again. A plain form goes back to the office's messages
/// (`office` keeps the system administrator's choice).
#[server(endpoint = "notices/retry")]
pub async fn retry_notice(id: i64, office: Option<String>) -> Result<(), AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = crate::backend::notices::retry(&db, &user, id, ip, chrono::Utc::now()).await;
    let office = office
        .filter(|o| crate::domain::DistrictCode::parse(o).is_ok())
        .unwrap_or_default();
    let mut params = Vec::new();
    if !office.is_empty() {
        params.push(("office", office.as_str()));
    }
    match result {
        Ok(()) => {
            params.push(("retried", "1"));
            super::redirect(&super::with_query("/staff/notices", &params));
            Ok(())
        }
        Err(err) if super::is_plain_form() => {
            let error = super::error_param(&err);
            params.push(("error", error.as_str()));
            super::fail_to(&super::with_query("/staff/notices", &params), err)
        }
        Err(err) => super::with_status(Err(err)),
    }
}
