//! Reads the dashboard's filters once, at the edge: parses them, checks them against the
//! reference data and narrows them to the caller's jurisdiction.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::rollup::NATIONAL;
use crate::{
    backend::{
        auth::CurrentUser,
        calendar::local_date,
        entities::{district, office, province, sector},
    },
    domain::Jurisdiction,
    error::{AppError, FieldError},
    format::from_khmer_digits,
    types::stats::{StatsQuery, StatsSelection},
};

pub const FIRST_YEAR: i32 = 2000;

/// The validated filters; `months` is the inclusive month range inside `year`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub year: i32,
    pub quarter: Option<u32>,
    pub month: Option<u32>,
    pub province: Option<String>,
    pub office: Option<String>,
    pub sector: Option<i32>,
    pub today: NaiveDate,
}

impl Filter {
    pub fn months(&self) -> (u32, u32) {
        match (self.month, self.quarter) {
            (Some(m), _) => (m, m),
            (None, Some(q)) => (3 * q - 2, 3 * q),
            _ => (1, 12),
        }
    }

    /// The code under which the per-scope rollups keep this unit.
    pub fn scope(&self) -> &str {
        self.office
            .as_deref()
            .or(self.province.as_deref())
            .unwrap_or(NATIONAL)
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.months().0, 1).unwrap_or(self.today)
    }

    pub fn last_day(&self) -> NaiveDate {
        let (_, last) = self.months();
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, last + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(self.today)
    }
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(|s| from_khmer_digits(s.trim()))
        .filter(|s| !s.is_empty())
}

fn number<T: std::str::FromStr + PartialOrd>(
    v: &Option<String>,
    field: &str,
    range: std::ops::RangeInclusive<T>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let raw = text(v)?;
    match raw.parse::<T>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.push(FieldError::new(field, "err_out_of_range"));
            None
        }
    }
}

