//! The public status lookup and feedback: a case opened by its code and PIN. Both go through one
//! gate, `open_case`, which rate-limits by client address and answers wrong codes and wrong PINs
//! alike, so the page cannot be used to learn which codes exist.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{ColumnType, Expr, Query, QueryStatementBuilder, SimpleExpr},
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set,
};
use subtle::ConstantTimeEq;

use super::{
    calendar::local_date,
    db::begin_write,
    entities::{case, case_event, feedback, office, payment},
    local_reads::Reader,
    rate_limit::RateLimiter,
    reference_cache::ReferenceCache,
    stats::rollup::Deltas,
};
use crate::{
    domain::{
        khqr::PaymentChannel, workflow::CaseEventKind, CaseStatus, Pin, RegistrationCode, Stage,
    },
    error::{AppError, FieldError},
    types::{OfficeContact, TrackStep, TrackView},
};

pub const RATE_BUCKET: &str = "track";
pub const MAX_FEEDBACK_CHARS: usize = 1_000;

/// Code and PIN as typed, parsed once; both problems are reported together.
pub fn parse_credentials(code: &str, pin: &str) -> Result<(RegistrationCode, Pin), AppError> {
    let code = RegistrationCode::parse(code).map_err(|e| FieldError::parse("code", e));
    let pin = Pin::parse(pin).map_err(|e| FieldError::parse("pin", e));
    match (code, pin) {
        (Ok(c), Ok(p)) => Ok((c, p)),
        (c, p) => Err(AppError::Validation(
            [c.err(), p.err()].into_iter().flatten().collect(),
        )),
    }
}

/// Whether two PINs are equal, in time that does not depend on where they differ.
fn pin_matches(stored: &str, given: &Pin) -> bool {
    stored.as_bytes().ct_eq(given.as_str().as_bytes()).into()
}

/// A case with what the citizen's page shows beside it: when its live payment was taken and the
/// rating already given. One query instead of three, because each query on SQLite is a round
/// trip to a worker thread, and on PostgreSQL one over the network.
#[derive(Debug, FromQueryResult)]
struct OpenedCase {
    #[sea_orm(nested)]
    case: case::Model,
    live_paid_at: Option<DateTime<Utc>>,
    live_channel: Option<PaymentChannel>,
    feedback_rating: Option<i16>,
}

/// The first value of `column` in `table`'s rows of this case, as a scalar subquery.
fn of_this_case<E: EntityTrait>(
    table: E,
    case_id: E::Column,
    column: E::Column,
    filter: Option<SimpleExpr>,
) -> SimpleExpr {
    // Scoped here: its `max` and `min` would shadow `Ord`'s in the rest of the module.
    use sea_orm::sea_query::ExprTrait;
    let mut query = Query::select();
    query
        .column(column)
        .from(table)
        .and_where(Expr::col((table, case_id)).equals((case::Entity, case::Column::Id)))
        .limit(1);
    if let Some(filter) = filter {
        query.and_where(filter);
    }
    SimpleExpr::SubQuery(None, Box::new(query.into_sub_query_statement()))
}

