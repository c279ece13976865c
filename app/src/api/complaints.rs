//! Complaints: filing and tracking are public; answering is the office chief's.

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::complaints::{ComplaintFiled, ComplaintView, GrantedComplaint, StaffComplaint},
};

/// The cookie holding this browser's grant to read one complaint.
#[cfg(feature = "ssr")]
const GRANT_COOKIE: &str = "owso_complaint";
/// The cookie holding the handle of a new complaint's PIN, shown once.
#[cfg(feature = "ssr")]
const NEW_PIN_COOKIE: &str = "owso_complaint_pin";

#[cfg(feature = "ssr")]
async fn grant_browser(
    db: &sea_orm::DatabaseConnection,
    number: &str,
    new_pin: Option<&str>,
) -> Result<(), AppError> {
    use crate::backend::complaints::{grant, keep_new_pin, GRANT_MINUTES};
    let now = chrono::Utc::now();
    let max_age = GRANT_MINUTES * 60;
    let token = grant(db, number, now).await?;
    super::set_cookie(&format!(
        "{GRANT_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ));
    if let Some(pin) = new_pin {
        let handle = keep_new_pin(db, number, pin, now).await?;
        super::set_cookie(&format!(
            "{NEW_PIN_COOKIE}={handle}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}"
        ));
    }
    Ok(())
}

/// Files a complaint. The browser then goes to the complaint's tracking page, which shows the
/// number and PIN to keep.
#[server(endpoint = "complaints/file")]
pub async fn file_complaint(
    category: String,
    office_code: String,
    case_code: Option<String>,
    body: String,
    phone: Option<String>,
) -> Result<ComplaintFiled, AppError> {
    let db = crate::backend::state::db()?;
    let limit = crate::backend::state::app_state()?.track_limiter;
    let (ip, _) = super::request_origin();
    let new = crate::backend::complaints::NewComplaint {
        category: category.clone(),
        office_code: office_code.clone(),
        case_code: case_code.clone(),
        body: body.clone(),
        phone: phone.clone(),
    };
    match crate::backend::complaints::file(&db, &limit, new, ip.as_deref(), chrono::Utc::now())
        .await
    {
        Ok(filed) => {
            // The tracking page shows the number and, once, the PIN; neither goes in the address.
            grant_browser(&db, &filed.number, Some(&filed.pin)).await?;
            super::redirect("/complaints/track");
            Ok(filed)
        }
        Err(err) => {
            let kept = [
                ("category", Some(category)),
                ("office", Some(office_code)),
                ("case_code", case_code),
                ("body", Some(body)),
                ("phone", phone),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect();
            super::back_to_form("/complaints/new", kept, err).await
        }
    }
}

/// Opens a complaint by its number and PIN (posted, never in an address): this browser gets a
/// grant and goes to the tracking page, which shows it.
#[server(endpoint = "complaints/open")]
pub async fn open_complaint(number: String, pin: String) -> Result<ComplaintView, AppError> {
    let db = crate::backend::state::db()?;
    let limit = crate::backend::state::app_state()?.track_limiter;
    let (ip, _) = super::request_origin();
    let result = crate::backend::complaints::track(
        &db,
        &limit,
        &number,
        &pin,
        ip.as_deref(),
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(view) => {
            grant_browser(&db, &view.number, None).await?;
            super::redirect("/complaints/track");
            Ok(view)
        }
        Err(err) => {
            let kept = vec![("number".to_string(), number)];
            super::back_to_form("/complaints/track", kept, err).await
        }
    }
}

/// The complaint this browser holds a grant for, if any.
#[server(endpoint = "complaints/granted")]
pub async fn complaint_by_grant() -> Result<Option<GrantedComplaint>, AppError> {
    let Some(grant) = super::request_cookie(GRANT_COOKIE) else {
        return Ok(None);
    };
    let db = crate::backend::state::db()?;
    let new_pin = super::request_cookie(NEW_PIN_COOKIE);
    let opened = crate::backend::complaints::open_granted(
        &db,
        &grant,
        new_pin.as_deref(),
        chrono::Utc::now(),
    )
    .await?;
    if new_pin.is_some() {
        super::set_cookie(&format!(
            "{NEW_PIN_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        ));
    }
    Ok(opened.map(|(complaint, new_pin)| GrantedComplaint { complaint, new_pin }))
}

#[server(endpoint = "complaints/office")]
pub async fn office_complaints() -> Result<Vec<StaffComplaint>, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::complaints::for_office(&db, &user, chrono::Utc::now()).await)
}

#[server(endpoint = "complaints/answer")]
pub async fn answer_complaint(
    id: i64,
    answer: String,
    close: Option<String>,
) -> Result<(), AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = crate::backend::complaints::answer(
        &db,
        &user,
        id,
        crate::backend::complaints::Reply {
            text: &answer,
            close: close.is_some_and(|c| c == "true"),
        },
        &crate::backend::state::app_state()?.settings.public_url,
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            super::redirect("/staff/complaints?saved=1");
            Ok(())
        }
        Err(err) => {
            // Which complaint's form shows the message: an id, not what was typed.
            let path = super::with_query("/staff/complaints", &[("for", &id.to_string())]);
            super::back_to_form(&path, Vec::new(), err).await
        }
    }
}
