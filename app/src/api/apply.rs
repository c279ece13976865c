//! Online pre-registration: a citizen opens a case for an office, to be completed at its front
//! desk when they bring the documents.

// One argument per form field, so the plain HTML form posts straight into it.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::{error::AppError, types::RegisteredCase};

#[server(endpoint = "apply")]
pub async fn apply_online(
    service_id: String,
    quantity: Option<String>,
    office_code: String,
    applicant_kind: String,
    name_km: String,
    name_latin: String,
    sex: Option<String>,
    date_of_birth: Option<String>,
    phone: Option<String>,
    id_card_number: Option<String>,
    registration_number: Option<String>,
    notice_language: Option<String>,
    sms_declined: Option<String>,
) -> Result<RegisteredCase, AppError> {
    let db = crate::backend::state::db()?;
    let state = crate::backend::state::app_state()?;
    let limit = state.track_limiter;
    let (ip, _) = super::request_origin();
    let quantity_text = quantity.clone().unwrap_or_else(|| "1".into());
    let request = crate::types::NewCaseRequest {
        service_id: service_id.trim().parse().unwrap_or(0),
        quantity: quantity_text.trim().parse().unwrap_or(0),
        applicant_kind: applicant_kind.clone(),
        name_km: name_km.clone(),
        name_latin: name_latin.clone(),
        sex: sex.clone(),
        date_of_birth: date_of_birth.clone(),
        phone: phone.clone(),
        id_card_number: id_card_number.clone(),
        registration_number: registration_number.clone(),
        village_code: None,
        address_detail: None,
        notice_language: notice_language.clone(),
        sms_declined: sms_declined.is_some(),
    };
    let result = crate::backend::cases::pre_register(
        &db,
        &limit,
        &office_code,
        request,
        &state.settings.public_url,
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(created) => {
            // The status page says what to bring and shows the new PIN once; neither the PIN nor
            // what was typed goes in the address.
            super::track::grant_browser(&db, &created.code, Some(&created.pin), chrono::Utc::now())
                .await?;
            super::redirect(&super::path_of(&["track", &created.code]));
            Ok(created)
        }
        Err(err) => {
            let kept = [
                ("service", Some(service_id)),
                ("quantity", quantity),
                ("office", Some(office_code)),
                ("kind", Some(applicant_kind)),
                ("name_km", Some(name_km)),
                ("name_latin", Some(name_latin)),
                ("sex", sex),
                ("date_of_birth", date_of_birth),
                ("phone", phone),
                ("id_card_number", id_card_number),
                ("registration_number", registration_number),
                ("notice_language", notice_language),
                ("sms_declined", sms_declined),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect();
            super::back_to_form("/apply", kept, err).await
        }
    }
}
