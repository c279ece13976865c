//! Number and money formatting for both interfaces: riel with thousands separators, and Khmer
//! digits in the Khmer interface.

use crate::i18n::Locale;

const KHMER_DIGITS: [char; 10] = ['០', '១', '២', '៣', '៤', '៥', '៦', '៧', '៨', '៩'];

/// Replaces ASCII digits with Khmer digits, leaving everything else as it is.
pub fn to_khmer_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => KHMER_DIGITS[d as usize],
            _ => c,
        })
        .collect()
}

/// Replaces Khmer digits with ASCII digits, so typed Khmer numbers parse like Latin ones.
pub fn from_khmer_digits(text: &str) -> String {
    text.chars()
        .map(|c| match KHMER_DIGITS.iter().position(|k| *k == c) {
            Some(d) => char::from(b'0' + d as u8),
            None => c,
        })
        .collect()
}

/// Groups an integer's digits in threes with commas: 25798010 → "25,798,010".
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A whole number in the locale's digits, grouped in thousands.
pub fn format_number(value: i64, locale: Locale) -> String {
    let grouped = group_thousands(value);
    match locale {
        Locale::Km => to_khmer_digits(&grouped),
        Locale::En => grouped,
    }
}

/// Any text with its digits in the locale's: years, codes and periods, which take no grouping.
/// A count in words: `one` or `other` by the language's plural rule, `{n}` filled in. Khmer has
/// no plural (its `_one` texts equal the others); English has one and other.
pub fn format_count(n: i64, locale: Locale, one: &str, other: &str) -> String {
    let template = match locale {
        Locale::En if n == 1 => one,
        _ => other,
    };
    template.replace("{n}", &format_number(n, locale))
}

pub fn localize_digits(text: &str, locale: Locale) -> String {
    match locale {
        Locale::Km => to_khmer_digits(text),
        Locale::En => text.to_string(),
    }
}

/// A mean kept in tenths, as "4.3" or "៤.៣".
pub fn format_tenths(value: i64, locale: Locale) -> String {
    // The sign goes in front once: `-5` is "-0.5", never "0.-5".
    let sign = if value < 0 { "-" } else { "" };
    let tenths = value.unsigned_abs();
    localize_digits(&format!("{sign}{}.{}", tenths / 10, tenths % 10), locale)
}

/// A whole percentage, as "87%" or "៨៧%".
pub fn format_percent(value: u64, locale: Locale) -> String {
    format!("{}%", format_number(value as i64, locale))
}

/// A large value shortened for a chart's axis, in the locale's digits and words: "1.2M" and
/// "350K" in English, "១.២ លាន" and "៣៥០ ពាន់" in Khmer.
pub fn format_compact(value: f64, locale: Locale) -> String {
    let t = locale.texts();
    let (template, shown) = if value >= 1_000_000.0 {
        (t.compact_million, format!("{:.1}", value / 1_000_000.0))
    } else if value >= 1_000.0 {
        (t.compact_thousand, format!("{:.0}", value / 1_000.0))
    } else {
        ("{n}", format!("{value:.0}"))
    };
    template.replace("{n}", &localize_digits(&shown, locale))
}

/// An amount of riel as shown to users: "២៥,៧៩៨,០១០ ៛" in Khmer, "25,798,010 ៛" in English.
pub fn format_riel(amount: i64, locale: Locale) -> String {
    format!("{} ៛", format_number(amount, locale))
}

/// A calendar date, one format per language everywhere: "9 វិច្ឆិកា 2026" with Khmer digits and
/// the Khmer month name in Khmer, day/month/year ("09/11/2026", the order used in Cambodia) in
/// English.
pub fn format_date(date: chrono::NaiveDate, locale: Locale) -> String {
    use chrono::Datelike;
    match locale {
        Locale::Km => {
            let month = locale
                .texts()
                .get(&format!("month_{}", date.month()))
                .unwrap_or_default();
            to_khmer_digits(&format!("{} {month} {}", date.day(), date.year()))
        }
        Locale::En => date.format("%d/%m/%Y").to_string(),
    }
}

