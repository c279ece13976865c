//! Text handling: Khmer/ASCII digit conversion, number display, the password rules and the
//! language negotiation, from arbitrary input.
#![no_main]

use app::domain::password::{check_new_password, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use app::format::{format_tenths, from_khmer_digits, group_thousands, to_khmer_digits};
use app::i18n::{negotiate, Locale, LANG_COOKIE};
use libfuzzer_sys::fuzz_target;

fn is_khmer_digit(c: char) -> bool {
    ('០'..='៩').contains(&c)
}

fuzz_target!(|input: (String, String, i64)| {
    let (text, other, number) = input;

    // Digit conversion: idempotent, length-preserving, and each undoes the other.
    let ascii = from_khmer_digits(&text);
    let khmer = to_khmer_digits(&text);
    assert_eq!(from_khmer_digits(&ascii), ascii);
    assert_eq!(to_khmer_digits(&khmer), khmer);
    assert_eq!(ascii.chars().count(), text.chars().count());
    assert!(!ascii.chars().any(is_khmer_digit));
    assert!(!khmer.chars().any(|c| c.is_ascii_digit()));
    assert_eq!(from_khmer_digits(&khmer), ascii);
    assert_eq!(to_khmer_digits(&ascii), khmer);

    // Number display reads back.
    let grouped = group_thousands(number);
    assert_eq!(grouped.replace(',', ""), number.to_string());
    let tenths = format_tenths(number, Locale::En);
    let (whole, tenth) = tenths.split_once('.').expect("a decimal point");
    assert_eq!(tenth.len(), 1, "{tenths}");
    assert_eq!(
        format!("{whole}{tenth}").parse::<i128>(),
        Ok(i128::from(number)),
        "{tenths}"
    );

    // Password rules: the answer follows from the length, then the refusal lists.
    let chars = text.chars().count();
    match check_new_password(&text, &other) {
        Ok(()) => {
            assert!((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars));
            assert!(other.is_empty() || !text.to_lowercase().contains(&other.to_lowercase()));
        }
        Err("err_password_short") => assert!(chars < MIN_PASSWORD_CHARS),
        Err("err_too_long") => assert!(chars > MAX_PASSWORD_CHARS),
        Err("err_password_common") => {
            assert!((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars))
        }
        Err(other) => panic!("unknown reason {other}"),
    }

    // Language: never panics; a valid cookie always wins.
    let _ = negotiate(Some(&text), Some(&other));
    let _ = negotiate(None, Some(&text));
    let cookie = format!("{text}; {LANG_COOKIE}=en");
    if !text.contains(LANG_COOKIE) {
        assert_eq!(negotiate(Some(&cookie), Some(&other)), Locale::En);
    }
    // The order of two tags only matters when their weights tie.
    let a = negotiate(None, Some(&format!("km;q={text}, en;q=0.5")));
    let b = negotiate(None, Some(&format!("en;q=0.5, km;q={text}")));
    if !text.contains([',', ';']) && text.trim().parse::<f32>().ok() != Some(0.5) {
        assert_eq!(a, b, "q={text:?}");
    }
});
