//! KHQR payments: the office's Bakong account (office and system administrators) and the
//! cashier's reconciliation screen. Each checks the caller, then calls `backend::payments`.

// Server functions take one argument per form field, so plain HTML forms post straight into them.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::payments::{PaymentAccountPage, Reconciliation},
};

#[server(endpoint = "payments/account")]
pub async fn get_payment_account(office: Option<String>) -> Result<PaymentAccountPage, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::payments::account_page(&db, &user, office.as_deref()).await)
}

#[server(endpoint = "payments/account/save")]
pub async fn save_payment_account(
    office_code: String,
    account_id: String,
    merchant_name: String,
    merchant_name_km: String,
    city: String,
    merchant_id: Option<String>,
    acquiring_bank: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::khqr::PaymentAccountInput;
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let input = PaymentAccountInput {
        account_id,
        merchant_name,
        merchant_name_km,
        city,
        merchant_id: merchant_id.unwrap_or_default(),
        acquiring_bank: acquiring_bank.unwrap_or_default(),
    };
    let page = format!(
        "/admin/payment-account?{}",
        super::encode_query(&[("office".to_string(), office_code.clone())])
    );
    let result = crate::backend::payments::save_account(
        &db,
        &user,
        &office_code,
        &input,
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(_) => {
            super::redirect(&format!("{page}&saved=1"));
            Ok(())
        }
        Err(err) => {
            let kept = [
                ("account_id", input.account_id),
                ("merchant_name", input.merchant_name),
                ("merchant_name_km", input.merchant_name_km),
                ("city", input.city),
                ("merchant_id", input.merchant_id),
                ("acquiring_bank", input.acquiring_bank),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            super::back_to_form(&page, kept, err).await
        }
    }
}

#[server(endpoint = "payments/reconciliation")]
pub async fn get_reconciliation() -> Result<Reconciliation, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(
        crate::backend::payments::reconciliation(&db, &user, chrono::Utc::now()).await,
    )
}
