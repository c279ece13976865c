//! KHQR, the National Bank of Cambodia's payment QR: EMVCo merchant-presented tag-length-value
//! fields with Bakong account fields, closed by a CRC-16. Pure: no clock, no I/O; the caller
//! passes the timestamps.
//!
//! Lengths count UTF-16 code units, as the National Bank's own SDK does (`String.length` in
//! JavaScript), while the CRC runs over the UTF-8 bytes. For the Khmer merchant name the two
//! differ, and getting either wrong makes bank apps refuse the code.

use crate::{domain::Riel, error::FieldError};

stored_enum! {
    /// How a fee reached the office.
    pub enum PaymentChannel {
        Cash,
        Khqr,
    }
}

stored_enum! {
    /// Where a KHQR payment request stands. `Mismatch` waits for the cashier: the bank reported
    /// a payment whose amount or currency is not the fee, or for a case already paid.
    pub enum RequestState {
        Open,
        Paid,
        Mismatch,
        Expired,
        Closed,
    }
}

impl PaymentChannel {
    pub fn id(self) -> &'static str {
        match self {
            PaymentChannel::Cash => "cash",
            PaymentChannel::Khqr => "khqr",
        }
    }
    pub fn text_key(self) -> &'static str {
        match self {
            PaymentChannel::Cash => "paid_by_cash",
            PaymentChannel::Khqr => "paid_by_khqr",
        }
    }
}

const PAYLOAD_FORMAT: &str = "00";
const INITIATION: &str = "01";
const DYNAMIC: &str = "12";
const INDIVIDUAL_ACCOUNT: &str = "29";
const MERCHANT_ACCOUNT: &str = "30";
const CATEGORY: &str = "52";
/// ISO 18245 9399: government services not elsewhere classified.
pub const GOVERNMENT_SERVICES: &str = "9399";
const CURRENCY: &str = "53";
/// ISO 4217 numeric code of the riel.
pub const RIEL_CURRENCY: &str = "116";
const AMOUNT: &str = "54";
const COUNTRY: &str = "58";
const MERCHANT_NAME: &str = "59";
const MERCHANT_CITY: &str = "60";
const CRC: &str = "63";
const ADDITIONAL_DATA: &str = "62";
const BILL_NUMBER: &str = "01";
const STORE_LABEL: &str = "03";
const LANGUAGE_TEMPLATE: &str = "64";
const LANGUAGE: &str = "00";
const ALTERNATE_NAME: &str = "01";
const TIMESTAMPS: &str = "99";
const CREATED: &str = "00";
const EXPIRES: &str = "01";

pub const MAX_ACCOUNT_ID: usize = 32;
pub const MAX_MERCHANT_NAME: usize = 25;
pub const MAX_CITY: usize = 15;
pub const MAX_MERCHANT_ID: usize = 32;
pub const MAX_BANK: usize = 32;
pub const MAX_LABEL: usize = 25;
const MAX_AMOUNT_DIGITS: usize = 13;

/// An office's Bakong account as the office admin typed it, before any checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaymentAccountInput {
    pub account_id: String,
    pub merchant_name: String,
    pub merchant_name_km: String,
    pub city: String,
    pub merchant_id: String,
    pub acquiring_bank: String,
}

/// A Bakong account every field of which fits its KHQR tag.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaymentAccount {
    account_id: String,
    merchant_name: String,
    merchant_name_km: String,
    city: String,
    merchant_id: Option<String>,
    acquiring_bank: Option<String>,
}

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The EMV "ans" set: printable ASCII. Bank apps print these fields on the payer's screen.
fn is_latin(text: &str) -> bool {
    text.chars().all(|c| (' '..='~').contains(&c))
}

fn is_account_id(text: &str) -> bool {
    let allowed = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    matches!(text.split_once('@'), Some((name, bank)) if allowed(name) && allowed(bank))
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    latin: bool,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if units(value) > max {
        errors.push(FieldError::new(field, "err_too_long"));
    } else if (latin && !is_latin(value)) || value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "err_khqr_latin_only"));
    }
    Some(value.to_owned())
}