/// The case behind a code and PIN, after counting the attempt against the caller's address.
async fn open_case(
    reader: Reader<'_>,
    limit: &RateLimiter,
    code: &str,
    pin: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<OpenedCase, AppError> {
    let (code, pin) = parse_credentials(code, pin)?;
    limit
        .hit(reader.db, RATE_BUCKET, ip.unwrap_or("unknown"), now)
        .await?;
    let found = find_case_where(reader, &code, None).await?;
    // Compare against a stand-in when the code is unknown, so both failures take as long.
    let stored = found
        .as_ref()
        .map(|c| c.case.pin.as_str())
        .unwrap_or("------");
    match found {
        Some(c) if pin_matches(stored, &pin) => Ok(c),
        _ => Err(AppError::NotFound),
    }
}

/// The case of `code`, when `condition` (if any) holds for its row as well.
async fn find_case_where(
    reader: Reader<'_>,
    code: &RegistrationCode,
    condition: Option<SimpleExpr>,
) -> Result<Option<OpenedCase>, AppError> {
    let mut query = case::Entity::find().filter(case::Column::Code.eq(code.as_str()));
    if let Some(condition) = condition {
        query = query.filter(condition);
    }
    let query = query
        .column_as(
            of_this_case(
                payment::Entity,
                payment::Column::CaseId,
                payment::Column::PaidAt,
                Some(payment::is_live()),
            ),
            "live_paid_at",
        )
        .column_as(
            of_this_case(
                payment::Entity,
                payment::Column::CaseId,
                payment::Column::Channel,
                Some(payment::is_live()),
            ),
            "live_channel",
        )
        .column_as(
            of_this_case(
                feedback::Entity,
                feedback::Column::CaseId,
                feedback::Column::Rating,
                None,
            ),
            "feedback_rating",
        );
    let Some(local) = reader.local() else {
        return Ok(query.into_model::<OpenedCase>().one(reader.db).await?);
    };
    let added = [
        ("live_paid_at", ColumnType::TimestampWithTimeZone),
        ("live_channel", ColumnType::Text),
        ("feedback_rating", ColumnType::SmallInteger),
    ];
    let Some((case, added)) = local.rows(query.limit(1), &added)?.pop() else {
        return Ok(None);
    };
    let [paid_at, channel, rating]: [sea_orm::Value; 3] =
        added.try_into().map_err(|_| AppError::Internal)?;
    let read = |e: sea_orm::sea_query::ValueTypeErr| {
        tracing::error!(case = %case.code, error = %e, "a status page column did not read");
        AppError::Internal
    };
    Ok(Some(OpenedCase {
        live_paid_at: sea_orm::sea_query::ValueType::try_from(paid_at).map_err(read)?,
        live_channel: sea_orm::sea_query::ValueType::try_from(channel).map_err(read)?,
        feedback_rating: sea_orm::sea_query::ValueType::try_from(rating).map_err(read)?,
        case,
    }))
}

/// What a lookup grant is stored under in the flash table.
pub const GRANT_PURPOSE: &str = "track";
/// How long the browser may reopen a case's status after the PIN was typed.
pub const GRANT_MINUTES: i64 = 15;

/// Records that this browser typed the right PIN for `code`, and returns the handle for its
/// cookie: the result page is then opened by the handle, so the PIN is never put in a URL.
pub async fn grant(
    db: &DatabaseConnection,
    code: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    super::flash::put(
        db,
        GRANT_PURPOSE,
        code,
        chrono::Duration::minutes(GRANT_MINUTES),
        now,
    )
    .await
}

const NEW_PIN_PURPOSE: &str = "new_pin";

/// Keeps a new application's PIN for its status page to show once; returns the cookie handle.
pub async fn keep_new_pin(
    db: &DatabaseConnection,
    code: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    super::flash::put(
        db,
        NEW_PIN_PURPOSE,
        &format!("{code}:{pin}"),
        chrono::Duration::minutes(GRANT_MINUTES),
        now,
    )
    .await
}

/// The PIN kept for `code` under `handle`, removed as it is read.
pub async fn take_new_pin(
    db: &DatabaseConnection,
    code: &str,
    handle: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let kept = super::flash::take(db, NEW_PIN_PURPOSE, handle, now).await?;
    Ok(kept.and_then(|k| {
        k.split_once(':')
            .filter(|(c, _)| *c == code)
            .map(|(_, pin)| pin.to_string())
    }))
}

/// The status of `code` for a browser holding a grant for it; "not found" otherwise, as for a
/// wrong PIN. Not rate-limited: the grant was earned by a lookup that was.
/// With it, what the page says about the case's messages, from the same opened case.
/// With them, the KHQR code to pay by while the case waits at the cashier unpaid.
pub async fn lookup_granted(
    reader: Reader<'_>,
    reference: &ReferenceCache,
    code: &str,
    grant: Option<&str>,
    telegram: Option<&crate::backend::settings::TelegramSettings>,
    now: DateTime<Utc>,
) -> Result<GrantedLookup, AppError> {
    let opened = open_granted(reader, code, grant, now).await?;
    let notices =
        super::notices::telegram::contact_view(reader, &opened.case, telegram, now).await?;
    let khqr = if opened.live_paid_at.is_none() {
        super::payments::code_for_unpaid_case(reader, &opened.case, now)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(case = %opened.case.code, error = %e, "no KHQR on the status page");
                None
            })
    } else {
        None
    };
    Ok(GrantedLookup {
        view: view_of(reader, reference, opened, now).await?,
        notices,
        khqr,
    })
}

