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
            if digits.len() >= 11 {
                digits = format!("0{rest}");
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
