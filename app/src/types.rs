//! Plain data passed between server functions and pages. Serde only: no database types here.

use serde::{Deserialize, Serialize};

/// The cookie that carries the handle of a plain form post's typed values back to its form.
pub const KEPT_COOKIE: &str = "owso_kept";

/// What a plain form post typed, read from the flash store for the page it was sent back to;
/// the server puts it in the request's extensions, and the page's hydration gets the same copy.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeptValues(pub Vec<(String, String)>);

impl KeptValues {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

pub mod admin;
pub mod complaints;
pub mod notices;
pub mod payments;
pub mod quality_audits;
pub mod reports;
pub mod stats;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeSummary {
    pub code: String,
    pub name_km: String,
    pub name_en: String,
    /// The district's unit type (srok, krong, khan) in Khmer and English.
    pub type_km: String,
    pub type_en: String,
    pub district_km: String,
    pub district_latin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvinceOffices {
    pub code: String,
    pub name_km: String,
    pub name_latin: String,
    pub offices: Vec<OfficeSummary>,
}

/// Figures on the home page, counted from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeFigures {
    pub offices: u64,
    pub sectors: u64,
    pub services: u64,
}

/// Who is signed in, as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub username: String,
    pub full_name: String,
    pub role: crate::domain::Role,
    pub office_code: Option<String>,
    pub province_code: Option<String>,
}

/// A request to register a case, from the front-desk form or `POST /api/v1/cases`. Every field
/// arrives as text and is parsed once by the registration service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewCaseRequest {
    pub service_id: i32,
    #[serde(default = "one")]
    pub quantity: i32,
    /// `person` or `enterprise`.
    pub applicant_kind: String,
    pub name_km: String,
    pub name_latin: String,
    #[serde(default)]
    pub sex: Option<String>,
    /// ISO date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_card_number: Option<String>,
    #[serde(default)]
    pub registration_number: Option<String>,
    #[serde(default)]
    pub village_code: Option<String>,
    #[serde(default)]
    pub address_detail: Option<String>,
    /// The language of the citizen's messages, `km` (the default) or `en`.
    #[serde(default)]
    pub notice_language: Option<String>,
    /// The applicant asked for no SMS; the phone is then kept for the office only.
    #[serde(default)]
    pub sms_declined: bool,
}

fn one() -> i32 {
    1
}

/// What registration answers: the code and PIN to print on the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredCase {
    pub code: String,
    pub pin: String,
    pub version: i32,
}

/// An action on a case, carrying the version the user saw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionRequest {
    pub action: String,
    pub version: i32,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub receiver: Option<String>,
    /// The bank's transaction hash when the cashier records a KHQR payment by hand.
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEventView {
    pub seq: i32,
    pub action: crate::domain::workflow::CaseEventKind,
    pub from_stage: Option<crate::domain::Stage>,
    pub to_stage: Option<crate::domain::Stage>,
    pub status_after: crate::domain::CaseStatus,
    pub actor_name: Option<String>,
    pub comment: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseStepView {
    pub stage: crate::domain::Stage,
    pub working_days: i32,
}

/// Everything staff see about a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub code: String,
    pub pin: String,
    pub version: i32,
    pub stage: crate::domain::Stage,
    pub status: crate::domain::CaseStatus,
    pub channel: crate::domain::Channel,
    pub service_code: String,
    pub service_name_km: String,
    pub service_name_en: String,
    pub sector_id: i32,
    pub office_code: String,
    pub office_name_km: String,
    pub office_name_en: String,
    pub applicant_kind: String,
    pub applicant_name_km: String,
    pub applicant_name_latin: String,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub quantity: i32,
    pub fee_per_unit: i64,
    pub fee_total: i64,
    pub paid: bool,
    pub receipt_number: Option<String>,
    pub village_code: Option<String>,
    pub address_km: Option<String>,
    pub address_latin: Option<String>,
    pub registered_at: chrono::DateTime<chrono::Utc>,
    pub stage_entered_at: chrono::DateTime<chrono::Utc>,
    pub step_due_on: Option<chrono::NaiveDate>,
    pub due_on: chrono::NaiveDate,
    /// Working days past the step's due date, when it is overdue.
    pub days_late: i64,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub receiver_name: Option<String>,
    pub steps: Vec<CaseStepView>,
    pub events: Vec<CaseEventView>,
    pub allowed_actions: Vec<crate::domain::workflow::Action>,
    /// The SMS and Telegram messages sent to the citizen about the case, oldest first.
    #[serde(default)]
    pub notices: Vec<notices::NoticeView>,
}

/// One row of an inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub code: String,
    pub version: i32,
    pub stage: crate::domain::Stage,
    pub status: crate::domain::CaseStatus,
    pub service_name_km: String,
    pub service_name_en: String,
    pub applicant_name_km: String,
    pub applicant_name_latin: String,
    pub step_due_on: Option<chrono::NaiveDate>,
    pub days_late: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Cases per stage in the user's office (and sectors), across the whole inbox.
    pub stage_counts: Vec<(crate::domain::Stage, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub id: i32,
    pub code: String,
    pub sector_id: i32,
    pub name_km: String,
    pub name_en: String,
    pub unit_km: String,
    pub unit_en: String,
    pub fee_riel: i64,
    pub time_standard_days: i32,
    pub tax_branch: bool,
    pub documents_km: Vec<String>,
    pub documents_en: Vec<String>,
    pub is_demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorServices {
    pub id: i32,
    pub code: String,
    pub name_km: String,
    pub name_en: String,
    pub services: Vec<ServiceSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeoOption {
    pub code: String,
    pub name_km: String,
    pub name_latin: String,
}

/// The choices at each level of an address, given the levels already chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeoChoices {
    pub provinces: Vec<GeoOption>,
    pub districts: Vec<GeoOption>,
    pub communes: Vec<GeoOption>,
    pub villages: Vec<GeoOption>,
}

/// A printable receipt: the case, and a QR code (SVG) of its public status page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub case: CaseDetail,
    pub track_url: String,
    pub qr_svg: String,
    /// The KHQR to pay the fee by, while it is unpaid and the office takes KHQR.
    pub khqr: Option<payments::KhqrView>,
    pub notices: notices::NoticeContactView,
    /// The Telegram start link as a QR code, to scan from the printed receipt.
    pub telegram_qr_svg: Option<String>,
}

mod portal;
pub use portal::*;
