//! Complaints: filing and tracking are public; answering is the office chief's.

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::complaints::{ComplaintFiled, ComplaintView, StaffComplaint},
};

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
            leptos_axum::redirect(&format!(
                "/complaints/track?number={}&pin={}&filed=1",
                filed.number, filed.pin
            ));
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
            super::back_to_form("/complaints/new", kept, err)
        }
    }
}

#[server(endpoint = "complaints/track")]
pub async fn track_complaint(number: String, pin: String) -> Result<ComplaintView, AppError> {
    let db = crate::backend::state::db()?;
    let limit = crate::backend::state::app_state()?.track_limiter;
    let (ip, _) = super::request_origin();
    super::with_status(
        crate::backend::complaints::track(
            &db,
            &limit,
            &number,
            &pin,
            ip.as_deref(),
            chrono::Utc::now(),
        )
        .await,
    )
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
        &answer,
        close.is_some_and(|c| c == "true"),
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            leptos_axum::redirect("/staff/complaints?saved=1");
            Ok(())
        }
        Err(err) => {
            let kept = vec![("for".to_string(), id.to_string())];
            super::back_to_form("/staff/complaints", kept, err)
        }
    }
}