/// What the status page of a granted lookup shows.
pub struct GrantedLookup {
    pub view: TrackView,
    pub notices: crate::types::notices::NoticeContactView,
    pub khqr: Option<crate::types::payments::KhqrView>,
}

/// The case behind `code` when `grant` is a live grant for it; "not found" otherwise.
async fn open_granted(
    reader: Reader<'_>,
    code: &str,
    grant: Option<&str>,
    now: DateTime<Utc>,
) -> Result<OpenedCase, AppError> {
    let code = RegistrationCode::parse(code).map_err(|_| AppError::NotFound)?;
    let Some(token) = grant else {
        return Err(AppError::NotFound);
    };
    // The grant is checked in the case's own query: the status page is the busiest read there
    // is, and each query on SQLite costs two thread hand-offs.
    let granted = super::flash::holds(
        GRANT_PURPOSE,
        token,
        (case::Entity, case::Column::Code),
        now,
    );
    find_case_where(reader, &code, Some(granted))
        .await?
        .ok_or(AppError::NotFound)
}

/// How a citizen shows a case is theirs: the PIN itself (the JSON API), or the cookie handle of
/// an earlier lookup with it (the status page).
#[derive(Debug, Clone, Copy)]
pub enum Proof<'a> {
    Pin(&'a str),
    Grant(Option<&'a str>),
}

async fn open_with(
    reader: Reader<'_>,
    limit: &RateLimiter,
    code: &str,
    proof: Proof<'_>,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<OpenedCase, AppError> {
    match proof {
        Proof::Pin(pin) => open_case(reader, limit, code, pin, ip, now).await,
        Proof::Grant(token) => open_granted(reader, code, token, now).await,
    }
}

pub fn contact(o: office::Model) -> OfficeContact {
    OfficeContact {
        code: o.code,
        name_km: o.name_km,
        name_en: o.name_en,
        address_km: o.address_km,
        address_en: o.address_en,
        hours_km: o.opening_hours_km,
        hours_en: o.opening_hours_en,
        phone: o.phone,
    }
}

/// The status of a case for the holder of its code and PIN.
pub async fn lookup(
    reader: Reader<'_>,
    limit: &RateLimiter,
    reference: &ReferenceCache,
    code: &str,
    pin: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<TrackView, AppError> {
    let opened = open_case(reader, limit, code, pin, ip, now).await?;
    view_of(reader, reference, opened, now).await
}

async fn view_of(
    reader: Reader<'_>,
    reference: &ReferenceCache,
    opened: OpenedCase,
    now: DateTime<Utc>,
) -> Result<TrackView, AppError> {
    let OpenedCase {
        case: c,
        live_paid_at: paid_at,
        live_channel,
        feedback_rating: rating,
    } = opened;
    let service = reference.service(reader.db, c.service_id).await?;
    let off = reference.office(reader.db, &c.office_code).await?;
    let holidays = reference.holidays(reader.db).await?;
    let events = reader.all(super::cases::timeline_query(c.id)).await?;
    let (svc, steps) = (&service.service, &service.steps);
    let stage = c.stage;
    let status = c.status;
    let today = local_date(now);
    let stage_since = local_date(c.stage_entered_at);
    let closed = matches!(status, CaseStatus::Delivered | CaseStatus::Rejected);
    let ahead = if closed {
        Vec::new()
    } else {
        steps
            .iter()
            .map(|s| s.0)
            .skip_while(|s| *s != stage)
            .skip(1)
            .collect()
    };
    Ok(TrackView {
        code: c.code,
        service_id: svc.id,
        service_code: svc.code.clone(),
        service_name_km: svc.name_km.clone(),
        service_name_en: svc.name_en.clone(),
        office: contact((*off).clone()),
        stage,
        status,
        registered_on: local_date(c.registered_at),
        stage_since,
        working_days_in_stage: holidays.working_days_between(stage_since, today).max(0),
        passed: passed_steps(events),
        ahead,
        expected_on: c.due_on,
        quantity: c.quantity,
        fee_total: c.fee_total,
        paid: paid_at.is_some(),
        paid_on: paid_at.map(local_date),
        paid_by: live_channel,
        ready_for_pickup: stage == Stage::Returned && status == CaseStatus::Active,
        delivered_on: c.delivered_at.map(local_date),
        can_give_feedback: status == CaseStatus::Delivered && rating.is_none(),
        feedback_rating: rating,
    })
}

/// The timeline as rows of "stage reached, on date". Registration moves the case straight on to
/// its next stage, so it gives two rows: registered, then the stage it went to.
fn passed_steps(events: Vec<case_event::Model>) -> Vec<TrackStep> {
    let mut rows: Vec<TrackStep> = Vec::with_capacity(events.len() + 1);
    for e in events {
        let on = local_date(e.at);
        let stage = e.to_stage;
        if e.action == CaseEventKind::Register && stage != Some(Stage::Registration) {
            rows.push(TrackStep {
                no: 0,
                action: e.action,
                stage: Some(Stage::Registration),
                on,
            });
        }
        rows.push(TrackStep {
            no: 0,
            action: e.action,
            stage,
            on,
        });
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.no = i as u32 + 1;
    }
    rows
}

/// A rating from 1 to 5 and an optional comment, as typed.
pub fn parse_feedback(
    rating: &str,
    comment: Option<&str>,
) -> Result<(i16, Option<String>), AppError> {
    let mut errors = Vec::new();
    let rating = match crate::format::from_khmer_digits(rating.trim()).parse::<i16>() {
        Ok(r) if (1..=5).contains(&r) => r,
        Ok(_) => {
            errors.push(FieldError::new("rating", "err_out_of_range"));
            0
        }
        Err(_) => {
            errors.push(FieldError::new("rating", "err_required"));
            0
        }
    };
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = comment {
        if c.chars().count() > MAX_FEEDBACK_CHARS {
            errors.push(FieldError::new("comment", "err_too_long"));
        } else if c
            .chars()
            .any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t'))
        {
            errors.push(FieldError::new("comment", "err_bad_characters"));
        }
    }
    if errors.is_empty() {
        Ok((rating, comment.map(str::to_string)))
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Records the citizen's rating of a delivered case; one per case.
#[allow(clippy::too_many_arguments)]
pub async fn leave_feedback(
    reader: Reader<'_>,
    limit: &RateLimiter,
    code: &str,
    proof: Proof<'_>,
    rating: &str,
    comment: Option<&str>,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let c = open_with(reader, limit, code, proof, ip, now).await?.case;
    let (rating, comment) = parse_feedback(rating, comment)?;
    let db = reader.db;
    if c.status != CaseStatus::Delivered {
        return Err(AppError::IllegalTransition("feedback_not_delivered".into()));
    }
    let already = || AppError::IllegalTransition("feedback_already_given".into());
    let txn = begin_write(db).await?;
    let exists = feedback::Entity::find()
        .filter(feedback::Column::CaseId.eq(c.id))
        .one(&txn)
        .await?
        .is_some();
    if exists {
        return Err(already());
    }
    let inserted = feedback::ActiveModel {
        case_id: Set(c.id),
        office_code: Set(c.office_code.clone()),
        rating: Set(rating),
        comment: Set(comment),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(saved) => {
            let mut counted = Deltas::default();
            counted.rating(
                &c.office_code,
                &c.province_code,
                local_date(now),
                i64::from(saved.rating),
            );
            counted.apply(&txn).await?;
            txn.commit().await?;
            Ok(())
        }
        // On PostgreSQL a concurrent first rating can win between the check and the insert; the
        // unique index on `case_id` refuses the second.
        Err(sea_orm::DbErr::Exec(_)) | Err(sea_orm::DbErr::Query(_)) => Err(already()),
        Err(e) => Err(e.into()),
    }
}

/// The citizen's "stop messages" on the status page, proven like a rating.
pub async fn stop_notices(
    reader: Reader<'_>,
    limit: &RateLimiter,
    code: &str,
    proof: Proof<'_>,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let c = open_with(reader, limit, code, proof, ip, now).await?.case;
    super::notices::telegram::stop_case(reader.db, &c, now).await
}

/// What the status page says about the case's messages; for a case the caller may already see.
pub async fn notice_contact(
    db: &DatabaseConnection,
    code: &str,
    telegram: Option<&crate::backend::settings::TelegramSettings>,
    now: DateTime<Utc>,
) -> Result<crate::types::notices::NoticeContactView, AppError> {
    let c = case::Entity::find()
        .filter(case::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    super::notices::telegram::contact_view(Reader::pool(db), &c, telegram, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_checked_together() {
        assert!(parse_credentials("1226000001", "123456").is_ok());
        assert!(parse_credentials("១២២៦០០០០០១", "១២៣៤៥៦").is_ok());
        match parse_credentials("12", "1") {
            Err(AppError::Validation(f)) => {
                assert_eq!(f.len(), 2);
                assert_eq!(f[0].field, "code");
                assert_eq!(f[1].field, "pin");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pins_compare_whole() {
        let pin = Pin::parse("123456").unwrap();
        assert!(pin_matches("123456", &pin));
        assert!(!pin_matches("123457", &pin));
        assert!(!pin_matches("------", &pin));
        assert!(!pin_matches("12345", &pin));
    }

    #[test]
    fn feedback_input() {
        assert_eq!(parse_feedback("5", Some("  ")).unwrap(), (5, None));
        assert_eq!(parse_feedback("៤", None).unwrap(), (4, None));
        assert!(parse_feedback("0", None).is_err());
        assert!(parse_feedback("6", None).is_err());
        assert!(parse_feedback("", None).is_err());
        assert!(parse_feedback("3", Some(&"x".repeat(1001))).is_err());
        assert!(parse_feedback("3", Some("a\u{0}b")).is_err());
        assert_eq!(
            parse_feedback("3", Some("<script>alert(1)</script>\nok")).unwrap(),
            (3, Some("<script>alert(1)</script>\nok".to_string()))
        );
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::format::to_khmer_digits;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ 0-9០-៩+-]{0,12}",
            "[0-9]{10}",
            "[0-9]{6}",
        ]
    }

    proptest! {
        #[test]
        fn credentials_are_the_parsed_code_and_pin(code in text(), pin in text()) {
            let both = parse_credentials(&code, &pin);
            prop_assert_eq!(&parse_credentials(&to_khmer_digits(&code), &to_khmer_digits(&pin)), &both);
            match both {
                Ok((c, p)) => {
                    prop_assert_eq!(Ok(c), RegistrationCode::parse(&code));
                    prop_assert_eq!(Ok(p.as_str().to_string()), Pin::parse(&pin).map(|p| p.as_str().to_string()));
                }
                Err(AppError::Validation(fields)) => {
                    let expected: Vec<&str> = [
                        RegistrationCode::parse(&code).err().map(|_| "code"),
                        Pin::parse(&pin).err().map(|_| "pin"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    let got: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                    prop_assert_eq!(got, expected);
                }
                Err(other) => prop_assert!(false, "{:?}", other),
            }
        }

        #[test]
        fn feedback_keeps_a_rating_from_one_to_five(
            rating in prop_oneof![text(), (-10i32..20).prop_map(|r| r.to_string())],
            comment in proptest::option::of(prop_oneof![any::<String>(), "[a-z \n]{0,1100}"]),
        ) {
            let parsed = parse_feedback(&rating, comment.as_deref());
            prop_assert_eq!(&parse_feedback(&to_khmer_digits(&rating), comment.as_deref()), &parsed);
            if let Ok((r, kept)) = parsed {
                prop_assert!((1..=5).contains(&r));
                if let Some(c) = &kept {
                    prop_assert_eq!(Some(c.as_str()), comment.as_deref().map(str::trim));
                    prop_assert!(!c.is_empty() && c.chars().count() <= MAX_FEEDBACK_CHARS);
                    prop_assert!(!c.chars().any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t')));
                } else {
                    prop_assert!(comment.as_deref().is_none_or(|c| c.trim().is_empty()));
                }
            }
        }
    }
}
