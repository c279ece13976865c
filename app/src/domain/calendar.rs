//! Working-day arithmetic: Monday to Friday, minus public holidays. Every deadline in the
//! system (inbox, case page, statistics, the generator) goes through these functions.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Utc, Weekday};

/// Phnom Penh is UTC+7 all year (no daylight saving). The one place the offset is written.
pub const PHNOM_PENH_OFFSET_SECS: i64 = 7 * 3600;

/// Wall-clock time in Phnom Penh at a stored UTC instant.
pub fn phnom_penh_time(at: DateTime<Utc>) -> NaiveDateTime {
    (at + chrono::Duration::seconds(PHNOM_PENH_OFFSET_SECS)).naive_utc()
}

/// The calendar day in Phnom Penh at a UTC instant; deadlines count local days.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    phnom_penh_time(at).date()
}

/// The UTC instant of a Phnom Penh wall-clock time.
pub fn from_phnom_penh(local: NaiveDateTime) -> DateTime<Utc> {
    local.and_utc() - chrono::Duration::seconds(PHNOM_PENH_OFFSET_SECS)
}

/// The public holidays in force, as loaded from the `holidays` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays(BTreeSet<NaiveDate>);

impl Holidays {
    pub fn new(days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self(days.into_iter().collect())
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.0.contains(&day)
    }

    /// The date `days` working days after `start`. Zero days means the same day, or the next
    /// working day when `start` itself is not one.
    pub fn add_working_days(&self, start: NaiveDate, days: u32) -> NaiveDate {
        let mut day = start;
        while !self.is_working_day(day) {
            day = day + Days::new(1);
        }
        let mut left = days;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut count = 0;
        let mut day = lo;
        while day < hi {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        sign * count
    }
}

/// Splits a service's time standard over its workflow steps by weight, so that the per-step
/// allowances add up to the whole. Steps that wait on the citizen get no allowance.
pub fn split_time_standard(total_days: u32, stages: &[super::Stage]) -> Vec<u32> {
    use super::Stage::*;
    let weight = |s: &super::Stage| -> u32 {
        match s {
            ChiefCheck | ChiefOpinion | DirectorOpinion => 1,
            Decision => 2,
            TechnicalReview | TaxBranch => 4,
            Registration | Cashier | Returned | Delivered => 0,
        }
    };
    let weights: Vec<u32> = stages.iter().map(weight).collect();
    let sum: u32 = weights.iter().sum();
    if sum == 0 {
        return vec![0; stages.len()];
    }
    let mut shares: Vec<u32> = weights.iter().map(|w| total_days * w / sum).collect();
    let mut remainders: Vec<(u32, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| ((total_days * w) % sum, i))
        .collect();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = total_days - shares.iter().sum::<u32>();
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        if weights[i] > 0 {
            shares[i] += 1;
            left -= 1;
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stage;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn skips_weekends_and_holidays() {
        // Friday 2026-11-06; Monday 2026-11-09 is Independence Day.
        let h = Holidays::new([d(2026, 11, 9)]);
        assert_eq!(h.add_working_days(d(2026, 11, 6), 0), d(2026, 11, 6));
        assert_eq!(h.add_working_days(d(2026, 11, 6), 1), d(2026, 11, 10));
        assert_eq!(h.add_working_days(d(2026, 11, 7), 0), d(2026, 11, 10));
        assert_eq!(h.add_working_days(d(2026, 11, 6), 5), d(2026, 11, 16));
        assert_eq!(h.working_days_between(d(2026, 11, 6), d(2026, 11, 16)), 5);
        assert_eq!(h.working_days_between(d(2026, 11, 16), d(2026, 11, 6)), -5);
        assert_eq!(h.working_days_between(d(2026, 11, 6), d(2026, 11, 6)), 0);
    }

    #[test]
    fn splits_add_up() {
        let stages = [
            Stage::Registration,
            Stage::Cashier,
            Stage::ChiefCheck,
            Stage::TechnicalReview,
            Stage::ChiefOpinion,
            Stage::DirectorOpinion,
            Stage::Decision,
            Stage::Returned,
            Stage::Delivered,
        ];
        for total in [0, 1, 3, 7, 15, 45] {
            let split = split_time_standard(total, &stages);
            assert_eq!(split.iter().sum::<u32>(), total, "{total}: {split:?}");
            assert_eq!(split[0] + split[1] + split[7] + split[8], 0);
        }
        assert_eq!(
            split_time_standard(5, &[Stage::Registration, Stage::Delivered]),
            vec![0, 0]
        );
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::domain::Stage;
    use proptest::prelude::*;

    fn day(offset: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(offset)
    }

    /// A start date in 2000–2099 and holidays clustered in the three months after it, so that
    /// holidays, weekends and long runs of both actually meet the arithmetic.
    fn calendar() -> impl Strategy<Value = (NaiveDate, Holidays)> {
        (0u64..36_500, proptest::collection::vec(0u64..90, 0..40)).prop_map(|(start, offsets)| {
            (
                day(start),
                Holidays::new(offsets.into_iter().map(|o| day(start + o))),
            )
        })
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_working_day((start, holidays) in calendar(), days in 0u32..60) {
            let end = holidays.add_working_days(start, days);
            prop_assert!(holidays.is_working_day(end));
            prop_assert!(end >= start);
            let extra = i64::from(!holidays.is_working_day(start));
            prop_assert_eq!(holidays.working_days_between(start, end), i64::from(days) + extra);
            prop_assert!(holidays.add_working_days(start, days + 1) > end);
            if days == 0 && holidays.is_working_day(start) {
                prop_assert_eq!(end, start);
            }
        }

        #[test]
        fn working_days_between_is_antisymmetric_and_additive(
            (start, holidays) in calendar(),
            a in 0u64..120,
            b in 0u64..120,
        ) {
            let (x, y) = (start + Days::new(a), start + Days::new(b));
            let xy = holidays.working_days_between(x, y);
            prop_assert_eq!(holidays.working_days_between(y, x), -xy);
            prop_assert_eq!(holidays.working_days_between(x, x), 0);
            prop_assert_eq!(
                holidays.working_days_between(start, x) + xy,
                holidays.working_days_between(start, y)
            );
            prop_assert!(xy.abs() <= (y - x).num_days().abs());
        }

        #[test]
        fn time_standard_splits_add_up(
            total in 0u32..=365,
            stages in proptest::collection::vec(proptest::sample::select(Stage::ALL.to_vec()), 0..12),
        ) {
            let split = split_time_standard(total, &stages);
            prop_assert_eq!(split.len(), stages.len());
            let weight = |s: Stage| match s {
                Stage::ChiefCheck | Stage::ChiefOpinion | Stage::DirectorOpinion => 1,
                Stage::Decision => 2,
                Stage::TechnicalReview | Stage::TaxBranch => 4,
                _ => 0,
            };
            let sum: u32 = stages.iter().map(|s| weight(*s)).sum();
            if sum == 0 {
                prop_assert!(split.iter().all(|d| *d == 0));
            } else {
                prop_assert_eq!(split.iter().sum::<u32>(), total);
            }
            for (stage, share) in stages.iter().zip(&split) {
                let w = weight(*stage);
                if w == 0 {
                    prop_assert_eq!(*share, 0, "{:?}", stage);
                } else {
                    // Each share is its exact part rounded down, or one more.
                    let floor = total * w / sum;
                    prop_assert!(*share == floor || *share == floor + 1, "{:?} {} {:?}", stage, share, split);
                }
            }
        }
    }
}
