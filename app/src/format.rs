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
pub fn localize_digits(text: &str, locale: Locale) -> String {
    match locale {
        Locale::Km => to_khmer_digits(text),
        Locale::En => text.to_string(),
    }
}

/// A mean kept in tenths, as "4.3" or "៤.៣".
pub fn format_tenths(value: i64, locale: Locale) -> String {
    localize_digits(&format!("{}.{}", value / 10, value % 10), locale)
}

/// A whole percentage, as "87%" or "៨៧%".
pub fn format_percent(value: u64, locale: Locale) -> String {
    format!("{}%", format_number(value as i64, locale))
}

/// An amount of riel as shown to users: "២៥,៧៩៨,០១០ ៛" in Khmer, "25,798,010 ៛" in English.
pub fn format_riel(amount: i64, locale: Locale) -> String {
    format!("{} ៛", format_number(amount, locale))
}

/// A calendar date as day/month/year, the order used in Cambodia, in the locale's digits.
pub fn format_date(date: chrono::NaiveDate, locale: Locale) -> String {
    let text = date.format("%d/%m/%Y").to_string();
    match locale {
        Locale::Km => to_khmer_digits(&text),
        Locale::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(format_percent(87, Locale::Km), "៨៧%");
        assert_eq!(localize_digits("2026-Q3", Locale::Km), "២០២៦-Q៣");
    }

    #[test]
    fn dates_day_first() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
        assert_eq!(format_date(d, Locale::En), "09/11/2026");
        assert_eq!(format_date(d, Locale::Km), "០៩/១១/២០២៦");
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
