//! Phone numbers and riel amounts from arbitrary text: an accepted phone is in the national form
//! and parses back to itself in every international spelling; an accepted amount is within the
//! form's range, and every amount reads back from its display in both languages.
#![no_main]

use app::domain::{Phone, Riel};
use app::format::{format_riel, from_khmer_digits, group_thousands, to_khmer_digits};
use app::i18n::Locale;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let phone = Phone::parse(text);
    assert_eq!(Phone::parse(&to_khmer_digits(text)), phone, "{text:?}");
    assert_eq!(Phone::parse(&from_khmer_digits(text)), phone, "{text:?}");
    if let Ok(phone) = phone {
        let p = phone.as_str();
        assert!((9..=10).contains(&p.len()), "{p:?}");
        assert!(p.bytes().all(|b| b.is_ascii_digit()), "{p:?}");
        assert!(p.starts_with('0') && !p[1..].starts_with('0'), "{p:?}");
        for typed in [
            p.to_string(),
            format!("+855 {}", &p[1..]),
            format!("00855{}", &p[1..]),
            format!("855 {}", &p[1..]),
            format!("855 {p}"),
            format!("+855 ({}) {}", &p[..3], &p[3..]),
        ] {
            assert_eq!(Phone::parse(&typed).as_ref(), Ok(&phone), "{typed:?}");
        }
    }

    let riel = Riel::parse(text);
    assert_eq!(Riel::parse(&to_khmer_digits(text)), riel, "{text:?}");
    if let Ok(Riel(value)) = riel {
        assert!((0..=Riel::MAX_INPUT).contains(&value), "{text:?}");
        assert!(!text.contains('-'), "{text:?}");
        for locale in [Locale::En, Locale::Km] {
            assert_eq!(Riel::parse(&format_riel(value, locale)), Ok(Riel(value)));
        }
    }

    // Every amount the form may carry reads back from its display; larger ones are refused.
    if let Some(bytes) = data.get(..8) {
        let raw = i64::from_le_bytes(bytes.try_into().unwrap());
        let value = raw.rem_euclid(Riel::MAX_INPUT + 1);
        for locale in [Locale::En, Locale::Km] {
            assert_eq!(Riel::parse(&format_riel(value, locale)), Ok(Riel(value)));
        }
        if raw > Riel::MAX_INPUT || raw < 0 {
            assert!(Riel::parse(&group_thousands(raw)).is_err(), "{raw}");
        }
    }
});
