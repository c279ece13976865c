//! The quarterly and semester reports, and the public scorecard ranking: figures read from the
//! statistics rollups, as the pages and the CSV export show them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A reporting period: a quarter (`2026-Q3`) or a semester (`2026-S1`) of a calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    pub part: PeriodPart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodPart {
    Quarter(u32),
    Semester(u32),
}

/// Reports exist for these years; anything else is a typing mistake.
pub const FIRST_REPORT_YEAR: i32 = 2000;
pub const LAST_REPORT_YEAR: i32 = 2100;

impl PeriodPart {
    /// Every part of a year, in the order the report form lists them.
    pub const ALL: [PeriodPart; 6] = [
        PeriodPart::Quarter(1),
        PeriodPart::Quarter(2),
        PeriodPart::Quarter(3),
        PeriodPart::Quarter(4),
        PeriodPart::Semester(1),
        PeriodPart::Semester(2),
    ];

    /// `Q3` or `S1`.
    pub fn id(self) -> String {
        match self {
            PeriodPart::Quarter(n) => format!("Q{n}"),
            PeriodPart::Semester(n) => format!("S{n}"),
        }
    }

    /// `Q3` or `S1`, the letter in either case; one digit, so never `Q03` or `Q+3`.
    pub fn parse(text: &str) -> Option<PeriodPart> {
        let text = text.trim().to_ascii_uppercase();
        let (kind, n) = text.split_at_checked(1)?;
        if n.len() != 1 {
            return None;
        }
        let n = n.chars().next()?.to_digit(10)?;
        match kind {
            "Q" if (1..=4).contains(&n) => Some(PeriodPart::Quarter(n)),
            "S" if (1..=2).contains(&n) => Some(PeriodPart::Semester(n)),
            _ => None,
        }
    }

    /// The first and last calendar month.
    pub fn months(self) -> (u32, u32) {
        match self {
            PeriodPart::Quarter(n) => (3 * n - 2, 3 * n),
            PeriodPart::Semester(n) => (6 * n - 5, 6 * n),
        }
    }
}

impl Period {
    /// `2026-Q3`, `2026-S1` (the letter in either case); `None` for anything else.
    pub fn parse(text: &str) -> Option<Period> {
        let (year, part) = text.trim().split_once('-')?;
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        if !(FIRST_REPORT_YEAR..=LAST_REPORT_YEAR).contains(&year) {
            return None;
        }
        let period = Period {
            year,
            part: PeriodPart::parse(part)?,
        };
        // Nothing between the parts either: `2026- Q3` is not the period's address.
        text.trim()
            .eq_ignore_ascii_case(&period.id())
            .then_some(period)
    }

    /// The canonical form used in addresses and file names.
    pub fn id(self) -> String {
        format!("{}-{}", self.year, self.part.id())
    }

    pub fn first_day(self) -> NaiveDate {
        let (from, _) = self.part.months();
        NaiveDate::from_ymd_opt(self.year, from, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        let (_, to) = self.part.months();
        let next = if to == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, to + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }
}

/// Which part of the country a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitKind {
    National,
    Province,
    Office,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportUnit {
    pub kind: UnitKind,
    /// `KH`, a province code or an office code.
    pub code: String,
    pub name_km: String,
    pub name_en: String,
}

/// The stage columns of a report, in the dashboard's tile order; the same as the rollup's
/// `TILE_COLUMNS` (a test in `backend::reports` keeps them equal), repeated here because the
/// browser build has no backend.
pub const STAGE_COLUMNS: [&str; 11] = [
    "at_registration",
    "at_cashier",
    "at_chief_check",
    "at_technical_review",
    "at_chief_opinion",
    "at_director_opinion",
    "at_decision",
    "at_tax_branch",
    "at_returned",
    "at_delivered",
    "rejected",
];

/// One office's or one unit's figures over the period. Case counts by stage are of the cases
/// registered in the period, revenue of the payments made in it, completions of the cases
/// delivered in it; ratings by rating date, complaints by filing date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigures {
    /// Cases registered in the period, by current stage, in the dashboard's tile order
    /// ([`STAGE_COLUMNS`]: registration … delivered, then rejected).
    pub stages: Vec<u64>,
    pub receipts: u64,
    /// Revenue of every channel, in riel; `revenue_khqr` is the part of it paid by KHQR.
    pub revenue: i64,
    pub revenue_khqr: i64,
    pub completed: u64,
    pub completed_on_time: u64,
    /// Median working days from acceptance to delivery, of the cases delivered in the period.
    pub median_days: Option<u32>,
    pub ratings: u64,
    pub rating_sum: u64,
    pub complaints: u64,
    pub complaints_resolved: u64,
    /// Random-sample quality audits of the period's quarters: cases sampled and checked,
    /// checklist answers that were "no", and checked cases with written findings.
    pub audit_sampled: u64,
    pub audit_checked: u64,
    pub audit_failed_items: u64,
    pub audit_findings: u64,
}

