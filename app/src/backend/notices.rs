//! Notices to citizens through a transactional outbox. A case change that tells the citizen
//! something writes its messages to `outbox` inside its own transaction, rendered in the
//! citizen's language; the sender task (`server::notices`) delivers them afterwards. So a
//! rolled-back action sends nothing, and a committed one is never forgotten.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use super::{
    auth::CurrentUser,
    entities::{case, notice_contact, notice_template, office, outbox, service},
};
use crate::{
    domain::{
        notice::{self, NoticeChannel, NoticeEvent, NoticeStatus},
        workflow::Action,
        CaseStatus, Role, Stage,
    },
    error::{AppError, FieldError},
    format::format_date,
    i18n::Locale,
    types::notices::NoticeTemplateView,
};

pub mod outbox_rows;
pub mod telegram;

pub use outbox_rows::{
    claim_due, for_case as notices_of_case, for_office, mark, purge_recipients, release_claims,
    retry, sent_by_channel, Outcome,
};

/// Wakes the sender when a message is written, so it goes out at once rather than at the next
/// poll. Only a hint: the sender also polls, and another server's sender finds it the same way.
pub static OUTBOX_WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

pub fn wake() {
    OUTBOX_WAKE.notify_one();
}

/// The citizen's choices at registration: the language, and the phone unless SMS was declined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptIn {
    pub language: Locale,
    pub sms_phone: Option<String>,
}

/// The templates in force: the admin's edits over the locale files' defaults.
pub struct Templates(HashMap<NoticeEvent, (String, String)>);

impl Templates {
    pub fn get(&self, event: NoticeEvent, language: Locale) -> String {
        match self.0.get(&event) {
            Some((km, en)) => language.pick(km, en).to_string(),
            None => default_template(event, language).to_string(),
        }
    }
}

pub fn default_template(event: NoticeEvent, language: Locale) -> &'static str {
    language.texts().get(&event.template_key()).unwrap_or("")
}

pub async fn templates(db: &impl ConnectionTrait) -> Result<Templates, AppError> {
    Ok(Templates(
        notice_template::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.event, (t.body_km, t.body_en)))
            .collect(),
    ))
}

/// A message about to be written: who, on which channel, and the text.
#[derive(Debug, Clone)]
pub struct Message {
    pub key: String,
    pub case_id: Option<i64>,
    pub complaint_id: Option<i64>,
    pub office_code: Option<String>,
    pub event: NoticeEvent,
    pub channel: NoticeChannel,
    pub recipient: String,
    pub language: Locale,
    pub body: String,
}

