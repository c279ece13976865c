//! Quarterly and semester reports for office leadership, provinces and the Ministry.

pub mod index;
pub mod period;

use crate::{
    format::localize_digits,
    i18n::{fill, Locale, Texts},
    types::reports::{Period, PeriodPart, ReportUnit, UnitKind},
};

/// "Quarter 3 of 2026" or "ត្រីមាសទី៣ ឆ្នាំ២០២៦".
pub fn period_title(t: &'static Texts, period: Period, locale: Locale) -> String {
    let year = localize_digits(&period.year.to_string(), locale);
    let (template, n) = match period.part {
        PeriodPart::Quarter(n) => (t.report_quarter_title, n),
        PeriodPart::Semester(n) => (t.report_semester_title, n),
    };
    fill(
        template,
        &[
            ("n", &localize_digits(&n.to_string(), locale)),
            ("year", &year),
        ],
    )
}

/// "Quarter 3" or "ឆមាសទី១", for the form's choices.
pub fn part_label(t: &'static Texts, part: PeriodPart, locale: Locale) -> String {
    let (template, n) = match part {
        PeriodPart::Quarter(n) => (t.report_part_q, n),
        PeriodPart::Semester(n) => (t.report_part_s, n),
    };
    fill(template, &[("n", &localize_digits(&n.to_string(), locale))])
}

pub fn unit_name(t: &'static Texts, unit: &ReportUnit, locale: Locale) -> String {
    match unit.kind {
        UnitKind::National => t.whole_country.to_string(),
        _ => locale.pick(&unit.name_km, &unit.name_en).to_string(),
    }
}
