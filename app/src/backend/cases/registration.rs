//! Opening a case: the request is parsed into a `ValidNewCase` first, naming every bad field at
//! once, and only a valid case is written, in one transaction.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set};

use super::{append_event, step_due, workflow_of, NewEvent};
use crate::{
    backend::{
        audit::{self, AuditEvent},
        auth::CurrentUser,
        calendar::{self, local_date},
        db::{begin_write, next_in_sequence, Sequence},
        entities::{applicant, case, enterprise, office, service, village},
        notices, secrets,
        stats::rollup::{record_case_change, CaseFigures},
    },
    domain::{
        workflow::CaseEventKind, CaseStatus, Channel, Phone, ProvinceCode, RegistrationCode, Stage,
    },
    error::{AppError, FieldError},
    i18n::Locale,
    types::{NewCaseRequest, RegisteredCase},
};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_QUANTITY: i32 = 10_000;

/// Who opens a case: the front desk at the counter, or a citizen online for an office. An online
/// pre-registration waits at the registration stage, with no deadline running, until the front
/// desk sees the documents and completes it; it stays the same case.
pub enum Registrar<'a> {
    FrontDesk(&'a CurrentUser),
    Online { office_code: &'a str },
}

/// A person or an enterprise, with what each must or may bring.
enum ApplicantKind {
    Person {
        sex: String,
        date_of_birth: Option<NaiveDate>,
        id_card_number: Option<String>,
    },
    Enterprise {
        registration_number: Option<String>,
    },
}

struct ValidApplicant {
    kind: ApplicantKind,
    name_km: String,
    name_latin: String,
    phone: Option<String>,
}

/// A registration request that has passed every check: what is left can only fail for reasons
/// outside the request (the database, the yearly sequence).
struct ValidNewCase<'a> {
    office_code: String,
    staff: Option<&'a CurrentUser>,
    service: service::Model,
    quantity: i32,
    applicant: ValidApplicant,
    village_code: Option<String>,
    address_detail: Option<String>,
    notice_language: Locale,
    sms_declined: bool,
}

impl ValidNewCase<'_> {
    fn online(&self) -> bool {
        self.staff.is_none()
    }
}

/// Registers a case at the caller's office: applicant, case, first event and audit entry in one
/// transaction. The code comes from an atomic per-province, per-year counter, so concurrent
/// registrations never share a code.
pub async fn register(
    db: &DatabaseConnection,
    registrar: Registrar<'_>,
    request: NewCaseRequest,
    public_url: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<RegisteredCase, AppError> {
    let valid = parse(db, registrar, request, now).await?;
    write(db, valid, public_url, ip, now).await
}

/// A citizen's online pre-registration, within the public rate limit.
pub async fn pre_register(
    db: &DatabaseConnection,
    limit: &crate::backend::rate_limit::RateLimiter,
    office_code: &str,
    request: NewCaseRequest,
    public_url: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<RegisteredCase, AppError> {
    let client = ip.clone().unwrap_or_else(|| "unknown".into());
    limit.hit(db, "apply", &client, now).await?;
    register(
        db,
        Registrar::Online { office_code },
        request,
        public_url,
        ip,
        now,
    )
    .await
}

async fn parse<'a>(
    db: &DatabaseConnection,
    registrar: Registrar<'a>,
    request: NewCaseRequest,
    now: DateTime<Utc>,
) -> Result<ValidNewCase<'a>, AppError> {
    let mut errors = Vec::new();
    let (office_code, staff) = match registrar {
        Registrar::FrontDesk(user) => {
            user.role.require(crate::domain::Area::Registration)?;
            (
                user.office_code.clone().ok_or(AppError::Forbidden)?,
                Some(user),
            )
        }
        Registrar::Online { office_code } => {
            let known = office::Entity::find_by_id(office_code.trim())
                .one(db)
                .await?
                .filter(|o| o.active);
            if known.is_none() {
                errors.push(FieldError::new("office_code", "err_no_such_office"));
            }
            (office_code.trim().to_string(), None)
        }
    };
    let service = service::Entity::find_by_id(request.service_id)
        .one(db)
        .await?
        .filter(|s| s.active);
    if service.is_none() {
        errors.push(FieldError::new("service_id", "err_required"));
    }
    if !(1..=MAX_QUANTITY).contains(&request.quantity) {
        errors.push(FieldError::new("quantity", "err_out_of_range"));
    }
    let applicant = parse_applicant(&request, staff.is_none(), local_date(now), &mut errors);
    let address_detail = text_field(
        &mut errors,
        "address_detail",
        request.address_detail.as_deref(),
        false,
        300,
    );
    let village_code = match trimmed(request.village_code.as_deref()) {
        None => None,
        Some(v) => match village::Entity::find_by_id(v.to_string()).one(db).await? {
            Some(v) => Some(v.code),
            None => {
                errors.push(FieldError::new("village_code", "err_not_found"));
                None
            }
        },
    };
    let notice_language = match trimmed(request.notice_language.as_deref()) {
        None => Locale::Km,
        Some(code) => Locale::from_code(code).unwrap_or_else(|| {
            errors.push(FieldError::new("notice_language", "err_out_of_range"));
            Locale::Km
        }),
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(service), Some(applicant)) = (service, applicant) else {
        return Err(AppError::Internal);
    };
    Ok(ValidNewCase {
        office_code,
        staff,
        service,
        quantity: request.quantity,
        applicant,
        village_code,
        address_detail,
        notice_language,
        sms_declined: request.sms_declined,
    })
}