/// Writes messages in the caller's transaction. A key already written (a retried request)
/// is left as it is.
pub async fn write(
    txn: &impl ConnectionTrait,
    messages: Vec<Message>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if messages.is_empty() {
        return Ok(());
    }
    let rows = messages.into_iter().map(|m| outbox::ActiveModel {
        idempotency_key: Set(m.key),
        case_id: Set(m.case_id),
        complaint_id: Set(m.complaint_id),
        office_code: Set(m.office_code),
        event: Set(m.event),
        channel: Set(m.channel),
        recipient: Set(Some(m.recipient)),
        language: Set(m.language.code().to_string()),
        body: Set(m.body),
        status: Set(NoticeStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    });
    outbox::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([outbox::Column::IdempotencyKey])
        .exec(txn)
        .await?;
    Ok(())
}

/// The event a transition tells the citizen of, if any.
pub fn event_of(action: Action, from: Stage, to: Stage, status: CaseStatus) -> Option<NoticeEvent> {
    match action {
        Action::Return if status == CaseStatus::ReturnedToCitizen => Some(NoticeEvent::Returned),
        Action::Reject => Some(NoticeEvent::Rejected),
        Action::Deliver => Some(NoticeEvent::Delivered),
        _ if to == Stage::Returned && from != Stage::Returned => Some(NoticeEvent::Ready),
        _ => None,
    }
}

/// Where the citizen's links point: the status page without its PIN.
pub fn track_link(public_url: &str, code: &str) -> String {
    format!("{public_url}/track/{code}")
}

/// Everything a case's notices say, read before the write so that the transaction only writes.
pub struct CaseNotices {
    contact: Option<notice_contact::Model>,
    templates: Templates,
    service: Option<service::Model>,
    office: Option<office::Model>,
    public_url: String,
}

impl CaseNotices {
    /// Reads the case's contact, the templates, the service and, for a ready notice, the office.
    /// Reads nothing when the event sends nothing.
    pub async fn read(
        db: &DatabaseConnection,
        c: &case::Model,
        event: Option<NoticeEvent>,
        public_url: &str,
    ) -> Result<Option<Self>, AppError> {
        let Some(event) = event else {
            return Ok(None);
        };
        let contact = notice_contact::Entity::find_by_id(c.id).one(db).await?;
        if !contact.as_ref().is_some_and(reachable) {
            return Ok(None);
        }
        let office = if event == NoticeEvent::Ready {
            office::Entity::find_by_id(c.office_code.as_str())
                .one(db)
                .await?
        } else {
            None
        };
        Ok(Some(Self {
            contact,
            templates: templates(db).await?,
            service: service::Entity::find_by_id(c.service_id).one(db).await?,
            office,
            public_url: public_url.to_string(),
        }))
    }

    /// The messages of `event` for the case, one per open channel, keyed by the timeline entry
    /// `seq` so a retried write makes no second message.
    pub fn messages(
        &self,
        c: &case::Model,
        event: NoticeEvent,
        seq: i32,
        comment: Option<&str>,
    ) -> Vec<Message> {
        let Some(contact) = &self.contact else {
            return Vec::new();
        };
        let language = Locale::from_code(&contact.language).unwrap_or_default();
        let values = case_values(
            c,
            self.service.as_ref(),
            self.office.as_ref(),
            comment,
            &self.public_url,
            language,
        );
        let template = self.templates.get(event, language);
        channels_of(contact)
            .into_iter()
            .map(|(channel, recipient)| Message {
                key: format!("case:{}:{seq}:{}", c.code, channel.id()),
                case_id: Some(c.id),
                complaint_id: None,
                office_code: Some(c.office_code.clone()),
                event,
                channel,
                recipient,
                language,
                body: notice::render(event, &template, &pairs(&values), channel),
            })
            .collect()
    }
}

fn reachable(contact: &notice_contact::Model) -> bool {
    contact.stopped_at.is_none() && !channels_of(contact).is_empty()
}

/// The channels a contact keeps open, with the recipient on each.
pub fn channels_of(contact: &notice_contact::Model) -> Vec<(NoticeChannel, String)> {
    if contact.stopped_at.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(phone) = &contact.sms_phone {
        out.push((NoticeChannel::Sms, phone.clone()));
    }
    if let Some(chat) = &contact.telegram_chat_id {
        out.push((NoticeChannel::Telegram, chat.clone()));
    }
    out
}

fn pairs<'a>(values: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    values.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The placeholder values of a case's notice. Never the PIN, an ID number or a date of birth.
pub fn case_values(
    c: &case::Model,
    service: Option<&service::Model>,
    office: Option<&office::Model>,
    comment: Option<&str>,
    public_url: &str,
    language: Locale,
) -> Vec<(&'static str, String)> {
    let link = track_link(public_url, &c.code);
    let mut values = vec![
        ("code", c.code.clone()),
        (
            "service",
            service
                .map(|s| language.pick(&s.name_km, &s.name_en).to_string())
                .unwrap_or_default(),
        ),
        ("due", format_date(c.due_on, language)),
        ("comment", comment.unwrap_or_default().to_string()),
        ("rate_link", format!("{link}#feedback")),
        ("link", link),
    ];
    if let Some(o) = office {
        values.push(("office", language.pick(&o.name_km, &o.name_en).to_string()));
        values.push((
            "address",
            language.pick(&o.address_km, &o.address_en).to_string(),
        ));
        values.push((
            "hours",
            language
                .pick(&o.opening_hours_km, &o.opening_hours_en)
                .to_string(),
        ));
    }
    values
}

/// The contact row a new case starts with, and the registered notice to its phone.
pub fn on_registration(
    c: &case::Model,
    service: &service::Model,
    opt_in: &OptIn,
    templates: &Templates,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(notice_contact::ActiveModel, Vec<Message>), AppError> {
    let contact = notice_contact::Model {
        case_id: c.id,
        language: opt_in.language.code().to_string(),
        sms_phone: opt_in.sms_phone.clone(),
        telegram_chat_id: None,
        telegram_token: Some(telegram::new_link_token()?),
        telegram_token_expires_at: Some(now + telegram::link_lifetime()),
        stopped_at: None,
        created_at: now,
    };
    let values = case_values(c, Some(service), None, None, public_url, opt_in.language);
    let template = templates.get(NoticeEvent::Registered, opt_in.language);
    let messages = channels_of(&contact)
        .into_iter()
        .map(|(channel, recipient)| Message {
            key: format!("case:{}:1:{}", c.code, channel.id()),
            case_id: Some(c.id),
            complaint_id: None,
            office_code: Some(c.office_code.clone()),
            event: NoticeEvent::Registered,
            channel,
            recipient,
            language: opt_in.language,
            body: notice::render(NoticeEvent::Registered, &template, &pairs(&values), channel),
        })
        .collect();
    // Every column is written: a model made here has nothing in the table to differ from.
    let active = notice_contact::ActiveModel::from(contact).reset_all();
    Ok((active, messages))
}

/// An answered complaint, as its notice needs it.
pub struct ComplaintAnswer<'a> {
    pub complaint_id: i64,
    pub number: &'a str,
    pub office_code: &'a str,
    pub phone: Option<&'a str>,
    pub case_code: Option<&'a str>,
    pub answer: &'a str,
}

/// The complaint-answered notice to the phone the complainant left, in the language of the case
/// the complaint names, Khmer otherwise.
pub async fn on_complaint_answer(
    txn: &impl ConnectionTrait,
    complaint: ComplaintAnswer<'_>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let ComplaintAnswer {
        complaint_id,
        number,
        office_code,
        phone,
        case_code,
        answer,
    } = complaint;
    let Some(phone) = phone.filter(|p| !p.trim().is_empty()) else {
        return Ok(());
    };
    let mut language = Locale::Km;
    if let Some(code) = case_code {
        if let Some(c) = case::Entity::find()
            .filter(case::Column::Code.eq(code))
            .one(txn)
            .await?
        {
            if let Some(contact) = notice_contact::Entity::find_by_id(c.id).one(txn).await? {
                if contact.stopped_at.is_some() {
                    return Ok(());
                }
                language = Locale::from_code(&contact.language).unwrap_or_default();
            }
        }
    }
    let template = templates(txn)
        .await?
        .get(NoticeEvent::ComplaintAnswered, language);
    let link = format!("{public_url}/complaints/track");
    let values = [
        ("number", number),
        ("answer", answer),
        ("link", link.as_str()),
    ];
    write(
        txn,
        vec![Message {
            key: format!("complaint:{number}:{}:sms", now.timestamp_millis()),
            case_id: None,
            complaint_id: Some(complaint_id),
            office_code: Some(office_code.to_string()),
            event: NoticeEvent::ComplaintAnswered,
            channel: NoticeChannel::Sms,
            recipient: phone.to_string(),
            language,
            body: notice::render(
                NoticeEvent::ComplaintAnswered,
                &template,
                &values,
                NoticeChannel::Sms,
            ),
        }],
        now,
    )
    .await
}

