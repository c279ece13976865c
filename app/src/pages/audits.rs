//! Quality audits for province and national viewers: the list, drawing a sample, an audit's
//! summary and cases, and the checklist of one sampled case.

pub mod audit;
pub mod checklist;
pub mod list;
pub mod new;

use crate::{
    format::localize_digits,
    i18n::{Locale, Texts},
    types::quality_audits::Officer,
};

/// "2026 Q3" in the user's language, digits included.
pub fn period(t: &Texts, locale: Locale, year: i32, quarter: u32) -> String {
    let text = crate::i18n::fill(
        t.audit_period,
        &[
            ("year", &year.to_string()),
            ("quarter", &quarter.to_string()),
        ],
    );
    localize_digits(&text, locale)
}

/// An officer as listed in choices: name, username and province if any.
pub fn officer_label(o: &Officer) -> String {
    match &o.province_code {
        Some(p) => format!("{} ({}, {p})", o.full_name, o.username),
        None => format!("{} ({})", o.full_name, o.username),
    }
}