/// The applicant's fields; `None` when any of them is wrong, each wrong one named in `errors`.
fn parse_applicant(
    request: &NewCaseRequest,
    online: bool,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<ValidApplicant> {
    let before = errors.len();
    let is_person = match request.applicant_kind.as_str() {
        "person" => true,
        "enterprise" => false,
        _ => {
            errors.push(FieldError::new("applicant_kind", "err_required"));
            true
        }
    };
    let name_km = text_field(
        errors,
        "name_km",
        Some(&request.name_km),
        true,
        MAX_NAME_CHARS,
    );
    let name_latin = text_field(
        errors,
        "name_latin",
        Some(&request.name_latin),
        true,
        MAX_NAME_CHARS,
    );
    let phone = match trimmed(request.phone.as_deref()).map(Phone::parse) {
        None => None,
        Some(Ok(p)) => Some(p.as_str().to_string()),
        Some(Err(e)) => {
            errors.push(FieldError::parse("phone", e));
            None
        }
    };
    if online && trimmed(request.phone.as_deref()).is_none() {
        // The office needs a way to reach a citizen it has never met.
        errors.push(FieldError::new("phone", "err_required"));
    }
    let kind = if is_person {
        let sex = match request.sex.as_deref() {
            Some(s @ ("M" | "F")) => Some(s.to_string()),
            _ => {
                errors.push(FieldError::new("sex", "err_required"));
                None
            }
        };
        let date_of_birth = match trimmed(request.date_of_birth.as_deref()) {
            None => None,
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) if d <= today && d.year() >= 1900 => Some(d),
                _ => {
                    errors.push(FieldError::new("date_of_birth", "err_bad_date"));
                    None
                }
            },
        };
        let id_card_number = text_field(
            errors,
            "id_card_number",
            request.id_card_number.as_deref(),
            false,
            20,
        );
        ApplicantKind::Person {
            sex: sex.unwrap_or_default(),
            date_of_birth,
            id_card_number,
        }
    } else {
        ApplicantKind::Enterprise {
            registration_number: text_field(
                errors,
                "registration_number",
                request.registration_number.as_deref(),
                false,
                40,
            ),
        }
    };
    if errors.len() > before {
        return None;
    }
    Some(ValidApplicant {
        kind,
        name_km: name_km?,
        name_latin: name_latin?,
        phone,
    })
}