/// Example values for a template's preview: a long service name, so the segment count shows
/// the worst case an office will meet.
pub fn sample_values(language: Locale, public_url: &str) -> Vec<(String, String)> {
    let t = language.texts();
    let code = "120101-26-004321";
    let due = chrono::NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or_default();
    [
        ("code", code.to_string()),
        ("service", t.notice_sample_service.to_string()),
        ("due", format_date(due, language)),
        ("comment", t.notice_sample_comment.to_string()),
        ("link", track_link(public_url, code)),
        (
            "rate_link",
            format!("{}#feedback", track_link(public_url, code)),
        ),
        ("office", t.notice_sample_office.to_string()),
        ("address", t.notice_sample_address.to_string()),
        ("hours", t.notice_sample_hours.to_string()),
        ("number", "C-26-000123".to_string()),
        ("answer", t.notice_sample_answer.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Every event's template as the admin screen shows it.
pub async fn template_views(
    db: &DatabaseConnection,
    public_url: &str,
) -> Result<Vec<NoticeTemplateView>, AppError> {
    let edited: HashMap<NoticeEvent, notice_template::Model> = notice_template::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.event, t))
        .collect();
    Ok(NoticeEvent::ALL
        .into_iter()
        .map(|event| {
            let default_km = default_template(event, Locale::Km).to_string();
            let default_en = default_template(event, Locale::En).to_string();
            let (body_km, body_en, is_edited) = match edited.get(&event) {
                Some(t) => (t.body_km.clone(), t.body_en.clone(), true),
                None => (default_km.clone(), default_en.clone(), false),
            };
            NoticeTemplateView {
                event,
                body_km,
                body_en,
                default_km,
                default_en,
                edited: is_edited,
                placeholders: event.placeholders().iter().map(|p| p.to_string()).collect(),
                sample: sample_values(Locale::Km, public_url)
                    .into_iter()
                    .filter(|(k, _)| event.placeholders().contains(&k.as_str()))
                    .collect(),
            }
        })
        .collect())
}

/// Saves an event's templates after checking both; an empty pair puts the default back.
pub async fn save_template(
    db: &DatabaseConnection,
    user: &CurrentUser,
    event: NoticeEvent,
    body_km: &str,
    body_en: &str,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if user.role != Role::SystemAdmin {
        return Err(AppError::Forbidden);
    }
    let before = notice_template::Entity::find_by_id(event).one(db).await?;
    let reset = body_km.trim().is_empty() && body_en.trim().is_empty();
    if !reset {
        let mut errors = Vec::new();
        for (field, body) in [("body_km", body_km), ("body_en", body_en)] {
            if let Err(e) = notice::validate_template(event, body) {
                errors.push(FieldError::new(field, e.text_key()));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
    }
    let txn = super::db::begin_write(db).await?;
    notice_template::Entity::delete_many()
        .filter(notice_template::Column::Event.eq(event))
        .exec(&txn)
        .await?;
    if !reset {
        notice_template::ActiveModel {
            event: Set(event),
            body_km: Set(body_km.trim().to_string()),
            body_en: Set(body_en.trim().to_string()),
            updated_at: Set(now),
            updated_by: Set(Some(user.id)),
        }
        .insert(&txn)
        .await?;
    }
    super::audit::record(
        &txn,
        super::audit::AuditEvent {
            action: "notice_template_save".into(),
            entity: "notice_template".into(),
            entity_id: Some(event.id().into()),
            before: before.map(|t| serde_json::json!({ "km": t.body_km, "en": t.body_en })),
            after: (!reset)
                .then(|| serde_json::json!({ "km": body_km.trim(), "en": body_en.trim() })),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_that_tell_the_citizen() {
        assert_eq!(
            event_of(
                Action::Return,
                Stage::ChiefCheck,
                Stage::ChiefCheck,
                CaseStatus::ReturnedToCitizen
            ),
            Some(NoticeEvent::Returned)
        );
        assert_eq!(
            event_of(
                Action::Approve,
                Stage::Decision,
                Stage::Returned,
                CaseStatus::Active
            ),
            Some(NoticeEvent::Ready)
        );
        assert_eq!(
            event_of(
                Action::Forward,
                Stage::ChiefCheck,
                Stage::TechnicalReview,
                CaseStatus::Active
            ),
            None
        );
        assert_eq!(
            event_of(
                Action::Pay,
                Stage::Cashier,
                Stage::ChiefCheck,
                CaseStatus::Active
            ),
            None
        );
    }

    #[test]
    fn every_default_template_is_valid_in_both_languages() {
        for event in NoticeEvent::ALL {
            for language in [Locale::Km, Locale::En] {
                let t = default_template(event, language);
                assert_eq!(
                    notice::validate_template(event, t),
                    Ok(()),
                    "{event:?} {language:?}"
                );
            }
        }
    }

    #[test]
    fn the_registered_notice_in_khmer_fits_two_segments_with_a_long_service_name() {
        let values = sample_values(Locale::Km, "https://owso.mlmupc.gov.kh");
        let values: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let text = notice::render(
            NoticeEvent::Registered,
            default_template(NoticeEvent::Registered, Locale::Km),
            &values,
            NoticeChannel::Sms,
        );
        let count = notice::sms_segments(&text);
        assert!(count.unicode);
        assert!(
            count.segments <= notice::REGISTERED_MAX_SEGMENTS,
            "{count:?}: {text}"
        );
        assert!(text.contains("120101-26-004321"));
        assert!(text.contains("https://owso.mlmupc.gov.kh/track/120101-26-004321"));
    }
}
