//! Dates: report periods typed in an address, and working-day arithmetic over arbitrary
//! holidays.
#![no_main]

use app::domain::calendar::{split_time_standard, Holidays};
use app::domain::Stage;
use app::types::reports::{Period, FIRST_REPORT_YEAR, LAST_REPORT_YEAR};
use chrono::{Datelike, Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (String, u16, u8, Vec<u8>, u16, Vec<u8>)| {
    let (text, start, days, holiday_offsets, total, stage_picks) = input;

    // A period parses only from its canonical form, and spans its months.
    if let Some(period) = Period::parse(&text) {
        assert_eq!(text.trim().to_ascii_uppercase(), period.id(), "{text:?}");
        assert!((FIRST_REPORT_YEAR..=LAST_REPORT_YEAR).contains(&period.year));
        let (first, last) = (period.first_day(), period.last_day());
        let (from, to) = period.part.months();
        assert_eq!(
            (first.year(), first.month(), first.day()),
            (period.year, from, 1)
        );
        assert_eq!((last.year(), last.month()), (period.year, to));
        assert_eq!(last.succ_opt().unwrap().day(), 1);
        assert_eq!(Period::parse(&period.id()), Some(period));
    }

    // Working days, with holidays in the 256 days after a start in 2000–2179.
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(u64::from(start));
    let holidays = Holidays::new(
        holiday_offsets
            .iter()
            .map(|o| start + Days::new(u64::from(*o))),
    );
    let days = u32::from(days % 64);
    let end = holidays.add_working_days(start, days);
    assert!(holidays.is_working_day(end));
    assert!(end >= start);
    let extra = i64::from(!holidays.is_working_day(start));
    assert_eq!(
        holidays.working_days_between(start, end),
        i64::from(days) + extra
    );
    assert_eq!(
        holidays.working_days_between(end, start),
        -(i64::from(days) + extra)
    );

    // A time standard splits over any steps without losing or inventing a day.
    let total = u32::from(total % 366);
    let stages: Vec<Stage> = stage_picks
        .iter()
        .take(16)
        .map(|b| Stage::ALL[usize::from(*b) % Stage::ALL.len()])
        .collect();
    let split = split_time_standard(total, &stages);
    assert_eq!(split.len(), stages.len());
    let sum: u32 = split.iter().sum();
    assert!(
        sum == total || sum == 0,
        "{total} over {stages:?}: {split:?}"
    );
});
