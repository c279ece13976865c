//! What the public portal shows: a case's status as its PIN holder sees it, the catalogue and the
//! office pages. Nothing here names, locates or identifies the applicant.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{CaseStatus, Stage};

/// The office as citizens need it: where, when and how to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeContact {
    pub code: String,
    pub name_km: String,
    pub name_en: String,
    pub address_km: String,
    pub address_en: String,
    pub hours_km: String,
    pub hours_en: String,
    pub phone: Option<String>,
}

/// One row of the seed's "No. / step / date" table. Dates are Phnom Penh calendar days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackStep {
    pub no: u32,
    /// What happened (`register`, `forward`, `return`…), for the row's wording.
    pub action: crate::domain::workflow::CaseEventKind,
    pub stage: Option<Stage>,
    pub on: NaiveDate,
}

/// What `/track/{code}` shows to a browser holding a lookup grant: the status and, once, right
/// after an online application, the new PIN to write down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantedTrack {
    pub view: TrackView,
    pub new_pin: Option<String>,
    /// The KHQR to pay the fee by, while the case waits at the cashier unpaid.
    pub khqr: Option<super::payments::KhqrView>,
    /// The citizen's messages: SMS, the Telegram link, and whether they were stopped.
    pub notices: super::notices::NoticeContactView,
}

/// A case as `/track` and `POST /api/v1/track` show it to whoever holds its code and PIN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackView {
    pub code: String,
    pub service_id: i32,
    pub service_code: String,
    pub service_name_km: String,
    pub service_name_en: String,
    pub office: OfficeContact,
    pub stage: Stage,
    pub status: CaseStatus,
    pub registered_on: NaiveDate,
    pub stage_since: NaiveDate,
    /// Working days (Monday to Friday, public holidays excluded) since the case reached `stage`.
    pub working_days_in_stage: i64,
    pub passed: Vec<TrackStep>,
    /// The service's remaining stages, in order; empty once the case is closed.
    pub ahead: Vec<Stage>,
    /// The whole-case deadline, moved on by the time the case spent back with the citizen.
    pub expected_on: NaiveDate,
    pub quantity: i32,
    pub fee_total: i64,
    pub paid: bool,
    pub paid_on: Option<NaiveDate>,
    /// How the fee in force was paid: at the cashier or by KHQR.
    pub paid_by: Option<crate::domain::khqr::PaymentChannel>,
    /// Finished and waiting at the front desk to be collected.
    pub ready_for_pickup: bool,
    pub delivered_on: Option<NaiveDate>,
    /// The rating given, once feedback was left.
    pub feedback_rating: Option<i16>,
    pub can_give_feedback: bool,
}

/// A service's page: the catalogue entry and where it is offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePage {
    pub service: super::ServiceSummary,
    pub sector_name_km: String,
    pub sector_name_en: String,
    /// Offices offering it; the catalogue has no per-office offering table, so every active
    /// office offers every active service.
    pub office_count: u64,
}

/// Sectors with their number of active services, for the catalogue's first page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorCount {
    pub id: i32,
    pub name_km: String,
    pub name_en: String,
    pub services: u64,
}

/// What `/services` lists: every sector, and the services matching the search or sector asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    pub sectors: Vec<SectorCount>,
    pub services: Vec<super::ServiceSummary>,
}

/// An office's average rating is published only from this many ratings on: a handful of
/// ratings says more about the raters than about the office.
pub const MIN_RATINGS: u64 = 5;

/// An office's public figures over the last twelve full months and the current month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The first day of the window: the 1st of the month twelve months before the current one.
    pub from: NaiveDate,
    /// Today in Phnom Penh: the window's current month is counted so far.
    pub through: NaiveDate,
    /// Cases registered in the window.
    pub received: u64,
    /// Cases handed over in the window.
    pub delivered: u64,
    /// Delivered on or before the expected date, among `delivered`.
    pub delivered_on_time: u64,
    pub ratings: u64,
    /// Mean rating times ten (e.g. 43 for 4.3), so the type stays exact; `None` below
    /// [`MIN_RATINGS`] ratings.
    pub rating_avg_x10: Option<i64>,
    /// Complaints filed in the window, and how many of them have an answer.
    pub complaints: u64,
    pub complaints_resolved: u64,
}

impl Scorecard {
    pub fn on_time_percent(&self) -> Option<u64> {
        super::reports::percent(self.delivered_on_time, self.delivered)
    }

    pub fn resolved_percent(&self) -> Option<u64> {
        super::reports::percent(self.complaints_resolved, self.complaints)
    }

    pub fn rated(&self) -> bool {
        self.rating_avg_x10.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficePage {
    pub office: OfficeContact,
    pub district_km: String,
    pub district_latin: String,
    pub province_km: String,
    pub province_latin: String,
    pub sectors: Vec<SectorCount>,
    pub scorecard: Scorecard,
}
