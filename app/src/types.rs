//! Plain data passed between server functions and pages. Serde only: no database types here.

use serde::{Deserialize, Serialize};

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
