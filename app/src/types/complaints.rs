//! Complaints and suggestions from citizens, and the office chief's answers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a complaint is about; the seed's monitoring practice counts these separately.
pub const COMPLAINT_CATEGORIES: [&str; 5] = ["delay", "fee", "staff_conduct", "middleman", "other"];

crate::domain::stored_enum! {
    pub enum ComplaintStatus {
        Open,
        Answered,
        Closed,
    }
}

impl ComplaintStatus {
    pub fn id(self) -> &'static str {
        match self {
            ComplaintStatus::Open => "open",
            ComplaintStatus::Answered => "answered",
            ComplaintStatus::Closed => "closed",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        [Self::Open, Self::Answered, Self::Closed]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// The receipt of a filed complaint: the citizen needs both to follow it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintFiled {
    pub number: String,
    pub pin: String,
}

/// A complaint this browser may read (it filed it, or proved the PIN), with the new PIN the
/// first time after filing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantedComplaint {
    pub complaint: ComplaintView,
    pub new_pin: Option<String>,
}

/// What the citizen sees with the number and PIN. Never the phone they left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintView {
    pub number: String,
    pub category: String,
    pub office_code: String,
    pub office_name_km: String,
    pub office_name_en: String,
    pub case_code: Option<String>,
    pub status: ComplaintStatus,
    pub filed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

/// A complaint in the office chief's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffComplaint {
    pub id: i64,
    pub number: String,
    pub category: String,
    pub case_code: Option<String>,
    pub body: String,
    pub phone: Option<String>,
    pub status: ComplaintStatus,
    pub filed_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Working days past the due date while unanswered; 0 when on time.
    pub days_late: i64,
    pub answer: Option<String>,
}
