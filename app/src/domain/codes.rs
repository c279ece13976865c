use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::format::from_khmer_digits;

/// Why a typed value was refused; `key()` names the locale text that explains it to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ParseError {
    #[error("required")]
    Empty,
    #[error("must be {0} digits")]
    WrongLength(usize),
    #[error("digits only")]
    NotDigits,
    #[error("out of range")]
    OutOfRange,
    #[error("not a Cambodian phone number")]
    BadPhone,
}

impl ParseError {
    pub fn key(&self) -> &'static str {
        match self {
            ParseError::Empty => "err_required",
            ParseError::WrongLength(_) => "err_wrong_length",
            ParseError::NotDigits => "err_digits_only",
            ParseError::OutOfRange => "err_out_of_range",
            ParseError::BadPhone => "err_bad_phone",
        }
    }
}

/// Strips the separators people type inside numbers and turns Khmer digits into ASCII ones.
fn normalise_digits(input: &str) -> String {
    from_khmer_digits(input)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | ',' | '\u{200b}' | '\u{a0}'))
        .collect()
}

fn fixed_digits(input: &str, len: usize) -> Result<String, ParseError> {
    let digits = normalise_digits(input.trim());
    if digits.is_empty() {
        return Err(ParseError::Empty);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(ParseError::NotDigits);
    }
    if digits.len() != len {
        return Err(ParseError::WrongLength(len));
    }
    Ok(digits)
}

/// A case's 10-digit registration code: province (2) + year (2) + sequence (6), as in the seed's
/// `0320018100`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationCode(String);

impl RegistrationCode {
    pub const MAX_SEQUENCE: u32 = 999_999;

    pub fn new(province: &ProvinceCode, year: i32, sequence: u32) -> Result<Self, ParseError> {
        if !(2000..2100).contains(&year) || sequence == 0 || sequence > Self::MAX_SEQUENCE {
            return Err(ParseError::OutOfRange);
        }
        Ok(Self(format!(
            "{}{:02}{:06}",
            province.as_str(),
            year % 100,
            sequence
        )))
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let digits = fixed_digits(input, 10)?;
        ProvinceCode::parse(&digits[..2])?;
        if digits[4..] == *"000000" {
            return Err(ParseError::OutOfRange);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn province(&self) -> ProvinceCode {
        ProvinceCode(self.0[..2].to_string())
    }

    pub fn sequence(&self) -> u32 {
        self.0[4..].parse().unwrap_or(0)
    }
}

/// The 6-digit secret printed on the receipt; with the code it opens the public status page.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pin(String);

impl Pin {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        fixed_digits(input, 6).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never print a PIN, even in debug logs.
impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(******)")
    }
}

/// A 2-digit NCDD province code, 01 to 25.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProvinceCode(String);

impl ProvinceCode {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let digits = fixed_digits(input, 2)?;
        match digits.parse::<u8>() {
            Ok(1..=25) => Ok(Self(digits)),
            _ => Err(ParseError::OutOfRange),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A 4-digit NCDD district (srok, krong or khan) code; its first two digits are the province.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DistrictCode(String);

impl DistrictCode {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let digits = fixed_digits(input, 4)?;
        ProvinceCode::parse(&digits[..2])?;
        if &digits[2..] == "00" {
            return Err(ParseError::OutOfRange);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn province(&self) -> ProvinceCode {
        ProvinceCode(self.0[..2].to_string())
    }
}

/// A Cambodian phone number, stored in the national form `0XXXXXXXX` (9 or 10 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let mut digits = normalise_digits(input.trim()).replace(['(', ')'], "");
        if digits.is_empty() {
            return Err(ParseError::Empty);
        }
        if let Some(rest) = digits
            .strip_prefix("+855")
            .or_else(|| digits.strip_prefix("00855"))
        {
            digits = format!("0{}", rest.trim_start_matches('0'));
        } else if let Some(rest) = digits.strip_prefix("855") {
            // Without the plus, only a number long enough for a country code is international;
            // its trunk 0, as in `855 012 345 678`, is dropped like after `+855`.
            if digits.len() >= 11 {
                digits = format!("0{}", rest.trim_start_matches('0'));
            }
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::BadPhone);
        }
        // Mobile and landline numbers are 0 + a 2-digit prefix (never 0) + 6 or 7 digits.
        let valid = digits.starts_with('0')
            && !digits[1..].starts_with('0')
            && (9..=10).contains(&digits.len());
        if !valid {
            return Err(ParseError::BadPhone);
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Money in whole riel. The riel has no subunit in use, so amounts are integers everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Riel(pub i64);

impl Riel {
    /// The largest fee a form may carry: one thousand million riel (about USD 250,000).
    pub const MAX_INPUT: i64 = 1_000_000_000;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        // A minus sign is refused rather than dropped with the other separators.
        if input.contains('-') {
            return Err(ParseError::NotDigits);
        }
        let cleaned = normalise_digits(input.trim().trim_end_matches('៛').trim());
        if cleaned.is_empty() {
            return Err(ParseError::Empty);
        }
        if !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::NotDigits);
        }
        match cleaned.parse::<i64>() {
            Ok(v) if v <= Self::MAX_INPUT => Ok(Self(v)),
            _ => Err(ParseError::OutOfRange),
        }
    }