impl ReportFigures {
    pub fn registered(&self) -> u64 {
        self.stages.iter().sum()
    }

    /// Nothing registered, paid or delivered: the office sent nothing for the period.
    pub fn is_silent(&self) -> bool {
        self.registered() == 0 && self.receipts == 0 && self.completed == 0
    }

    pub fn on_time_percent(&self) -> Option<u64> {
        percent(self.completed_on_time, self.completed)
    }

    pub fn resolved_percent(&self) -> Option<u64> {
        percent(self.complaints_resolved, self.complaints)
    }

    /// Mean rating times ten (43 for 4.3).
    pub fn rating_avg_x10(&self) -> Option<i64> {
        mean_x10(self.rating_sum, self.ratings)
    }
}

/// A share in whole percent, rounded half up; `None` when there is nothing to share.
pub fn percent(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

/// A mean in tenths, rounded half up; `None` without values.
pub fn mean_x10(sum: u64, count: u64) -> Option<i64> {
    (count > 0).then(|| ((sum * 10 + count / 2) / count) as i64)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeReport {
    pub code: String,
    pub name_km: String,
    pub name_en: String,
    pub province_code: String,
    pub province_km: String,
    pub province_latin: String,
    pub figures: ReportFigures,
}

/// A quarterly or semester report over one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The period is not over yet: figures so far.
    pub in_progress: bool,
    pub unit: ReportUnit,
    pub total: ReportFigures,
    /// Every office of the unit, silent ones included, in code order.
    pub offices: Vec<OfficeReport>,
}

impl Report {
    /// Offices that registered, took payment for and delivered nothing in the period.
    pub fn silent(&self) -> impl Iterator<Item = &OfficeReport> {
        self.offices.iter().filter(|o| o.figures.is_silent())
    }
}

/// What the report form offers the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportChoices {
    /// The user's own unit, the default.
    pub own: ReportUnit,
    /// Provinces the user may choose (national users only).
    pub provinces: Vec<super::GeoOption>,
    /// Offices the user may choose (province and national users).
    pub offices: Vec<super::GeoOption>,
    /// Years that have figures, newest first, always including the current year.
    pub years: Vec<i32>,
    /// The period in progress, the form's default.
    pub current: Period,
}

/// How the public ranking is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ScoreSort {
    #[default]
    Rating,
    OnTime,
    Resolved,
}

impl ScoreSort {
    pub const ALL: [ScoreSort; 3] = [ScoreSort::Rating, ScoreSort::OnTime, ScoreSort::Resolved];

    pub fn id(self) -> &'static str {
        match self {
            ScoreSort::Rating => "rating",
            ScoreSort::OnTime => "on_time",
            ScoreSort::Resolved => "resolved",
        }
    }

    /// Unknown values fall back to the rating, so an old or mistyped link still shows a ranking.
    pub fn from_id(id: &str) -> ScoreSort {
        ScoreSort::ALL
            .into_iter()
            .find(|s| s.id() == id.trim())
            .unwrap_or_default()
    }
}

/// One office in the public ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardRow {
    pub code: String,
    pub name_km: String,
    pub name_en: String,
    pub province_code: String,
    pub card: super::Scorecard,
}

