//! What the KHQR screens show: the code a citizen scans, the office's account form and the
//! cashier's reconciliation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{khqr::PaymentAccountInput, Stage};

/// A dynamic KHQR ready to show: the card as SVG, the amount and when it stops being payable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KhqrView {
    /// The payload itself, also on the page so a bank app's "paste KHQR" and tests can read it.
    pub payload: String,
    pub svg: String,
    pub amount: i64,
    pub expires_at: DateTime<Utc>,
    /// What the Bakong API looks the payment up by; the page polls the case, not this.
    pub md5: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAccountPage {
    pub office_code: String,
    pub office_name_km: String,
    pub office_name_en: String,
    pub account: Option<PaymentAccountInput>,
    pub updated_at: Option<DateTime<Utc>>,
    /// The system administrator sets any office's account; an office administrator only their own.
    pub any_office: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconciliationRow {
    pub code: String,
    pub service_name_km: String,
    pub service_name_en: String,
    pub stage: Stage,
    /// The fee the code asked for.
    pub amount: i64,
    pub bank_amount: Option<i64>,
    pub bank_currency: Option<String>,
    pub bank_hash: Option<String>,
    pub bank_from_account: Option<String>,
    /// When it was paid, held, or, for a waiting code, when it expires.
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub office_code: String,
    pub confirmed_today: Vec<ReconciliationRow>,
    pub mismatches: Vec<ReconciliationRow>,
    /// The newest open requests; `open_total` counts them all.
    pub open: Vec<ReconciliationRow>,
    pub open_total: u64,
}