    /// Fee times quantity, refusing overflow instead of wrapping.
    pub fn times(self, quantity: i64) -> Option<Riel> {
        self.0.checked_mul(quantity).map(Riel)
    }
}

macro_rules! string_newtype_conversions {
    ($($t:ident),*) => {$(
        impl TryFrom<String> for $t {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl From<$t> for String {
            fn from(value: $t) -> String {
                value.0
            }
        }
        impl FromStr for $t {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}

string_newtype_conversions!(RegistrationCode, ProvinceCode, DistrictCode, Phone);

impl TryFrom<String> for Pin {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Pin> for String {
    fn from(value: Pin) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_code_parses_seed_example() {
        let code = RegistrationCode::parse("0320018100").unwrap();
        assert_eq!(code.province().as_str(), "03");
        assert_eq!(code.sequence(), 18100);
        assert_eq!(RegistrationCode::parse(" 03-20-018100 ").unwrap(), code);
        assert_eq!(RegistrationCode::parse("០៣២០០១៨១០០").unwrap(), code);
    }

    #[test]
    fn registration_code_refuses_bad_input() {
        assert_eq!(RegistrationCode::parse(""), Err(ParseError::Empty));
        assert_eq!(
            RegistrationCode::parse("032001810"),
            Err(ParseError::WrongLength(10))
        );
        assert_eq!(
            RegistrationCode::parse("03200181000"),
            Err(ParseError::WrongLength(10))
        );
        assert_eq!(
            RegistrationCode::parse("03200181a0"),
            Err(ParseError::NotDigits)
        );
        assert_eq!(
            RegistrationCode::parse("2620018100"),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(
            RegistrationCode::parse("0020018100"),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(
            RegistrationCode::parse("0326000000"),
            Err(ParseError::OutOfRange)
        );
    }

    #[test]
    fn registration_code_is_built_from_parts() {
        let p = ProvinceCode::parse("12").unwrap();
        assert_eq!(
            RegistrationCode::new(&p, 2026, 7).unwrap().as_str(),
            "1226000007"
        );
        assert_eq!(
            RegistrationCode::new(&p, 2026, 1_000_000),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(
            RegistrationCode::new(&p, 2026, 0),
            Err(ParseError::OutOfRange)
        );
    }

    #[test]
    fn pin_is_six_digits_and_hidden_in_debug() {
        assert!(Pin::parse("123456").is_ok());
        assert_eq!(Pin::parse("12345"), Err(ParseError::WrongLength(6)));
        assert_eq!(
            format!("{:?}", Pin::parse("123456").unwrap()),
            "Pin(******)"
        );
    }

    #[test]
    fn phone_normalises_to_national_form() {
        assert_eq!(Phone::parse("012 345 678").unwrap().as_str(), "012345678");
        assert_eq!(
            Phone::parse("+855 12 345 678").unwrap().as_str(),
            "012345678"
        );
        assert_eq!(
            Phone::parse("855 97 123 4567").unwrap().as_str(),
            "0971234567"
        );
        assert_eq!(Phone::parse("០១២ ៣៤៥ ៦៧៨").unwrap().as_str(), "012345678");
        assert_eq!(
            Phone::parse("855 012 345 678").unwrap().as_str(),
            "012345678"
        );
        assert_eq!(Phone::parse("12345678"), Err(ParseError::BadPhone));
        assert_eq!(Phone::parse("0012345678"), Err(ParseError::BadPhone));
        assert_eq!(Phone::parse("abc"), Err(ParseError::BadPhone));
        assert_eq!(Phone::parse(""), Err(ParseError::Empty));
    }

    #[test]
    fn district_code_checks_province() {
        assert_eq!(
            DistrictCode::parse("0102").unwrap().province().as_str(),
            "01"
        );
        assert_eq!(DistrictCode::parse("2601"), Err(ParseError::OutOfRange));
        assert_eq!(DistrictCode::parse("0100"), Err(ParseError::OutOfRange));
        assert_eq!(
            DistrictCode::parse("01020"),
            Err(ParseError::WrongLength(4))
        );
    }

    #[test]
    fn riel_parses_grouped_and_khmer_input() {
        assert_eq!(Riel::parse("600,000"), Ok(Riel(600_000)));
        assert_eq!(Riel::parse("៦០០ ០០០ ៛"), Ok(Riel(600_000)));
        assert_eq!(Riel::parse("-5"), Err(ParseError::NotDigits));
        assert_eq!(
            Riel::parse("99999999999999999999"),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(Riel(600_000).times(3), Some(Riel(1_800_000)));
        assert_eq!(Riel(i64::MAX).times(2), None);
    }
}

/// Properties of the parsers over generated input: arbitrary Unicode, and text made of the
/// characters people type into these fields (ASCII and Khmer digits, separators, signs).
#[cfg(test)]
mod proptests {
    use super::*;
    use crate::format::{format_riel, from_khmer_digits, group_thousands, to_khmer_digits};
    use crate::i18n::Locale;
    use proptest::prelude::*;

    const SEPARATORS: [char; 6] = [' ', '-', '.', ',', '\u{200b}', '\u{a0}'];

    fn typed_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => proptest::char::range('0', '9'),
            3 => proptest::char::range('០', '៩'),
            2 => proptest::sample::select(vec![
                ' ', '-', '.', ',', '\u{200b}', '\u{a0}', '+', '(', ')', '៛', '\t', '\n', '\u{3000}',
            ]),
            1 => any::<char>(),
        ]
    }

    /// Arbitrary Unicode text, or text made mostly of what people type into number fields.
    fn input() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            proptest::collection::vec(typed_char(), 0..16).prop_map(String::from_iter),
        ]
    }

    /// Leading or trailing whitespace of the kinds a browser or a paste can bring.
    fn whitespace() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                " ", "\t", "\n", "\r\n", "\u{a0}", "\u{3000}", "\u{2003}",
            ]),
            0..3,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Optional separators to put between digits.
    fn separators() -> impl Strategy<Value = Vec<Option<char>>> {
        proptest::collection::vec(
            proptest::option::of(proptest::sample::select(SEPARATORS.to_vec())),
            16,
        )
    }

    fn with_separators(digits: &str, seps: &[Option<char>]) -> String {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if let (true, Some(Some(sep))) = (i > 0, seps.get(i)) {
                out.push(*sep);
            }
            out.push(c);
        }
        out
    }

    type Answers = (
        Result<RegistrationCode, ParseError>,
        Result<String, ParseError>,
        Result<ProvinceCode, ParseError>,
        Result<DistrictCode, ParseError>,
        Result<Phone, ParseError>,
        Result<Riel, ParseError>,
    );

    /// Every parser's answer to the same text (the PIN as its digits, to show them on failure).
    fn answers(text: &str) -> Answers {
        (
            RegistrationCode::parse(text),
            Pin::parse(text).map(|p| p.as_str().to_string()),
            ProvinceCode::parse(text),
            DistrictCode::parse(text),
            Phone::parse(text),
            Riel::parse(text),
        )
    }

    fn ascii_digits(text: &str) -> String {
        from_khmer_digits(text)
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    }

    fn all_digits(text: &str, len: usize) -> bool {
        text.len() == len && text.chars().all(|c| c.is_ascii_digit())
    }

    proptest! {
        #[test]
        fn accepted_values_keep_their_invariants(text in input()) {
            let (code, pin, province, district, phone, riel) = answers(&text);
            if let Ok(code) = code {
                prop_assert!(all_digits(code.as_str(), 10));
                prop_assert_eq!(code.as_str(), ascii_digits(&text));
                prop_assert_eq!(code.province().to_string(), &code.as_str()[..2]);
                prop_assert!(ProvinceCode::parse(code.province().as_str()).is_ok());
                prop_assert!((1..=RegistrationCode::MAX_SEQUENCE).contains(&code.sequence()));
                prop_assert_eq!(RegistrationCode::parse(code.as_str()), Ok(code.clone()));
                prop_assert_eq!(code.to_string(), code.as_str());
            }
            if let Ok(pin) = pin {
                prop_assert!(all_digits(&pin, 6));
                prop_assert_eq!(&pin, &ascii_digits(&text));
            }
            if let Ok(province) = province {
                prop_assert!(all_digits(province.as_str(), 2));
                prop_assert_eq!(province.as_str(), ascii_digits(&text));
                prop_assert!((1..=25).contains(&province.as_str().parse::<u8>().unwrap()));
            }
            if let Ok(district) = district {
                prop_assert!(all_digits(district.as_str(), 4));
                prop_assert_eq!(district.as_str(), ascii_digits(&text));
                prop_assert!(ProvinceCode::parse(district.province().as_str()).is_ok());
                prop_assert_ne!(&district.as_str()[2..], "00");
            }
            if let Ok(phone) = phone {
                let p = phone.as_str();
                prop_assert!((9..=10).contains(&p.len()), "{}", p);
                prop_assert!(p.chars().all(|c| c.is_ascii_digit()), "{}", p);
                prop_assert!(p.starts_with('0') && !p[1..].starts_with('0'), "{}", p);
                prop_assert_eq!(Phone::parse(p), Ok(phone.clone()));
                prop_assert_eq!(Phone::parse(&to_khmer_digits(p)), Ok(phone.clone()));
            }
            if let Ok(Riel(value)) = riel {
                prop_assert!((0..=Riel::MAX_INPUT).contains(&value));
                prop_assert!(!text.contains('-'));
                prop_assert_eq!(Ok(value), ascii_digits(&text).parse::<i64>());
            }
        }

        #[test]
        fn khmer_and_ascii_digits_parse_alike(text in input()) {
            let plain = answers(&text);
            prop_assert_eq!(&answers(&to_khmer_digits(&text)), &plain);
            prop_assert_eq!(&answers(&from_khmer_digits(&text)), &plain);
        }

        #[test]
        fn outer_whitespace_is_ignored(text in input(), before in whitespace(), after in whitespace()) {
            prop_assert_eq!(answers(&format!("{before}{text}{after}")), answers(&text));
        }

        #[test]
        fn digit_normalisation_is_idempotent(text in input()) {
            let once = normalise_digits(&text);
            prop_assert_eq!(normalise_digits(&once), once.clone());
            prop_assert!(!once.chars().any(|c| SEPARATORS.contains(&c) || ('០'..='៩').contains(&c)));
        }

        #[test]
        fn registration_codes_round_trip(
            province in 1u8..=25,
            year in 2000i32..2100,
            sequence in 1u32..=RegistrationCode::MAX_SEQUENCE,
            seps in separators(),
        ) {
            let p = ProvinceCode::parse(&format!("{province:02}")).unwrap();
            let code = RegistrationCode::new(&p, year, sequence).unwrap();
            prop_assert_eq!(code.province(), p);
            prop_assert_eq!(code.sequence(), sequence);
            prop_assert_eq!(&code.as_str()[2..4], format!("{:02}", year % 100));
            for typed in [
                code.as_str().to_string(),
                to_khmer_digits(code.as_str()),
                with_separators(code.as_str(), &seps),
                with_separators(&to_khmer_digits(code.as_str()), &seps),
            ] {
                prop_assert_eq!(RegistrationCode::parse(&typed), Ok(code.clone()), "{}", typed);
            }
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<RegistrationCode>(&json).unwrap(), code);
        }

        #[test]
        fn registration_codes_out_of_range_are_refused(
            province in prop_oneof![Just(0u8), 26u8..=99],
            year in 2000i32..2100,
            sequence in 1u32..=RegistrationCode::MAX_SEQUENCE,
        ) {
            let text = format!("{province:02}{:02}{sequence:06}", year % 100);
            prop_assert_eq!(RegistrationCode::parse(&text), Err(ParseError::OutOfRange));
            prop_assert_eq!(ProvinceCode::parse(&text[..2]), Err(ParseError::OutOfRange));
            prop_assert_eq!(
                RegistrationCode::new(&ProvinceCode::parse("01").unwrap(), year - 2000 + 2100, sequence),
                Err(ParseError::OutOfRange)
            );
        }

        #[test]
        fn pins_provinces_and_districts_round_trip(
            pin in "[0-9]{6}",
            province in 1u8..=25,
            district in 0u8..=99,
            seps in separators(),
        ) {
            for typed in [pin.clone(), to_khmer_digits(&pin), with_separators(&pin, &seps)] {
                prop_assert_eq!(Pin::parse(&typed).map(|p| p.as_str().to_string()), Ok(pin.clone()));
            }
            let p = format!("{province:02}");
            prop_assert_eq!(ProvinceCode::parse(&to_khmer_digits(&p)).map(|c| c.to_string()), Ok(p.clone()));
            let d = format!("{province:02}{district:02}");
            let parsed = DistrictCode::parse(&with_separators(&to_khmer_digits(&d), &seps));
            if district == 0 {
                prop_assert_eq!(parsed, Err(ParseError::OutOfRange));
            } else {
                let parsed = parsed.unwrap();
                prop_assert_eq!(parsed.as_str(), d.as_str());
                prop_assert_eq!(parsed.province().to_string(), p);
            }
        }

        #[test]
        fn every_form_of_a_phone_number_gives_the_national_form(
            prefix in 10u8..=99,
            subscriber in "[0-9]{6,7}",
            seps in separators(),
        ) {
            let national = format!("0{prefix}{subscriber}");
            let rest = &national[1..];
            for typed in [
                national.clone(),
                to_khmer_digits(&national),
                with_separators(&national, &seps),
                format!("({}) {}", &national[..3], &national[3..]),
                format!("+855{rest}"),
                format!("+855 {}", with_separators(rest, &seps)),
                format!("+855 (0){rest}"),
                format!("+855{national}"),
                format!("00855{rest}"),
                format!("00855 {national}"),
                format!("855{rest}"),
                format!("855 {national}"),
                format!("855 ({}) {}", &national[..3], &national[3..]),
                to_khmer_digits(&format!("+855 {rest}")),
            ] {
                prop_assert_eq!(Phone::parse(&typed).map(|p| p.to_string()), Ok(national.clone()), "{}", typed);
            }
        }

        #[test]
        fn riel_round_trips_through_its_display(value in 0..=Riel::MAX_INPUT, seps in separators()) {
            for typed in [
                value.to_string(),
                group_thousands(value),
                format_riel(value, Locale::En),
                format_riel(value, Locale::Km),
                with_separators(&to_khmer_digits(&value.to_string()), &seps).replace('-', ""),
            ] {
                prop_assert_eq!(Riel::parse(&typed), Ok(Riel(value)), "{}", typed);
            }
        }

        #[test]
        fn riel_refuses_negative_and_too_large(value in 1..=i64::MAX) {
            prop_assert!(Riel::parse(&format_riel(-value, Locale::En)).is_err());
            let minus = format!("-{value}");
            prop_assert!(Riel::parse(&minus).is_err());
            if value > Riel::MAX_INPUT {
                prop_assert_eq!(Riel::parse(&group_thousands(value)), Err(ParseError::OutOfRange));
            }
        }
    }
}
