//! Complaints and suggestions: filed by anyone, followed with a number and PIN, answered and
//! closed by the office chief within 10 working days.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    calendar::{holidays, local_date},
    db::{begin_write, next_in_sequence, Sequence},
    entities::{complaint, office},
    rate_limit::RateLimiter,
    secrets::{new_pin, sha256_hex},
    stats::rollup::Deltas,
};
use crate::{
    domain::{Jurisdiction, Phone, RegistrationCode},
    error::{AppError, FieldError},
    types::complaints::{
        ComplaintFiled, ComplaintStatus, ComplaintView, StaffComplaint, COMPLAINT_CATEGORIES,
    },
};

pub const ANSWER_WORKING_DAYS: u32 = 10;
pub const MAX_COMPLAINT_CHARS: usize = 4_000;

/// The complaint form as typed.
#[derive(Debug, Clone, Default)]
pub struct NewComplaint {
    pub category: String,
    pub office_code: String,
    pub case_code: Option<String>,
    pub body: String,
    pub phone: Option<String>,
}

fn optional(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Files a complaint; answers its number and PIN. The case code, if given, is only checked for
/// its form: whether such a case exists is not revealed to an anonymous filer.
pub async fn file(
    db: &DatabaseConnection,
    limit: &RateLimiter,
    new: NewComplaint,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ComplaintFiled, AppError> {
    // Filing shares the public lookup limit, so no one can flood an office with complaints.
    limit
        .hit(db, "complaint_file", ip.unwrap_or("unknown"), now)
        .await?;
    let mut errors = Vec::new();
    if !COMPLAINT_CATEGORIES.contains(&new.category.trim()) {
        errors.push(FieldError::new("category", "err_required"));
    }
    let office_code = new.office_code.trim().to_string();
    let province_code = if office_code.is_empty() {
        None
    } else {
        office::Entity::find_by_id(office_code.as_str())
            .one(db)
            .await?
            .map(|o| o.province_code)
    };
    if province_code.is_none() {
        errors.push(FieldError::new("office_code", "err_no_such_office"));
    }
    let case_code = match optional(&new.case_code).map(RegistrationCode::parse) {
        None => None,
        Some(Ok(code)) => Some(code.as_str().to_string()),
        Some(Err(e)) => {
            errors.push(FieldError::parse("case_code", e));
            None
        }
    };
    let body = new.body.trim().to_string();
    if body.is_empty() {
        errors.push(FieldError::new("body", "err_required"));
    } else if body.chars().count() > MAX_COMPLAINT_CHARS {
        errors.push(FieldError::new("body", "err_too_long"));
    }
    let phone = match optional(&new.phone).map(Phone::parse) {
        None => None,
        Some(Ok(p)) => Some(p.as_str().to_string()),
        Some(Err(_)) => {
            errors.push(FieldError::new("phone", "err_bad_phone"));
            None
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let today = local_date(now);
    let due_on = holidays(db)
        .await?
        .add_working_days(today, ANSWER_WORKING_DAYS);
    let pin = new_pin()?;
    let txn = begin_write(db).await?;
    let seq = next_in_sequence(&txn, Sequence::Complaint, "", today.year()).await?;
    let number = format!("{}-{seq:06}", today.year());
    let saved = complaint::ActiveModel {
        number: Set(number.clone()),
        // Stored as a digest, like session tokens: a leaked table gives no way into complaints.
        pin: Set(pin_digest(&number, &pin)),
        category: Set(new.category.trim().to_string()),
        office_code: Set(office_code),
        case_code: Set(case_code),
        body: Set(body),
        phone: Set(phone),
        status: Set(ComplaintStatus::Open),
        answer: Set(None),
        answered_by: Set(None),
        created_at: Set(now),
        due_on: Set(due_on),
        answered_at: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut counted = Deltas::default();
    counted.complaint(
        &saved.office_code,
        province_code.as_deref().unwrap_or_default(),
        today,
        false,
        1,
    );
    counted.apply(&txn).await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "complaint_file".into(),
            entity: "complaint".into(),
            entity_id: Some(saved.number.clone()),
            after: Some(serde_json::json!({
                "category": saved.category, "office": saved.office_code,
            })),
            ..Default::default()
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ComplaintFiled { number, pin })
}

/// The stored PIN column holds at most 6 characters, so it keeps a short digest prefix bound to
/// the number; guessing is bounded by the lookup rate limit, not by the digest.
fn pin_digest(number: &str, pin: &str) -> String {
    sha256_hex(format!("{number}:{pin}").as_bytes())[..6].to_string()
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The complaint with this number and PIN. A wrong number and a wrong PIN give the same answer.
pub async fn track(
    db: &DatabaseConnection,
    limit: &RateLimiter,
    number: &str,
    pin: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ComplaintView, AppError> {
    // PINs are six digits: the limit is what stops guessing.
    limit
        .hit(db, "complaint_track", ip.unwrap_or("unknown"), now)
        .await?;
    let number = number.trim();
    let pin = crate::format::from_khmer_digits(pin.trim());
    let found = complaint::Entity::find()
        .filter(complaint::Column::Number.eq(number))
        .one(db)
        .await?;
    let found = match found {
        Some(c) if same(&c.pin, &pin_digest(number, &pin)) => c,
        _ => return Err(AppError::NotFound),
    };
    view_of(db, found).await
}

async fn view_of(
    db: &DatabaseConnection,
    found: complaint::Model,
) -> Result<ComplaintView, AppError> {
    let office = office::Entity::find_by_id(found.office_code.as_str())
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(ComplaintView {
        status: found.status,
        filed_on: local_date(found.created_at),
        answered_on: found.answered_at.map(local_date),
        number: found.number,
        category: found.category,
        office_code: found.office_code,
        office_name_km: office.name_km,
        office_name_en: office.name_en,
        case_code: found.case_code,
        due_on: found.due_on,
        answer: found.answer,
    })
}

const GRANT_PURPOSE: &str = "complaint";
const NEW_PIN_PURPOSE: &str = "complaint_new_pin";

/// How long a browser that proved the PIN (or filed the complaint) may read it without the PIN.
pub const GRANT_MINUTES: i64 = 15;

/// A handle that opens complaint `number` for `GRANT_MINUTES`: the PIN stays out of addresses.
pub async fn grant(
    db: &DatabaseConnection,
    number: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    super::flash::put(
        db,
        GRANT_PURPOSE,
        number,
        chrono::Duration::minutes(GRANT_MINUTES),
        now,
    )
    .await
}

/// Keeps a new complaint's PIN for its page to show once; returns the handle.
pub async fn keep_new_pin(
    db: &DatabaseConnection,
    number: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let payload = format!("{number}:{pin}");
    super::flash::put(
        db,
        NEW_PIN_PURPOSE,
        &payload,
        chrono::Duration::minutes(GRANT_MINUTES),
        now,
    )
    .await
}

/// The complaint a grant opens, with its new PIN the first time after filing.
pub async fn open_granted(
    db: &DatabaseConnection,
    grant: &str,
    new_pin: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<(ComplaintView, Option<String>)>, AppError> {
    let Some(number) = super::flash::read(db, GRANT_PURPOSE, grant, now).await? else {
        return Ok(None);
    };
    let Some(found) = complaint::Entity::find()
        .filter(complaint::Column::Number.eq(number.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let pin = match new_pin {
        Some(handle) => super::flash::take(db, NEW_PIN_PURPOSE, handle, now)
            .await?
            .and_then(|kept| {
                kept.split_once(':')
                    .filter(|(n, _)| *n == number)
                    .map(|(_, pin)| pin.to_string())
            }),
        None => None,
    };
    Ok(Some((view_of(db, found).await?, pin)))
}

fn require_chief(user: &CurrentUser) -> Result<String, AppError> {
    user.role.require(crate::domain::Area::Complaints)?;
    match user.jurisdiction() {
        Jurisdiction::Office(office) => Ok(office.as_str().to_string()),
        _ => Err(AppError::Forbidden),
    }
}

/// The office's complaints for its chief: open ones first, oldest due date first.
pub async fn for_office(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Vec<StaffComplaint>, AppError> {
    let office = require_chief(user)?;
    let calendar = holidays(db).await?;
    let today = local_date(now);
    let mut rows: Vec<StaffComplaint> = complaint::Entity::find()
        .filter(complaint::Column::OfficeCode.eq(office))
        .order_by_asc(complaint::Column::DueOn)
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let status = c.status;
            let days_late = if status == ComplaintStatus::Open {
                calendar.working_days_between(c.due_on, today).max(0)
            } else {
                0
            };
            StaffComplaint {
                id: c.id,
                filed_on: local_date(c.created_at),
                number: c.number,
                category: c.category,
                case_code: c.case_code,
                body: c.body,
                phone: c.phone,
                status,
                due_on: c.due_on,
                days_late,
                answer: c.answer,
            }
        })
        .collect();
    rows.sort_by_key(|c| c.status == ComplaintStatus::Closed);
    Ok(rows)
}

/// The chief's answer to a complaint, and whether it closes it.
pub struct Reply<'a> {
    pub text: &'a str,
    pub close: bool,
}

/// Records the chief's answer, and closes the complaint when asked. A closed complaint stays
/// as it was closed.
pub async fn answer(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i64,
    reply: Reply<'_>,
    public_url: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Reply { text, close } = reply;
    let office = require_chief(user)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field("answer", "err_required"));
    }
    if text.chars().count() > MAX_COMPLAINT_CHARS {
        return Err(AppError::field("answer", "err_too_long"));
    }
    let txn = begin_write(db).await?;
    let found = complaint::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|c| c.office_code == office)
        .ok_or(AppError::NotFound)?;
    if found.status == ComplaintStatus::Closed {
        return Err(AppError::field("answer", "err_complaint_closed"));
    }
    let before = serde_json::json!({ "status": found.status, "answer": found.answer });
    let status = if close {
        ComplaintStatus::Closed
    } else {
        ComplaintStatus::Answered
    };
    let mut m: complaint::ActiveModel = found.clone().into();
    m.answer = Set(Some(text.to_string()));
    m.answered_by = Set(Some(user.id));
    m.answered_at = Set(Some(now));
    m.status = Set(status);
    if close {
        m.closed_at = Set(Some(now));
    }
    m.update(&txn).await?;
    super::notices::on_complaint_answer(
        &*txn,
        super::notices::ComplaintAnswer {
            complaint_id: found.id,
            number: &found.number,
            office_code: &found.office_code,
            phone: found.phone.as_deref(),
            case_code: found.case_code.as_deref(),
            answer: text,
        },
        public_url,
        now,
    )
    .await?;
    if found.answered_at.is_none() {
        let province = office::Entity::find_by_id(found.office_code.as_str())
            .one(&txn)
            .await?
            .map(|o| o.province_code)
            .unwrap_or_default();
        let filed = local_date(found.created_at);
        let mut counted = Deltas::default();
        counted.complaint(&found.office_code, &province, filed, false, -1);
        counted.complaint(&found.office_code, &province, filed, true, 1);
        counted.apply(&txn).await?;
    }
    audit::record(
        &txn,
        AuditEvent {
            action: if close {
                "complaint_close"
            } else {
                "complaint_answer"
            }
            .into(),
            entity: "complaint".into(),
            entity_id: Some(found.number),
            before: Some(before),
            after: Some(serde_json::json!({ "status": status.id(), "answer": text })),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    super::notices::wake();
    Ok(())
}