/// `/scorecard`: offices with enough ratings ranked, the others after them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardRanking {
    pub from: NaiveDate,
    pub through: NaiveDate,
    pub sort: ScoreSort,
    pub province: Option<String>,
    pub provinces: Vec<super::GeoOption>,
    pub min_ratings: u64,
    pub ranked: Vec<ScorecardRow>,
    pub unranked: Vec<ScorecardRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_span_their_months() {
        let q3 = Period::parse("2026-Q3").unwrap();
        assert_eq!(q3.id(), "2026-Q3");
        assert_eq!(q3.first_day().to_string(), "2026-07-01");
        assert_eq!(q3.last_day().to_string(), "2026-09-30");
        let s2 = Period::parse(" 2025-s2 ").unwrap();
        assert_eq!(s2.id(), "2025-S2");
        assert_eq!(s2.last_day().to_string(), "2025-12-31");
        assert_eq!(
            Period::parse("2024-Q1").unwrap().last_day().to_string(),
            "2024-03-31"
        );
        for bad in [
            "",
            "2026",
            "2026-Q5",
            "2026-Q0",
            "2026-S3",
            "26-Q1",
            "2026-X1",
            "1999-Q1",
            "2026-Q",
            "2026-Q1x",
            "២០២៦-Q1",
            "2026--Q1",
            "2026-Q+3",
            "2026-Q03",
            "2026- Q3",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn shares_round_half_up_and_need_a_whole() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
        assert_eq!(mean_x10(21, 5), Some(42));
        assert_eq!(mean_x10(0, 0), None);
        let silent = ReportFigures {
            stages: vec![0; 11],
            ratings: 3,
            complaints: 1,
            ..Default::default()
        };
        assert!(
            silent.is_silent(),
            "citizens' ratings are not the office's activity"
        );
        assert!(!ReportFigures {
            receipts: 1,
            ..silent.clone()
        }
        .is_silent());
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn period() -> impl Strategy<Value = Period> {
        (
            FIRST_REPORT_YEAR..=LAST_REPORT_YEAR,
            proptest::sample::select(PeriodPart::ALL.to_vec()),
        )
            .prop_map(|(year, part)| Period { year, part })
    }

    /// Arbitrary text, and text shaped like a period with the usual typing mistakes.
    fn typed() -> impl Strategy<Value = String> {
        let junk =
            || proptest::sample::select(vec!["", "", "", " ", "+", "0", "00", "+0", "-", "x"]);
        prop_oneof![
            1 => any::<String>(),
            4 => (
                1990..2110,
                junk(),
                junk(),
                "[qQsSxX]",
                junk(),
                0..10,
                junk()
            )
                .prop_map(|(year, a, b, letter, c, n, d)| format!(
                    "{year}{a}-{b}{letter}{c}{n}{d}"
                )),
        ]
    }

    proptest! {
        #[test]
        fn periods_round_trip(period in period(), lower in any::<bool>(), pad in "[ \t\n]{0,2}") {
            let id = period.id();
            let typed = if lower { id.to_ascii_lowercase() } else { id.clone() };
            prop_assert_eq!(Period::parse(&format!("{pad}{typed}{pad}")), Some(period));
            prop_assert_eq!(PeriodPart::parse(&period.part.id()), Some(period.part));
        }

        #[test]
        fn only_the_canonical_form_is_accepted(text in typed()) {
            if let Some(period) = Period::parse(&text) {
                prop_assert_eq!(text.trim().to_ascii_uppercase(), period.id());
                prop_assert!((FIRST_REPORT_YEAR..=LAST_REPORT_YEAR).contains(&period.year));
                prop_assert!(PeriodPart::ALL.contains(&period.part));
            }
        }

        #[test]
        fn a_period_spans_its_whole_months(period in period()) {
            let (first, last) = (period.first_day(), period.last_day());
            let (from, to) = period.part.months();
            prop_assert!(first < last);
            prop_assert_eq!((first.year(), first.month(), first.day()), (period.year, from, 1));
            prop_assert_eq!((last.year(), last.month()), (period.year, to));
            prop_assert_eq!(last.succ_opt().unwrap().day(), 1);
            let days = (last - first).num_days() + 1;
            let expected = match period.part {
                PeriodPart::Quarter(_) => 89..=92,
                PeriodPart::Semester(_) => 181..=184,
            };
            prop_assert!(expected.contains(&days), "{} days", days);
        }
    }
}