impl PaymentAccount {
    /// Checks every field at once so the form can mark them all.
    pub fn parse(input: &PaymentAccountInput) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let required = |errors: &mut Vec<FieldError>, field: &str, value: Option<String>| {
            if value.is_none() {
                errors.push(FieldError::new(field, "err_required"));
            }
            value.unwrap_or_default()
        };
        let account_id = check_text(
            &mut errors,
            "account_id",
            &input.account_id,
            MAX_ACCOUNT_ID,
            true,
        );
        if account_id.as_deref().is_some_and(|id| !is_account_id(id))
            && !errors.iter().any(|e| e.field == "account_id")
        {
            errors.push(FieldError::new("account_id", "err_khqr_account_id"));
        }
        let account_id = required(&mut errors, "account_id", account_id);
        let name = check_text(
            &mut errors,
            "merchant_name",
            &input.merchant_name,
            MAX_MERCHANT_NAME,
            true,
        );
        let merchant_name = required(&mut errors, "merchant_name", name);
        let name_km = check_text(
            &mut errors,
            "merchant_name_km",
            &input.merchant_name_km,
            MAX_MERCHANT_NAME,
            false,
        );
        let merchant_name_km = required(&mut errors, "merchant_name_km", name_km);
        let city = check_text(&mut errors, "city", &input.city, MAX_CITY, true);
        let city = required(&mut errors, "city", city);
        let merchant_id = check_text(
            &mut errors,
            "merchant_id",
            &input.merchant_id,
            MAX_MERCHANT_ID,
            true,
        );
        let acquiring_bank = check_text(
            &mut errors,
            "acquiring_bank",
            &input.acquiring_bank,
            MAX_BANK,
            true,
        );
        // A merchant account (tag 30) names its acquirer; the SDK refuses one without it.
        if merchant_id.is_some() && acquiring_bank.is_none() {
            errors.push(FieldError::new("acquiring_bank", "err_khqr_bank_required"));
        }
        if errors.is_empty() {
            Ok(Self {
                account_id,
                merchant_name,
                merchant_name_km,
                city,
                merchant_id,
                acquiring_bank,
            })
        } else {
            Err(errors)
        }
    }

    pub fn account_id(&self) -> &str {
        &self.account_id
    }
    pub fn merchant_name(&self) -> &str {
        &self.merchant_name
    }
    pub fn merchant_name_km(&self) -> &str {
        &self.merchant_name_km
    }
    pub fn city(&self) -> &str {
        &self.city
    }
    pub fn merchant_id(&self) -> Option<&str> {
        self.merchant_id.as_deref()
    }
    pub fn acquiring_bank(&self) -> Option<&str> {
        self.acquiring_bank.as_deref()
    }

    pub fn to_input(&self) -> PaymentAccountInput {
        PaymentAccountInput {
            account_id: self.account_id.clone(),
            merchant_name: self.merchant_name.clone(),
            merchant_name_km: self.merchant_name_km.clone(),
            city: self.city.clone(),
            merchant_id: self.merchant_id.clone().unwrap_or_default(),
            acquiring_bank: self.acquiring_bank.clone().unwrap_or_default(),
        }
    }
}