/// A stored instant as Phnom Penh date and time: the date as [`format_date`], then 24-hour
/// hours and minutes in the locale's digits.
pub fn format_date_time(at: chrono::DateTime<chrono::Utc>, locale: Locale) -> String {
    let local = crate::domain::calendar::phnom_penh_time(at);
    let time = localize_digits(&local.format("%H:%M").to_string(), locale);
    format!("{} {time}", format_date(local.date(), locale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_values_use_the_languages_digits_and_words() {
        assert_eq!(format_compact(1_250_000.0, Locale::En), "1.2M");
        assert_eq!(format_compact(350_000.0, Locale::En), "350K");
        assert_eq!(format_compact(0.0, Locale::En), "0");
        assert_eq!(format_compact(1_250_000.0, Locale::Km), "១.២ លាន");
        assert_eq!(format_compact(350_000.0, Locale::Km), "៣៥០ ពាន់");
        assert_eq!(format_compact(0.0, Locale::Km), "០");
    }

    #[test]
    fn english_counts_have_a_singular_and_khmer_none() {
        let en = Locale::En.texts();
        let km = Locale::Km.texts();
        let late =
            |n, l: Locale, t: &crate::i18n::Texts| format_count(n, l, t.days_late_one, t.days_late);
        assert_eq!(late(1, Locale::En, en), "1 day late");
        assert_eq!(late(2, Locale::En, en), "2 days late");
        assert_eq!(late(0, Locale::En, en), "0 days late");
        // No plural in Khmer: one and two read the same but for the digit.
        assert_eq!(
            late(1, Locale::Km, km).replace('១', "២"),
            late(2, Locale::Km, km)
        );
        assert!(late(1, Locale::Km, km).contains('១'), "Khmer digits");
        assert_eq!(
            format_count(1, Locale::En, en.inbox_total_one, en.inbox_total),
            "1 case"
        );
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(600_000), "600,000");
        assert_eq!(group_thousands(25_798_010), "25,798,010");
        assert_eq!(group_thousands(-1_234_567), "-1,234,567");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn riel_in_both_locales() {
        assert_eq!(format_riel(25_798_010, Locale::En), "25,798,010 ៛");
        assert_eq!(format_riel(25_798_010, Locale::Km), "២៥,៧៩៨,០១០ ៛");
        assert_eq!(format_riel(0, Locale::Km), "០ ៛");
    }

    #[test]
    fn tenths_and_percents() {
        assert_eq!(format_tenths(43, Locale::En), "4.3");
        assert_eq!(format_tenths(40, Locale::Km), "៤.០");
        assert_eq!(format_tenths(-5, Locale::En), "-0.5");
        assert_eq!(format_percent(87, Locale::Km), "៨៧%");
        assert_eq!(localize_digits("2026-Q3", Locale::Km), "២០២៦-Q៣");
    }

    #[test]
    fn dates_day_first() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
        assert_eq!(format_date(d, Locale::En), "09/11/2026");
        assert_eq!(format_date(d, Locale::Km), "៩ វិច្ឆិកា ២០២៦");
    }

    #[test]
    fn instants_show_phnom_penh_time() {
        // 17:30 UTC on 9 November is 00:30 on the 10th in Phnom Penh.
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 9)
            .and_then(|d| d.and_hms_opt(17, 30, 0))
            .unwrap()
            .and_utc();
        assert_eq!(format_date_time(at, Locale::En), "10/11/2026 00:30");
        assert_eq!(format_date_time(at, Locale::Km), "១០ វិច្ឆិកា ២០២៦ ០០:៣០");
    }

    #[test]
    fn khmer_digits_round_trip() {
        assert_eq!(to_khmer_digits("0320018100"), "០៣២០០១៨១០០");
        assert_eq!(from_khmer_digits("០៣២០០១៨១០០"), "0320018100");
        assert_eq!(to_khmer_digits("a1-b2"), "a១-b២");
        for n in [0_i64, 7, 42, 123_456_789] {
            assert_eq!(
                from_khmer_digits(&to_khmer_digits(&n.to_string())),
                n.to_string()
            );
        }
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    fn ascii_or_khmer_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            proptest::collection::vec(
                prop_oneof![
                    proptest::char::range('0', '9'),
                    proptest::char::range('០', '៩'),
                    any::<char>(),
                ],
                0..24,
            )
            .prop_map(String::from_iter),
        ]
    }

    fn is_khmer_digit(c: char) -> bool {
        KHMER_DIGITS.contains(&c)
    }

    proptest! {
        #[test]
        fn digit_conversions_are_idempotent_inverses(text in ascii_or_khmer_text()) {
            let ascii = from_khmer_digits(&text);
            let khmer = to_khmer_digits(&text);
            prop_assert_eq!(from_khmer_digits(&ascii), ascii.clone());
            prop_assert_eq!(to_khmer_digits(&khmer), khmer.clone());
            prop_assert_eq!(ascii.chars().count(), text.chars().count());
            prop_assert_eq!(khmer.chars().count(), text.chars().count());
            prop_assert!(!ascii.chars().any(is_khmer_digit));
            prop_assert!(!khmer.chars().any(|c| c.is_ascii_digit()));
            // Each direction undoes the other on text that has only the other kind of digit.
            prop_assert_eq!(to_khmer_digits(&ascii), to_khmer_digits(&text));
            prop_assert_eq!(from_khmer_digits(&khmer), ascii.clone());
            if !text.chars().any(is_khmer_digit) {
                prop_assert_eq!(from_khmer_digits(&khmer), text.clone());
            }
            if !text.chars().any(|c| c.is_ascii_digit()) {
                prop_assert_eq!(to_khmer_digits(&ascii), text.clone());
            }
        }

        #[test]
        fn thousands_are_grouped_in_threes(value in any::<i64>()) {
            let grouped = group_thousands(value);
            prop_assert_eq!(grouped.replace(',', ""), value.to_string());
            let groups: Vec<&str> = grouped.trim_start_matches('-').split(',').collect();
            prop_assert!((1..=3).contains(&groups[0].len()), "{}", grouped);
            prop_assert!(groups[1..].iter().all(|g| g.len() == 3), "{}", grouped);
            prop_assert_eq!(format_number(value, Locale::En), grouped.clone());
            prop_assert_eq!(format_number(value, Locale::Km), to_khmer_digits(&grouped));
            prop_assert_eq!(from_khmer_digits(&format_riel(value, Locale::Km)), format!("{grouped} ៛"));
        }

        #[test]
        fn tenths_read_back_as_the_value(value in any::<i64>()) {
            let text = format_tenths(value, Locale::En);
            let (whole, tenth) = text.split_once('.').unwrap();
            prop_assert_eq!(tenth.len(), 1, "{}", text);
            prop_assert!(tenth.chars().all(|c| c.is_ascii_digit()), "{}", text);
            prop_assert_eq!(format!("{whole}{tenth}").parse::<i128>(), Ok(i128::from(value)), "{}", text);
            prop_assert_eq!(format_tenths(value, Locale::Km), to_khmer_digits(&text));
        }

        #[test]
        // From 1000-01-01 to about 9200: four-digit years, as on every page.
        fn dates_read_back_in_both_locales(days in 0i64..3_000_000) {
            let date = chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let text = format_date(date, Locale::En);
            prop_assert_eq!(chrono::NaiveDate::parse_from_str(&text, "%d/%m/%Y"), Ok(date), "{}", text);
            // Khmer: day, month name, year; the name is read back through the locale's month list.
            let km = from_khmer_digits(&format_date(date, Locale::Km));
            let parts: Vec<&str> = km.split(' ').collect();
            prop_assert_eq!(parts.len(), 3, "{}", km);
            let month = (1..=12u32)
                .find(|m| Locale::Km.texts().get(&format!("month_{m}")) == Some(parts[1]))
                .unwrap_or(0);
            let read = chrono::NaiveDate::from_ymd_opt(parts[2].parse().unwrap_or(0), month, parts[0].parse().unwrap_or(0));
            prop_assert_eq!(read, Some(date), "{}", km);
        }
    }
}
