// Server functions take one argument per form field, so plain HTML forms post straight into them;
// the registration form has more fields than clippy's default limit.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::{CaseDetail, InboxPage, Receipt},
};

#[server(endpoint = "cases/inbox")]
pub async fn get_inbox(q: Option<String>, page: Option<u64>) -> Result<InboxPage, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let page = page.unwrap_or(1).clamp(1, 100_000);
    super::with_status(
        crate::backend::inbox::inbox(&db, &user, q.as_deref(), page, chrono::Utc::now()).await,
    )
}

#[server(endpoint = "cases/detail")]
pub async fn get_case(code: String) -> Result<CaseDetail, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::cases::detail(&db, &user, &code).await)
}

/// One action on a case from the case page's forms; back to the case page afterwards.
#[server(endpoint = "cases/act")]
pub async fn act_on_case(
    code: String,
    action: String,
    version: i32,
    comment: Option<String>,
    amount: Option<String>,
    receiver: Option<String>,
    reference: Option<String>,
) -> Result<i32, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let amount = match amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(
            crate::domain::Riel::parse(a)
                .map_err(|e| {
                    AppError::Validation(vec![crate::error::FieldError::parse("amount", e)])
                })?
                .0,
        ),
    };
    let (ip, _) = super::request_origin();
    let request = crate::types::ActionRequest {
        action,
        version,
        comment,
        amount,
        receiver,
        reference,
    };
    let public_url = crate::backend::state::app_state()?
        .settings
        .public_url
        .clone();
    let result = crate::backend::workflow::act(
        &db,
        &user,
        &code,
        request,
        &public_url,
        ip,
        chrono::Utc::now(),
    )
    .await;
    // A hydrated page updates in place from the answer; a plain form post is sent back to the
    // case's page, built from the parsed code so nothing typed reaches the header.
    if !super::is_plain_form() {
        return super::with_status(result.map(|outcome| outcome.version));
    }
    let target = match crate::domain::RegistrationCode::parse(&code) {
        Ok(code) => super::path_of(&["staff", "cases", code.as_str()]),
        Err(_) => "/staff/inbox".to_string(),
    };
    match result {
        Ok(outcome) => {
            super::redirect(&target);
            Ok(outcome.version)
        }
        Err(err) => super::fail_to(&format!("{target}?error={}", super::error_param(&err)), err),
    }
}

/// Registers a case from the front-desk form. On success the browser goes to the receipt; on
/// invalid input back to the form with the values and one `err_<field>` per problem, so the form
/// shows each message beside its field with or without JavaScript.
///
/// A post with `intent=choices` registers nothing: it is the address's "show choices" without
/// JavaScript, and goes back to the form with everything typed kept, to show the next list. It
/// answers `None`.
#[server(endpoint = "cases/register")]
pub async fn register_case(
    service_id: String,
    quantity: String,
    applicant_kind: String,
    name_km: String,
    name_latin: String,
    sex: Option<String>,
    date_of_birth: Option<String>,
    phone: Option<String>,
    id_card_number: Option<String>,
    registration_number: Option<String>,
    province: Option<String>,
    district: Option<String>,
    commune: Option<String>,
    village_code: Option<String>,
    address_detail: Option<String>,
    documents: Option<Vec<String>>,
    intent: Option<String>,
    notice_language: Option<String>,
    sms_declined: Option<String>,
) -> Result<Option<crate::types::RegisteredCase>, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let request = crate::types::NewCaseRequest {
        service_id: service_id.trim().parse().unwrap_or(0),
        quantity: quantity.trim().parse().unwrap_or(0),
        applicant_kind: applicant_kind.clone(),
        name_km: name_km.clone(),
        name_latin: name_latin.clone(),
        sex: sex.clone(),
        date_of_birth: date_of_birth.clone(),
        phone: phone.clone(),
        id_card_number: id_card_number.clone(),
        registration_number: registration_number.clone(),
        village_code: village_code.clone(),
        address_detail: address_detail.clone(),
        notice_language: notice_language.clone(),
        sms_declined: sms_declined.is_some(),
    };
    let kept: Vec<(String, String)> = [
        ("notice_language", notice_language),
        ("sms_declined", sms_declined),
        ("service", Some(service_id.clone())),
        ("quantity", Some(quantity)),
        ("kind", Some(applicant_kind)),
        ("name_km", Some(name_km)),
        ("name_latin", Some(name_latin)),
        ("sex", sex),
        ("date_of_birth", date_of_birth),
        ("phone", phone),
        ("id_card_number", id_card_number),
        ("registration_number", registration_number),
        ("province", province),
        ("district", district),
        ("commune", commune),
        ("village", village_code),
        ("address_detail", address_detail),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
    .chain(
        documents
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.parse::<u16>().is_ok())
            .map(|i| (format!("doc_{i}"), "on".to_string())),
    )
    .collect();
    if intent.as_deref() == Some("choices") {
        super::keep_for_page("/staff/cases/new", kept).await?;
        let service = super::encode_query(&[("service".to_string(), service_id)]);
        super::redirect(&format!("/staff/cases/new?{service}#address"));
        return Ok(None);
    }
    let (ip, _) = super::request_origin();
    match crate::backend::cases::register(
        &db,
        crate::backend::cases::Registrar::FrontDesk(&user),
        request,
        &crate::backend::state::app_state()?.settings.public_url,
        ip,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(created) => {
            let receipt = super::path_of(&["staff", "cases", &created.code, "receipt"]);
            super::redirect(&format!("{receipt}?print"));
            Ok(Some(created))
        }
        Err(err) => super::back_to_form("/staff/cases/new", kept, err).await,
    }
}

/// The printable receipt of a case, with a QR code of its public status page.
#[server(endpoint = "cases/receipt")]
pub async fn get_receipt(code: String) -> Result<Receipt, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let case = super::with_status(crate::backend::cases::detail(&db, &user, &code).await)?;
    let base = crate::backend::state::app_state()?
        .settings
        .public_url
        .clone();
    let track_url = format!("{base}/track/{}", case.code);
    let qr_svg = qrcode::QrCode::new(track_url.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build()
        })
        .map_err(|_| AppError::Internal)?;
    // A receipt without its payment code still serves; the cashier takes cash.
    let khqr = crate::backend::payments::code_for_case_code(&db, &case.code, chrono::Utc::now())
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(case = %case.code, error = %e, "no KHQR on the receipt");
            None
        });
    let state = crate::backend::state::app_state()?;
    let now = chrono::Utc::now();
    let notices = crate::backend::track::notice_contact(
        &db,
        &case.code,
        state.settings.notices.telegram.as_ref(),
        now,
    )
    .await?;
    let telegram_qr_svg = match &notices.telegram_link {
        Some(link) => Some(
            qrcode::QrCode::new(link.as_bytes())
                .map(|q| {
                    q.render::<qrcode::render::svg::Color>()
                        .min_dimensions(120, 120)
                        .quiet_zone(true)
                        .build()
                })
                .map_err(|_| AppError::Internal)?,
        ),
        None => None,
    };
    Ok(Receipt {
        case,
        track_url,
        qr_svg,
        khqr,
        notices,
        telegram_qr_svg,
    })
}
