//! `owso payments sample`: KHQR payloads for many varied made-up cases (every office's names,
//! fees from one riel to billions, all the case codes' provinces), produced by the same encoder
//! the receipts use, so another implementation, such as the National Bank's SDK, can check them.

use app::{
    backend::{
        entities::{district, province, service},
        payments::{payload_md5, CODE_LIFETIME},
    },
    domain::{
        khqr::{
            self, PaymentAccount, PaymentAccountInput, PaymentCode, MAX_CITY, MAX_MERCHANT_NAME,
        },
        ProvinceCode, RegistrationCode, Riel,
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait};
use serde::Serialize;

use crate::{cli::CliError, generate::Rng};

/// One payload with what it must say.
#[derive(Debug, Serialize)]
pub struct Sample {
    pub payload: String,
    pub md5: String,
    pub account_id: String,
    pub merchant_name: String,
    pub merchant_name_km: String,
    pub amount: i64,
    pub bill_number: String,
    pub store_label: String,
}

const BANKS: [&str; 6] = ["aclb", "abaa", "wing", "cadi", "ftcc", "prpb"];

/// Cuts `text` to `max` UTF-16 units without splitting a character.
fn fit(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if out.encode_utf16().count() + c.len_utf16() > max {
            break;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// The gazetteer's Latin names carry a few accents (Takéo); KHQR's Latin fields take ASCII.
fn ascii(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'à' | 'â' => Some('a'),
            'ô' | 'ö' => Some('o'),
            'û' | 'ü' => Some('u'),
            'î' | 'ï' => Some('i'),
            c if c.is_ascii() => Some(c),
            _ => None,
        })
        .collect()
}

pub async fn samples(
    db: &DatabaseConnection,
    count: u64,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<Vec<Sample>, CliError> {
    let districts = district::Entity::find().all(db).await?;
    let provinces = province::Entity::find().all(db).await?;
    let fees: Vec<i64> = service::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.fee_riel)
        .filter(|f| *f > 0)
        .collect();
    if districts.is_empty() {
        return Err(CliError::usage(
            "payments sample: the database has no offices; run `owso migrate up` first",
        ));
    }
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        let d = &districts[rng.below(districts.len() as u64) as usize];
        let city = provinces
            .iter()
            .find(|p| p.code == d.province_code)
            .map(|p| p.name_latin.clone())
            .unwrap_or_else(|| "Phnom Penh".into());
        let bank = rng.pick(&BANKS);
        let with_merchant = rng.below(4) == 0;
        let input = PaymentAccountInput {
            account_id: fit(&format!("owso_{}@{bank}", d.code), khqr::MAX_ACCOUNT_ID),
            merchant_name: fit(&ascii(&format!("OWSO {}", d.name_latin)), MAX_MERCHANT_NAME),
            merchant_name_km: fit(&format!("{}{}", d.type_km, d.name_km), MAX_MERCHANT_NAME),
            city: fit(&ascii(&city), MAX_CITY),
            merchant_id: if with_merchant {
                format!("{}", 100_000 + i)
            } else {
                String::new()
            },
            acquiring_bank: if with_merchant {
                "Acleda Bank".into()
            } else {
                String::new()
            },
        };
        let account = PaymentAccount::parse(&input)
            .map_err(|e| CliError::runtime(format!("sample account for {}: {e:?}", d.code)))?;
        // Service fees times a quantity, with the extremes a payload must also carry.
        let amount = match rng.below(10) {
            0 => 1,
            1 => 9_999_999_999_999,
            _ if fees.is_empty() => 1 + rng.below(10_000_000) as i64,
            _ => rng.pick(&fees) * (1 + rng.below(20) as i64),
        };
        let province = ProvinceCode::parse(&d.province_code)
            .map_err(|_| CliError::runtime(format!("district {} has a bad province", d.code)))?;
        let bill = RegistrationCode::new(&province, 2026, 1 + rng.below(999_999) as u32)
            .map_err(|_| CliError::runtime("a sample case code did not build"))?;
        let code = PaymentCode {
            account: account.clone(),
            amount: Riel(amount),
            bill_number: bill.as_str().to_string(),
            store_label: d.code.clone(),
            created_ms: now.timestamp_millis(),
            expires_ms: (now + CODE_LIFETIME).timestamp_millis(),
        };
        let payload = khqr::encode(&code).map_err(|e| CliError::runtime(e.to_string()))?;
        out.push(Sample {
            md5: payload_md5(&payload),
            payload,
            account_id: account.account_id().to_string(),
            merchant_name: account.merchant_name().to_string(),
            merchant_name_km: account.merchant_name_km().to_string(),
            amount,
            bill_number: code.bill_number,
            store_label: code.store_label,
        });
    }
    Ok(out)
}