/// One dynamic KHQR: a fixed amount in riel for one bill, valid between two instants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentCode {
    pub account: PaymentAccount,
    pub amount: Riel,
    /// The case code, so the bank statement names the case.
    pub bill_number: String,
    /// The office code.
    pub store_label: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KhqrError {
    #[error("the field {0} does not fit its tag")]
    FieldTooLong(&'static str),
    #[error("the amount must be positive")]
    Amount,
    #[error("the payload is truncated or a length is not a number")]
    Malformed,
    #[error("the CRC does not match")]
    Crc,
    #[error("the required tag {0} is missing")]
    Missing(&'static str),
}

fn push_field(out: &mut String, tag: &str, value: &str) -> Result<(), KhqrError> {
    let length = units(value);
    if length > 99 {
        return Err(KhqrError::FieldTooLong("value"));
    }
    out.push_str(tag);
    out.push_str(&format!("{length:02}"));
    out.push_str(value);
    Ok(())
}

fn template(fields: &[(&str, Option<&str>)]) -> Result<String, KhqrError> {
    let mut out = String::new();
    for (tag, value) in fields {
        if let Some(value) = value {
            push_field(&mut out, tag, value)?;
        }
    }
    Ok(out)
}

/// CRC-16/CCITT-FALSE (poly 0x1021, initial 0xFFFF), as EMVCo's tag 63 requires.
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The payload a bank app scans.
pub fn encode(code: &PaymentCode) -> Result<String, KhqrError> {
    if code.amount.0 <= 0 {
        return Err(KhqrError::Amount);
    }
    let amount = code.amount.0.to_string();
    if amount.len() > MAX_AMOUNT_DIGITS {
        return Err(KhqrError::FieldTooLong("amount"));
    }
    if units(&code.bill_number) > MAX_LABEL || code.bill_number.is_empty() {
        return Err(KhqrError::FieldTooLong("bill_number"));
    }
    if units(&code.store_label) > MAX_LABEL || code.store_label.is_empty() {
        return Err(KhqrError::FieldTooLong("store_label"));
    }
    let account = &code.account;
    let mut out = String::with_capacity(256);
    push_field(&mut out, PAYLOAD_FORMAT, "01")?;
    push_field(&mut out, INITIATION, DYNAMIC)?;
    let (account_tag, account_fields) = match (&account.merchant_id, &account.acquiring_bank) {
        (Some(merchant_id), bank) => (
            MERCHANT_ACCOUNT,
            template(&[
                ("00", Some(&account.account_id)),
                ("01", Some(merchant_id)),
                ("02", bank.as_deref()),
            ])?,
        ),
        (None, bank) => (
            INDIVIDUAL_ACCOUNT,
            template(&[("00", Some(&account.account_id)), ("02", bank.as_deref())])?,
        ),
    };
    push_field(&mut out, account_tag, &account_fields)?;
    push_field(&mut out, CATEGORY, GOVERNMENT_SERVICES)?;
    push_field(&mut out, CURRENCY, RIEL_CURRENCY)?;
    push_field(&mut out, AMOUNT, &amount)?;
    push_field(&mut out, COUNTRY, "KH")?;
    push_field(&mut out, MERCHANT_NAME, &account.merchant_name)?;
    push_field(&mut out, MERCHANT_CITY, &account.city)?;
    let additional = template(&[
        (BILL_NUMBER, Some(&code.bill_number)),
        (STORE_LABEL, Some(&code.store_label)),
    ])?;
    push_field(&mut out, ADDITIONAL_DATA, &additional)?;
    let language = template(&[
        (LANGUAGE, Some("km")),
        (ALTERNATE_NAME, Some(&account.merchant_name_km)),
    ])?;
    push_field(&mut out, LANGUAGE_TEMPLATE, &language)?;
    let times = template(&[
        (CREATED, Some(&code.created_ms.to_string())),
        (EXPIRES, Some(&code.expires_ms.to_string())),
    ])?;
    push_field(&mut out, TIMESTAMPS, &times)?;
    out.push_str(CRC);
    out.push_str("04");
    let crc = crc16(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    Ok(out)
}

/// Splits one level of tag-length-value fields. Lengths count UTF-16 units, like the encoder.
fn fields(payload: &str) -> Result<Vec<(&str, &str)>, KhqrError> {
    let mut rest = payload;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let tag = rest.get(..2).ok_or(KhqrError::Malformed)?;
        let length: usize = rest
            .get(2..4)
            .filter(|l| l.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|l| l.parse().ok())
            .ok_or(KhqrError::Malformed)?;
        let value_start = 4;
        let mut seen = 0;
        let mut end = value_start;
        for c in rest[value_start..].chars() {
            if seen == length {
                break;
            }
            seen += c.len_utf16();
            end += c.len_utf8();
        }
        if seen != length {
            return Err(KhqrError::Malformed);
        }
        out.push((tag, &rest[value_start..end]));
        rest = &rest[end..];
    }
    Ok(out)
}

fn find<'a>(fields: &[(&'a str, &'a str)], tag: &str) -> Option<&'a str> {
    fields.iter().find(|(t, _)| *t == tag).map(|(_, v)| *v)
}

/// What a KHQR says, read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCode {
    pub dynamic: bool,
    pub account_id: String,
    pub merchant_id: Option<String>,
    pub acquiring_bank: Option<String>,
    pub category: String,
    pub currency: String,
    pub amount: Option<String>,
    pub country: String,
    pub merchant_name: String,
    pub city: String,
    pub bill_number: Option<String>,
    pub store_label: Option<String>,
    pub language: Option<String>,
    pub merchant_name_alternate: Option<String>,
    pub created_ms: Option<i64>,
    pub expires_ms: Option<i64>,
}

/// Reads a payload and checks its CRC, the last field.
pub fn decode(payload: &str) -> Result<DecodedCode, KhqrError> {
    let body = payload
        .len()
        .checked_sub(4)
        .and_then(|end| payload.get(..end))
        .filter(|body| body.ends_with("6304"))
        .ok_or(KhqrError::Missing("63"))?;
    let stated = u16::from_str_radix(&payload[body.len()..], 16).map_err(|_| KhqrError::Crc)?;
    if crc16(body.as_bytes()) != stated {
        return Err(KhqrError::Crc);
    }
    let top = fields(payload)?;
    let owned = |tag: &'static str| -> Result<String, KhqrError> {
        find(&top, tag)
            .map(str::to_owned)
            .ok_or(KhqrError::Missing(tag))
    };
    let (account, merchant) = match (find(&top, INDIVIDUAL_ACCOUNT), find(&top, MERCHANT_ACCOUNT)) {
        (Some(value), _) => (fields(value)?, false),
        (None, Some(value)) => (fields(value)?, true),
        (None, None) => return Err(KhqrError::Missing("29")),
    };
    let additional = find(&top, ADDITIONAL_DATA)
        .map(fields)
        .transpose()?
        .unwrap_or_default();
    let language = find(&top, LANGUAGE_TEMPLATE)
        .map(fields)
        .transpose()?
        .unwrap_or_default();
    let times = find(&top, TIMESTAMPS)
        .map(fields)
        .transpose()?
        .unwrap_or_default();
    let sub = |fields: &[(&str, &str)], tag: &str| find(fields, tag).map(str::to_owned);
    let millis = |tag: &str| -> Result<Option<i64>, KhqrError> {
        find(&times, tag)
            .map(|v| v.parse().map_err(|_| KhqrError::Malformed))
            .transpose()
    };
    Ok(DecodedCode {
        dynamic: find(&top, INITIATION) == Some(DYNAMIC),
        account_id: sub(&account, "00").ok_or(KhqrError::Missing("29.00"))?,
        merchant_id: if merchant { sub(&account, "01") } else { None },
        acquiring_bank: sub(&account, "02"),
        category: owned(CATEGORY)?,
        currency: owned(CURRENCY)?,
        amount: sub(&top, AMOUNT),
        country: owned(COUNTRY)?,
        merchant_name: owned(MERCHANT_NAME)?,
        city: owned(MERCHANT_CITY)?,
        bill_number: sub(&additional, BILL_NUMBER),
        store_label: sub(&additional, STORE_LABEL),
        language: sub(&language, LANGUAGE),
        merchant_name_alternate: sub(&language, ALTERNATE_NAME),
        created_ms: millis(CREATED)?,
        expires_ms: millis(EXPIRES)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input() -> PaymentAccountInput {
        PaymentAccountInput {
            account_id: "owso_dangkao@aclb".into(),
            merchant_name: "OWSO Dangkao".into(),
            merchant_name_km: "ច្រកចេញចូលតែមួយ ដង្កោ".into(),
            city: "Phnom Penh".into(),
            merchant_id: String::new(),
            acquiring_bank: String::new(),
        }
    }

    fn code(account: PaymentAccount, amount: i64) -> PaymentCode {
        PaymentCode {
            account,
            amount: Riel(amount),
            bill_number: "12-2026-000042".into(),
            store_label: "1201".into(),
            created_ms: 1_764_900_000_000,
            expires_ms: 1_764_986_400_000,
        }
    }

    #[test]
    fn crc_matches_the_ccitt_false_check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn encodes_the_fields_the_national_bank_sdk_writes_in_its_order() {
        let account = PaymentAccount::parse(&input()).unwrap();
        let payload = encode(&code(account, 25_000)).unwrap();
        assert!(payload.starts_with("00020101021229210017owso_dangkao@aclb"));
        assert!(payload.contains("520493995303116540525000" /* riel */));
        assert!(payload.contains("5802KH5912OWSO Dangkao6010Phnom Penh"));
        assert!(payload.contains("6226011412-2026-00004203041201"));
        // The Khmer name's length counts UTF-16 units: 21, though it is 63 bytes of UTF-8.
        assert!(payload.contains("64310002km0121ច្រកចេញចូលតែមួយ ដង្កោ"));
        assert!(payload.contains("99340013176490000000001131764986400000"));
        let decoded = decode(&payload).unwrap();
        assert_eq!(
            decoded.merchant_name_alternate.as_deref(),
            Some("ច្រកចេញចូលតែមួយ ដង្កោ")
        );
        assert_eq!(decoded.amount.as_deref(), Some("25000"));
        assert_eq!(decoded.currency, RIEL_CURRENCY);
        assert!(decoded.dynamic);
    }

    #[test]
    fn a_changed_character_fails_the_crc() {
        let account = PaymentAccount::parse(&input()).unwrap();
        let payload = encode(&code(account, 25_000)).unwrap();
        let tampered = payload.replace("25000", "2500O");
        assert_eq!(decode(&tampered), Err(KhqrError::Crc));
        assert!(decode("0002").is_err());
        assert!(decode("").is_err());
    }

    #[test]
    fn account_fields_are_checked_one_by_one() {
        let bad = PaymentAccountInput {
            account_id: "no-at-sign".into(),
            merchant_name: "ឈ្មោះខ្មែរ".into(),
            merchant_name_km: String::new(),
            city: "A city name much too long".into(),
            merchant_id: "M1".into(),
            acquiring_bank: String::new(),
        };
        let errors = PaymentAccount::parse(&bad).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.key.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("account_id", "err_khqr_account_id"),
                ("merchant_name", "err_khqr_latin_only"),
                ("merchant_name_km", "err_required"),
                ("city", "err_too_long"),
                ("acquiring_bank", "err_khqr_bank_required"),
            ]
        );
    }

    #[test]
    fn a_merchant_account_uses_tag_30() {
        let mut with_merchant = input();
        with_merchant.merchant_id = "123456".into();
        with_merchant.acquiring_bank = "Dev Bank".into();
        let account = PaymentAccount::parse(&with_merchant).unwrap();
        let payload = encode(&code(account, 1)).unwrap();
        let decoded = decode(&payload).unwrap();
        assert!(payload.contains("30430017owso_dangkao@aclb0106123456"));
        assert_eq!(decoded.merchant_id.as_deref(), Some("123456"));
        assert_eq!(decoded.acquiring_bank.as_deref(), Some("Dev Bank"));
    }

    fn latin(max: usize) -> impl Strategy<Value = String> {
        proptest::string::string_regex(&format!("[A-Za-z0-9][A-Za-z0-9 .&-]{{0,{}}}", max - 1))
            .unwrap()
            .prop_map(|s| s.trim().to_owned())
            .prop_filter("not blank", |s| !s.is_empty())
    }

    proptest! {
        #[test]
        fn decoding_what_was_encoded_gives_it_back(
            name in "[a-z0-9_.]{1,16}",
            bank in "[a-z]{2,8}",
            merchant_name in latin(MAX_MERCHANT_NAME),
            khmer in "[\u{1780}-\u{17B3}\u{17B6}-\u{17D2} ]{1,24}",
            city in latin(MAX_CITY),
            merchant_id in proptest::option::of("[0-9]{1,32}"),
            amount in 1i64..9_999_999_999_999,
            sequence in 1u32..999_999,
            office in "[0-9]{4}",
            created in 1_600_000_000_000i64..1_999_999_999_999,
        ) {
            let khmer = khmer.trim().to_owned();
            prop_assume!(!khmer.is_empty());
            let account = PaymentAccount::parse(&PaymentAccountInput {
                account_id: format!("{name}@{bank}"),
                merchant_name,
                merchant_name_km: khmer,
                city,
                acquiring_bank: if merchant_id.is_some() { "Bank".into() } else { String::new() },
                merchant_id: merchant_id.unwrap_or_default(),
            }).unwrap();
            let original = PaymentCode {
                account: account.clone(),
                amount: Riel(amount),
                bill_number: format!("12-2026-{sequence:06}"),
                store_label: office,
                created_ms: created,
                expires_ms: created + 86_400_000,
            };
            let decoded = decode(&encode(&original).unwrap()).unwrap();
            prop_assert_eq!(decoded.account_id, account.account_id());
            prop_assert_eq!(decoded.merchant_id.as_deref(), account.merchant_id());
            prop_assert_eq!(decoded.acquiring_bank.as_deref(), account.acquiring_bank());
            prop_assert_eq!(decoded.merchant_name, account.merchant_name());
            prop_assert_eq!(decoded.merchant_name_alternate.as_deref(), Some(account.merchant_name_km()));
            prop_assert_eq!(decoded.city, account.city());
            prop_assert_eq!(decoded.amount, Some(amount.to_string()));
            prop_assert_eq!(decoded.bill_number, Some(original.bill_number));
            prop_assert_eq!(decoded.store_label, Some(original.store_label));
            prop_assert_eq!(decoded.created_ms, Some(created));
            prop_assert_eq!(decoded.expires_ms, Some(original.expires_ms));
        }

        #[test]
        fn decoding_arbitrary_text_never_panics(text in "\\PC{0,120}") {
            let _ = decode(&text);
        }
    }
}