fn trimmed(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    required: bool,
    max: usize,
) -> Option<String> {
    match trimmed(value) {
        None if required => {
            errors.push(FieldError::new(field, "err_required"));
            None
        }
        Some(v) if v.chars().count() > max => {
            errors.push(FieldError::new(field, "err_too_long"));
            None
        }
        Some(v) if v.chars().any(|c| c.is_control()) => {
            errors.push(FieldError::new(field, "err_bad_characters"));
            None
        }
        other => other.map(str::to_string),
    }
}

/// Where a new case starts and how long its first step may take: an online case waits at
/// registration with no allowance; a counter case is registered already and goes to the next step.
fn first_step(steps: &[(Stage, i32)], online: bool) -> (Stage, u32) {
    if online {
        (steps[0].0, 0)
    } else {
        (steps[1].0, steps[1].1.max(0) as u32)
    }
}

async fn write(
    db: &DatabaseConnection,
    valid: ValidNewCase<'_>,
    public_url: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<RegisteredCase, AppError> {
    let svc = &valid.service;
    let templates = notices::templates(db).await?;
    let opt_in = notices::OptIn {
        language: valid.notice_language,
        sms_phone: valid
            .applicant
            .phone
            .clone()
            .filter(|_| !valid.sms_declined),
    };
    let online = valid.online();
    let steps = workflow_of(db, svc.id).await?;
    if steps.len() < 2 {
        return Err(AppError::IllegalTransition(
            "service has no workflow".into(),
        ));
    }
    let holidays = calendar::holidays(db).await?;
    let province = ProvinceCode::parse(&valid.office_code[..2]).map_err(|_| AppError::Internal)?;
    let today = local_date(now);
    let year = today.year();
    let pin = secrets::new_pin()?;
    let fee_total = svc
        .fee_riel
        .checked_mul(valid.quantity as i64)
        .ok_or(AppError::Internal)?;
    let (first, first_allowance) = first_step(&steps, online);

    let txn = begin_write(db).await?;
    let sequence = next_in_sequence(&txn, Sequence::Case, province.as_str(), year).await?;
    let code = RegistrationCode::new(&province, year, sequence as u32).map_err(|_| {
        AppError::IllegalTransition("the province's yearly sequence is exhausted".into())
    })?;
    let (applicant_id, enterprise_id) = insert_applicant(&txn, valid.applicant, now).await?;
    let created = case::ActiveModel {
        code: Set(code.as_str().to_string()),
        pin: Set(pin.clone()),
        province_code: Set(province.as_str().to_string()),
        registration_year: Set(year),
        sequence: Set(sequence),
        office_code: Set(valid.office_code),
        service_id: Set(svc.id),
        sector_id: Set(svc.sector_id),
        applicant_id: Set(applicant_id),
        enterprise_id: Set(enterprise_id),
        quantity: Set(valid.quantity),
        fee_per_unit: Set(svc.fee_riel),
        fee_total: Set(fee_total),
        village_code: Set(valid.village_code),
        address_detail: Set(valid.address_detail),
        stage: Set(first),
        status: Set(CaseStatus::Active),
        channel: Set(if online {
            Channel::Online
        } else {
            Channel::Counter
        }),
        version: Set(1),
        registered_at: Set(now),
        accepted_at: Set((!online).then_some(now)),
        stage_entered_at: Set(now),
        step_due_on: Set(if online {
            None
        } else {
            step_due(&holidays, first, today, first_allowance)
        }),
        due_on: Set(holidays.add_working_days(today, svc.time_standard_days.max(0) as u32)),
        paused_since: Set(None),
        paused_working_days: Set(0),
        delivered_at: Set(None),
        receiver_name: Set(None),
        processing_days: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_case_change(&txn, None, CaseFigures::of(&created, None).as_ref()).await?;
    let (contact, messages) =
        notices::on_registration(&created, svc, &opt_in, &templates, public_url, now)?;
    contact.insert(&*txn).await?;
    notices::write(&*txn, messages, now).await?;
    append_event(
        &txn,
        NewEvent {
            case_id: created.id,
            seq: 1,
            action: CaseEventKind::arrival(online),
            from: None,
            to: first,
            status: CaseStatus::Active,
            comment: None,
        },
        valid.staff.into(),
        now,
    )
    .await?;
    let actor = match valid.staff {
        Some(user) => user.audit_actor(ip),
        None => AuditEvent {
            actor_name: Some("online".into()),
            ip,
            ..Default::default()
        },
    };
    audit::record(
        &txn,
        AuditEvent {
            action: if online { "case_pre_register" } else { "case_register" }.into(),
            entity: "case".into(),
            entity_id: Some(created.code.clone()),
            after: Some(serde_json::json!({
                "service": svc.code, "quantity": valid.quantity, "fee_total": fee_total, "stage": first.id(),
            })),
            ..actor
        },
        now,
    )
    .await?;
    txn.commit().await?;
    notices::wake();
    Ok(RegisteredCase {
        code: created.code,
        pin,
        version: 1,
    })
}

/// Answers `(applicant_id, enterprise_id)`: exactly one of them is set.
async fn insert_applicant(
    txn: &DatabaseTransaction,
    applicant: ValidApplicant,
    now: DateTime<Utc>,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    Ok(match applicant.kind {
        ApplicantKind::Person {
            sex,
            date_of_birth,
            id_card_number,
        } => {
            let a = applicant::ActiveModel {
                name_km: Set(applicant.name_km),
                name_latin: Set(applicant.name_latin),
                sex: Set(sex),
                date_of_birth: Set(date_of_birth),
                place_of_birth: Set(None),
                phone: Set(applicant.phone),
                id_card_number: Set(id_card_number),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (Some(a.id), None)
        }
        ApplicantKind::Enterprise {
            registration_number,
        } => {
            let e = enterprise::ActiveModel {
                name_km: Set(applicant.name_km),
                name_latin: Set(applicant.name_latin),
                registration_number: Set(registration_number),
                phone: Set(applicant.phone),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            (None, Some(e.id))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> NewCaseRequest {
        NewCaseRequest {
            service_id: 1,
            quantity: 1,
            applicant_kind: "person".into(),
            name_km: "ចាន់ សុភា".into(),
            name_latin: "CHAN SOPHEA".into(),
            sex: Some("F".into()),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_complete_person_parses() {
        let mut errors = Vec::new();
        let a = parse_applicant(&person(), false, today(), &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(a.name_latin, "CHAN SOPHEA");
        assert!(matches!(a.kind, ApplicantKind::Person { ref sex, .. } if sex == "F"));
    }

    #[test]
    fn every_bad_applicant_field_is_named_at_once() {
        let request = NewCaseRequest {
            name_km: " ".into(),
            sex: Some("X".into()),
            date_of_birth: Some("2099-01-01".into()),
            phone: Some("12".into()),
            id_card_number: Some("1".repeat(21)),
            ..person()
        };
        let mut errors = Vec::new();
        assert!(parse_applicant(&request, false, today(), &mut errors).is_none());
        assert_eq!(
            fields(&errors),
            ["name_km", "phone", "sex", "date_of_birth", "id_card_number"]
        );
    }

    #[test]
    fn an_online_applicant_must_leave_a_phone_and_an_enterprise_needs_no_sex() {
        let mut errors = Vec::new();
        assert!(parse_applicant(&person(), true, today(), &mut errors).is_none());
        assert_eq!(fields(&errors), ["phone"]);
        let enterprise = NewCaseRequest {
            applicant_kind: "enterprise".into(),
            sex: None,
            phone: Some("012 345 678".into()),
            ..person()
        };
        let mut errors = Vec::new();
        let a = parse_applicant(&enterprise, true, today(), &mut errors).unwrap();
        assert!(matches!(a.kind, ApplicantKind::Enterprise { .. }));
    }

    #[test]
    fn an_online_case_waits_at_registration_and_a_counter_case_moves_on() {
        let steps = [
            (Stage::Registration, 1),
            (Stage::Cashier, 2),
            (Stage::Delivered, 0),
        ];
        assert_eq!(first_step(&steps, true), (Stage::Registration, 0));
        assert_eq!(first_step(&steps, false), (Stage::Cashier, 2));
    }
}
