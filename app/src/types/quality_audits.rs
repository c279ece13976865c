//! Quality audits: the ministry's quarterly random sample of delivered cases, and the monitoring
//! officers' checklist on each.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The checklist items, in the order answers are stored and shown; each is also the form field
/// and, prefixed with `audit_item_`, the locale key of its question.
pub const CHECKLIST_ITEMS: [&str; 6] = [
    "fee_correct",
    "documents_complete",
    "deadline_met",
    "data_matches",
    "citizen_reached",
    "citizen_satisfied",
];

pub const PER_OFFICE_MAX: i32 = 50;
pub const CAP_MAX: i32 = 2_000;
pub const MAX_FINDINGS_CHARS: usize = 2_000;

/// One office's audited cases over some quarters, for the quarterly report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeAuditSummary {
    pub office_code: String,
    pub sampled: u64,
    pub checked: u64,
    /// Checklist answers that were "no".
    pub failed_items: u64,
    /// Checked cases with written findings.
    pub findings: u64,
}

/// A monitoring officer a sample can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    pub province_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceChoice {
    pub code: String,
    pub name_km: String,
    pub name_latin: String,
}

/// What the drawing form starts from: a fresh random seed, the last finished quarter, the
/// provinces the user may draw for and the officers who may be assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawDefaults {
    pub seed: i64,
    pub year: i32,
    pub quarter: u32,
    /// `None` for a national viewer, who may also draw for the whole country.
    pub own_province: Option<String>,
    pub provinces: Vec<ProvinceChoice>,
    pub officers: Vec<Officer>,
    pub me: i32,
}

/// A row of the audits list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditListItem {
    pub id: i32,
    pub year: i32,
    pub quarter: u32,
    pub province_code: Option<String>,
    pub province_km: Option<String>,
    pub province_latin: Option<String>,
    pub sample_size: u64,
    pub checked: u64,
    pub drawn_by: String,
    pub created_at: DateTime<Utc>,
}

/// How many answered an item and how many of them said yes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemTally {
    pub yes: u64,
    pub answered: u64,
}

impl ItemTally {
    /// The share of yes answers in whole percent, when anyone answered.
    pub fn percent(self) -> Option<u64> {
        (self.answered > 0).then(|| (self.yes * 100 + self.answered / 2) / self.answered)
    }
}

/// One office's line in an audit's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeTally {
    pub office_code: String,
    pub name_km: String,
    pub name_en: String,
    pub sampled: u64,
    pub checked: u64,
    /// In the order of [`CHECKLIST_ITEMS`].
    pub items: Vec<ItemTally>,
    pub findings: u64,
}

/// A sampled case in an audit's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampledCase {
    pub code: String,
    pub office_code: String,
    pub service_km: String,
    pub service_en: String,
    pub assigned_user_id: Option<i32>,
    pub assignee: Option<String>,
    pub checked: bool,
}

/// An audit's page: parameters, the summary by office and the sampled cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditView {
    pub id: i32,
    pub year: i32,
    pub quarter: u32,
    pub province_code: Option<String>,
    pub province_km: Option<String>,
    pub province_latin: Option<String>,
    pub seed: i64,
    pub per_office: i32,
    pub cap: i32,
    pub sample_size: u64,
    pub drawn_by: String,
    pub created_at: DateTime<Utc>,
    /// The user drew this audit, so may reassign its cases.
    pub is_drawer: bool,
    pub offices: Vec<OfficeTally>,
    pub cases: Vec<SampledCase>,
    /// Who the cases may be reassigned to; empty unless the user drew the audit.
    pub officers: Vec<Officer>,
}

/// A sampled case's facts and checklist, for the monitoring officer who phones the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistView {
    pub audit_id: i32,
    pub year: i32,
    pub quarter: u32,
    pub code: String,
    pub office_code: String,
    pub office_km: String,
    pub office_en: String,
    pub service_km: String,
    pub service_en: String,
    pub quantity: i32,
    /// The fee the case was registered with (quantity × fee per unit then).
    pub fee_total: i64,
    /// The catalogue's fee for the same quantity today.
    pub catalogue_fee: i64,
    /// What the cashier recorded as paid, with the receipt number.
    pub paid: Option<i64>,
    pub receipt_number: Option<String>,
    pub registered_on: NaiveDate,
    pub due_on: NaiveDate,
    pub delivered_on: Option<NaiveDate>,
    pub on_time: bool,
    pub applicant_km: String,
    pub applicant_latin: String,
    pub phone: Option<String>,
    pub assignee: Option<String>,
    /// In the order of [`CHECKLIST_ITEMS`].
    pub answers: Vec<Option<bool>>,
    pub findings: Option<String>,
    pub checked_by: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    /// The assigned officer or the drawer: only they may record.
    pub can_record: bool,
}
