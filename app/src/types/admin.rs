//! What the administration screens show and send.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ServiceSummary;
use crate::domain::{Role, Stage};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: i32,
    pub username: String,
    pub full_name: String,
    /// `None` only if the stored role is unknown to this version.
    pub role: Option<Role>,
    pub office_code: Option<String>,
    pub province_code: Option<String>,
    pub sectors: Vec<i32>,
    pub active: bool,
    /// Locked out after repeated failed sign-ins.
    pub locked: bool,
}

/// A new account as typed into the form or the command line; checked once by the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffInput {
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub office_code: Option<String>,
    pub province_code: Option<String>,
    pub sectors: Vec<i32>,
    pub password: String,
}

/// The accounts page: who may be managed and what the signed-in administrator may create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffPage {
    pub accounts: Vec<StaffAccount>,
    /// `Some(office)` for an office administrator, who only manages that office.
    pub own_office: Option<String>,
    pub assignable_roles: Vec<Role>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepAllowance {
    pub stage: Stage,
    pub working_days: i32,
}

/// A service as its editor sees it, with the cases still open at each stage, since those stages
/// cannot be removed from the workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceEdit {
    pub service: ServiceSummary,
    pub active: bool,
    pub steps: Vec<StepAllowance>,
    pub open_cases: Vec<(Stage, u64)>,
}

/// The service editor's form as posted: numbers still as typed, documents one per line, and
/// the workflow as `include[stage]` check boxes with `days[stage]` allowances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceUpdate {
    pub fee_riel: String,
    pub time_standard_days: String,
    pub documents_km: String,
    pub documents_en: String,
    pub active: bool,
    pub include: HashMap<String, String>,
    pub days: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub day: NaiveDate,
    pub name_km: String,
    pub name_en: String,
}
