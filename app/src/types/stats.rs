//! The leadership dashboard's figures, as the page and the JSON API receive them.

use serde::{Deserialize, Serialize};

/// The dashboard's filters as typed in the URL; every field optional and parsed on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsQuery {
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub quarter: Option<String>,
    #[serde(default)]
    pub month: Option<String>,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
}

impl StatsQuery {
    /// The non-empty filters as URL query pairs, for links and exports that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("year", &self.year),
            ("quarter", &self.quarter),
            ("month", &self.month),
            ("province", &self.province),
            ("district", &self.district),
            ("sector", &self.sector),
        ]
        .into_iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (k, v.to_string()))
        })
        .collect()
    }
}

impl StatsQuery {
    /// The non-empty filters as an encoded query string, without the `?`.
    pub fn query_string(&self) -> String {
        let pairs: Vec<(String, String)> = self
            .pairs()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        crate::api::encode_query(&pairs)
    }
}

/// The filters as the server understood them, after scoping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSelection {
    pub year: i32,
    pub quarter: Option<u32>,
    pub month: Option<u32>,
    pub province: Option<String>,
    pub district: Option<String>,
    pub sector: Option<i32>,
    /// The unit shown, e.g. "ខណ្ឌចំការមន, រាជធានីភ្នំពេញ" or "ព្រះរាជាណាចក្រកម្ពុជា".
    pub unit_km: String,
    pub unit_en: String,
}

/// One dashboard tile: a stage (or `rejected`) and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTile {
    /// The stage id, or `rejected`.
    pub key: String,
    pub cases: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTotals {
    pub receipts: i64,
    /// Revenue of every channel, in riel.
    pub revenue: i64,
    /// The part of `revenue` paid online by KHQR; the rest was paid in cash.
    pub revenue_khqr: i64,
}

/// Messages sent to citizens in the period and unit; the sector filter does not apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTotals {
    pub sms: i64,
    pub telegram: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictRevenue {
    pub code: String,
    pub name_km: String,
    pub name_en: String,
    pub receipts: i64,
    pub revenue: i64,
}

/// A chart as drawn on the server, with the same figures as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartView {
    /// Also the CSV's file name: `/stats/export/<id>.csv`.
    pub id: String,
    pub title: String,
    pub note: Option<String>,
    pub svg: String,
    pub columns: Vec<String>,
    /// The first rows; `rows_total` says how many the CSV has.
    pub rows: Vec<Vec<String>>,
    pub rows_total: usize,
}

/// Everything the dashboard page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub selection: StatsSelection,
    pub tiles: Vec<StageTile>,
    pub money: MoneyTotals,
    /// Messages to citizens sent in the period, by channel.
    pub messages: MessageTotals,
    pub total_cases: i64,
    pub charts: Vec<ChartView>,
    pub options: FilterOptions,
}

/// What the filter form offers, limited to the caller's jurisdiction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub years: Vec<i32>,
    pub provinces: Vec<NamedCode>,
    pub districts: Vec<NamedCode>,
    pub sectors: Vec<NamedCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCode {
    pub code: String,
    pub name_km: String,
    pub name_en: String,
}

/// `GET /api/v1/stats`: the tiles and the revenue by district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSummary {
    pub selection: StatsSelection,
    pub tiles: Vec<StageTile>,
    pub money: MoneyTotals,
    pub total_cases: i64,
    pub revenue_by_district: Vec<DistrictRevenue>,
}