/// Parses `query` for `user`. A unit outside the user's jurisdiction is "not found"; unknown
/// codes and out-of-range numbers are field errors.
pub async fn parse(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &StatsQuery,
    now: DateTime<Utc>,
) -> Result<Filter, AppError> {
    if !user.role.may(crate::domain::Area::Stats) {
        return Err(AppError::Forbidden);
    }
    let today = local_date(now);
    let mut errors = Vec::new();
    let year = match text(&query.year) {
        None => today.year(),
        Some(_) => match number(
            &query.year,
            "year",
            FIRST_YEAR..=today.year(),
            &mut Vec::new(),
        ) {
            Some(y) => y,
            None => {
                errors.push(FieldError::new("year", "err_year_out_of_range"));
                today.year()
            }
        },
    };
    let quarter = number(&query.quarter, "quarter", 1u32..=4, &mut errors);
    let month = number(&query.month, "month", 1u32..=12, &mut errors);
    if quarter.is_some() && month.is_some() {
        errors.push(FieldError::new("month", "err_quarter_or_month"));
    }

    let mut province = None;
    if let Some(code) = text(&query.province) {
        match province::Entity::find_by_id(code.clone()).one(db).await? {
            Some(p) => province = Some(p.code),
            None => errors.push(FieldError::new("province", "err_no_such_province")),
        }
    }
    let mut office_code = None;
    if let Some(code) = text(&query.district) {
        match office::Entity::find_by_id(code.clone()).one(db).await? {
            Some(o) => {
                if province.as_ref().is_some_and(|p| *p != o.province_code) {
                    errors.push(FieldError::new("district", "err_district_not_in_province"));
                }
                province = Some(o.province_code);
                office_code = Some(o.code);
            }
            None => errors.push(FieldError::new("district", "err_no_such_office")),
        }
    }
    let mut sector_id = None;
    if let Some(id) = number(&query.sector, "sector", 1i32..=999, &mut errors) {
        match sector::Entity::find_by_id(id).one(db).await? {
            Some(s) => sector_id = Some(s.id),
            None => errors.push(FieldError::new("sector", "err_no_such_sector")),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    // Narrow to the jurisdiction: a unit outside it answers as if it did not exist.
    match user.jurisdiction() {
        Jurisdiction::National => {}
        Jurisdiction::Province(p) => {
            if province.as_deref().is_some_and(|x| x != p.as_str()) {
                return Err(AppError::NotFound);
            }
            province = Some(p.as_str().to_string());
        }
        Jurisdiction::Office(o) => {
            if office_code.as_deref().is_some_and(|x| x != o.as_str())
                || province
                    .as_deref()
                    .is_some_and(|x| x != o.province().as_str())
            {
                return Err(AppError::NotFound);
            }
            office_code = Some(o.as_str().to_string());
            province = Some(o.province().as_str().to_string());
        }
    }
    Ok(Filter {
        year,
        quarter: if month.is_some() { None } else { quarter },
        month,
        province,
        office: office_code,
        sector: sector_id,
        today,
    })
}

/// The filter with the unit's names, as the page and the API echo it.
pub async fn describe(db: &impl ConnectionTrait, f: &Filter) -> Result<StatsSelection, AppError> {
    let (unit_km, unit_en) = if let Some(code) = &f.office {
        let d = district::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        let p = province::Entity::find_by_id(d.province_code.clone())
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        (
            format!("{}{} {}{}", d.type_km, d.name_km, p.type_km, p.name_km),
            format!("{} {}, {}", d.name_latin, d.type_en, p.name_latin),
        )
    } else if let Some(code) = &f.province {
        let p = province::Entity::find_by_id(code.clone())
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        (format!("{}{}", p.type_km, p.name_km), p.name_latin)
    } else {
        (String::new(), String::new())
    };
    Ok(StatsSelection {
        year: f.year,
        quarter: f.quarter,
        month: f.month,
        province: f.province.clone(),
        district: f.office.clone(),
        sector: f.sector,
        unit_km,
        unit_en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(quarter: Option<u32>, month: Option<u32>) -> Filter {
        Filter {
            year: 2024,
            quarter,
            month,
            province: None,
            office: None,
            sector: None,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        }
    }

    #[test]
    fn periods_cover_whole_months() {
        let q1 = filter(Some(1), None);
        assert_eq!(q1.months(), (1, 3));
        assert_eq!(q1.last_day().to_string(), "2024-03-31");
        let feb = filter(None, Some(2));
        assert_eq!(feb.last_day().to_string(), "2024-02-29");
        let year = filter(None, None);
        assert_eq!(year.first_day().to_string(), "2024-01-01");
        assert_eq!(year.last_day().to_string(), "2024-12-31");
        assert_eq!(year.scope(), NATIONAL);
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::format::to_khmer_digits;
    use proptest::prelude::*;

    fn typed() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![any::<String>(), "[ 0-9០-៩+-]{0,12}"])
    }

    proptest! {
        #[test]
        fn numbers_are_in_range_and_read_khmer_digits(raw in typed()) {
            let mut errors = Vec::new();
            let month = number(&raw, "month", 1u32..=12, &mut errors);
            let mut khmer_errors = Vec::new();
            let khmer = raw.as_deref().map(to_khmer_digits);
            prop_assert_eq!(number(&khmer, "month", 1u32..=12, &mut khmer_errors), month);
            prop_assert_eq!(&khmer_errors, &errors);
            let blank = raw.as_deref().is_none_or(|r| r.trim().is_empty());
            match month {
                Some(m) => prop_assert!((1..=12).contains(&m) && errors.is_empty()),
                None => prop_assert_eq!(errors.len(), usize::from(!blank)),
            }
        }

        #[test]
        fn a_selection_spans_whole_months(
            year in FIRST_YEAR..=2100,
            quarter in proptest::option::of(1u32..=4),
            month in proptest::option::of(1u32..=12),
        ) {
            let f = Filter {
                year,
                quarter,
                month,
                province: None,
                office: None,
                sector: None,
                today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            };
            let (from, to) = f.months();
            prop_assert!(from <= to);
            let (first, last) = (f.first_day(), f.last_day());
            prop_assert_eq!((first.year(), first.month(), first.day()), (year, from, 1));
            prop_assert_eq!((last.year(), last.month()), (year, to));
            prop_assert_eq!(last.succ_opt().unwrap().day(), 1);
            if let Some(m) = month {
                prop_assert_eq!((from, to), (m, m));
            }
        }
    }
}
