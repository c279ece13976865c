//! Binding a Telegram chat to a case. The receipt and the status page offer
//! `t.me/<bot>?start=<token>`; when the citizen presses Start, Telegram calls the webhook with
//! `/start <token>` and the chat. A token binds once and lasts 30 days.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{case_values, templates, write, Message};
use crate::{
    backend::{
        db::begin_write,
        entities::{case, notice_contact, service},
        secrets,
        settings::TelegramSettings,
    },
    domain::notice::{self, NoticeChannel, NoticeEvent, TELEGRAM_LINK_DAYS},
    error::AppError,
    i18n::Locale,
    types::notices::NoticeContactView,
};

/// 128 random bits as 32 hex characters: within Telegram's 64 characters of `[A-Za-z0-9_-]`.
pub fn new_link_token() -> Result<String, AppError> {
    Ok(secrets::new_token()?[..32].to_string())
}

pub fn link_lifetime() -> chrono::Duration {
    chrono::Duration::days(TELEGRAM_LINK_DAYS)
}

pub fn start_link(bot_name: &str, token: &str) -> String {
    format!("https://t.me/{bot_name}?start={token}")
}

/// What the citizen sees about their messages. With the bot configured and no chat bound yet, a
/// fresh link is made when the case has none or it has expired or been used; cases registered
/// before notices existed get their contact row here, in Khmer, with the applicant's phone.
pub async fn contact_view(
    reader: crate::backend::local_reads::Reader<'_>,
    c: &case::Model,
    telegram: Option<&TelegramSettings>,
    now: DateTime<Utc>,
) -> Result<NoticeContactView, AppError> {
    let db = reader.db;
    let mut contact = reader.one(notice_contact::Entity::find_by_id(c.id)).await?;
    let needs_link = |k: &Option<notice_contact::Model>| match k {
        None => true,
        Some(k) => {
            k.stopped_at.is_none()
                && k.telegram_chat_id.is_none()
                && !(k.telegram_token.is_some()
                    && k.telegram_token_expires_at.is_some_and(|at| at > now))
        }
    };
    if telegram.is_some() && needs_link(&contact) {
        let token = new_link_token()?;
        let txn = begin_write(db).await?;
        let saved = match notice_contact::Entity::find_by_id(c.id).one(&*txn).await? {
            Some(existing) => {
                let mut m: notice_contact::ActiveModel = existing.into();
                m.telegram_token = Set(Some(token));
                m.telegram_token_expires_at = Set(Some(now + link_lifetime()));
                m.update(&*txn).await?
            }
            None => {
                notice_contact::ActiveModel {
                    case_id: Set(c.id),
                    language: Set(Locale::Km.code().into()),
                    sms_phone: Set(applicant_phone(&*txn, c).await?),
                    telegram_chat_id: Set(None),
                    telegram_token: Set(Some(token)),
                    telegram_token_expires_at: Set(Some(now + link_lifetime())),
                    stopped_at: Set(None),
                    created_at: Set(now),
                }
                .insert(&*txn)
                .await?
            }
        };
        txn.commit().await?;
        contact = Some(saved);
    }
    Ok(match contact {
        None => NoticeContactView {
            language: Locale::Km.code().into(),
            ..Default::default()
        },
        Some(k) => NoticeContactView {
            language: k.language.clone(),
            sms_phone: k
                .sms_phone
                .as_deref()
                .filter(|_| k.stopped_at.is_none())
                .map(notice::mask_phone),
            telegram_bound: k.telegram_chat_id.is_some() && k.stopped_at.is_none(),
            telegram_link: match (telegram, &k.telegram_token) {
                (Some(t), Some(token))
                    if k.telegram_chat_id.is_none() && k.stopped_at.is_none() =>
                {
                    Some(start_link(&t.bot_name, token))
                }
                _ => None,
            },
            stopped: k.stopped_at.is_some(),
        },
    })
}

async fn applicant_phone(
    db: &impl sea_orm::ConnectionTrait,
    c: &case::Model,
) -> Result<Option<String>, AppError> {
    use crate::backend::entities::{applicant, enterprise};
    Ok(match (c.applicant_id, c.enterprise_id) {
        (Some(id), _) => applicant::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|a| a.phone),
        (None, Some(id)) => enterprise::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|e| e.phone),
        _ => None,
    })
}

/// What the webhook did with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotReply {
    Linked { case_code: String },
    LinkInvalid,
    Stopped { cases: u64 },
    Ignored,
}

/// The language a chat's replies are in before it is bound: Telegram's `language_code`.
pub fn chat_language(language_code: Option<&str>) -> Locale {
    match language_code {
        Some(code) if code.to_ascii_lowercase().starts_with("en") => Locale::En,
        _ => Locale::Km,
    }
}

/// Handles one webhook update: `/start <token>` binds, `/stop` unbinds every case of the chat.
/// The reply goes through the outbox like every message, keyed by the update so that Telegram
/// delivering an update twice makes one reply.
pub async fn handle_update(
    db: &DatabaseConnection,
    update_id: i64,
    chat_id: &str,
    text: &str,
    language_code: Option<&str>,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<BotReply, AppError> {
    let text = text.trim();
    let command = text.split_whitespace().next().unwrap_or("");
    // In groups a command may be addressed `/start@owso_bot`.
    let command = command.split('@').next().unwrap_or("");
    let argument = text.split_whitespace().nth(1);
    let templates = templates(db).await?;
    let reply =
        |event: NoticeEvent, language: Locale, case: Option<&case::Model>, body: String| Message {
            key: format!("telegram:{update_id}"),
            case_id: case.map(|c| c.id),
            complaint_id: None,
            office_code: case.map(|c| c.office_code.clone()),
            event,
            channel: NoticeChannel::Telegram,
            recipient: chat_id.to_string(),
            language,
            body,
        };
    match command {
        "/start" => {
            let found = match argument {
                Some(token) if token.len() <= 64 => {
                    notice_contact::Entity::find()
                        .filter(notice_contact::Column::TelegramToken.eq(token))
                        .one(db)
                        .await?
                }
                _ => None,
            }
            .filter(|k| {
                k.stopped_at.is_none() && k.telegram_token_expires_at.is_some_and(|at| at > now)
            });
            let Some(contact) = found else {
                let language = chat_language(language_code);
                let body = templates.get(NoticeEvent::TelegramLinkInvalid, language);
                let txn = begin_write(db).await?;
                write(
                    &*txn,
                    vec![reply(
                        NoticeEvent::TelegramLinkInvalid,
                        language,
                        None,
                        body,
                    )],
                    now,
                )
                .await?;
                txn.commit().await?;
                super::wake();
                return Ok(BotReply::LinkInvalid);
            };
            let c = case::Entity::find_by_id(contact.case_id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            let svc = service::Entity::find_by_id(c.service_id).one(db).await?;
            let language = Locale::from_code(&contact.language).unwrap_or_default();
            let values = case_values(&c, svc.as_ref(), None, None, public_url, language);
            let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = notice::render(
                NoticeEvent::TelegramLinked,
                &templates.get(NoticeEvent::TelegramLinked, language),
                &values,
                NoticeChannel::Telegram,
            );
            let txn = begin_write(db).await?;
            // The token is spent in the same statement that checks it is still unspent, so two
            // Start presses with one link bind once.
            let bound = notice_contact::Entity::update_many()
                .col_expr(
                    notice_contact::Column::TelegramChatId,
                    sea_orm::sea_query::Expr::value(chat_id),
                )
                .col_expr(
                    notice_contact::Column::TelegramToken,
                    sea_orm::sea_query::Expr::value(Option::<String>::None),
                )
                .filter(notice_contact::Column::CaseId.eq(contact.case_id))
                .filter(notice_contact::Column::TelegramToken.eq(contact.telegram_token.clone()))
                .exec(&*txn)
                .await?
                .rows_affected;
            let (event, body) = if bound == 1 {
                (NoticeEvent::TelegramLinked, body)
            } else {
                (
                    NoticeEvent::TelegramLinkInvalid,
                    templates.get(NoticeEvent::TelegramLinkInvalid, language),
                )
            };
            write(&*txn, vec![reply(event, language, Some(&c), body)], now).await?;
            txn.commit().await?;
            super::wake();
            Ok(if bound == 1 {
                BotReply::Linked { case_code: c.code }
            } else {
                BotReply::LinkInvalid
            })
        }
        "/stop" => {
            let bound = notice_contact::Entity::find()
                .filter(notice_contact::Column::TelegramChatId.eq(chat_id))
                .all(db)
                .await?;
            let language = bound
                .first()
                .and_then(|k| Locale::from_code(&k.language))
                .unwrap_or_else(|| chat_language(language_code));
            let txn = begin_write(db).await?;
            let stopped = notice_contact::Entity::update_many()
                .col_expr(
                    notice_contact::Column::TelegramChatId,
                    sea_orm::sea_query::Expr::value(Option::<String>::None),
                )
                .filter(notice_contact::Column::TelegramChatId.eq(chat_id))
                .exec(&*txn)
                .await?
                .rows_affected;
            let body = templates.get(NoticeEvent::Stopped, language);
            write(
                &*txn,
                vec![reply(NoticeEvent::Stopped, language, None, body)],
                now,
            )
            .await?;
            txn.commit().await?;
            super::wake();
            Ok(BotReply::Stopped { cases: stopped })
        }
        _ => Ok(BotReply::Ignored),
    }
}

/// The citizen's "stop messages" on the status page: no more SMS or Telegram for the case.
pub async fn stop_case(
    db: &DatabaseConnection,
    c: &case::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    match notice_contact::Entity::find_by_id(c.id).one(&*txn).await? {
        Some(existing) => {
            let mut m: notice_contact::ActiveModel = existing.into();
            m.stopped_at = Set(Some(now));
            m.telegram_chat_id = Set(None);
            m.telegram_token = Set(None);
            m.update(&*txn).await?;
        }
        None => {
            notice_contact::ActiveModel {
                case_id: Set(c.id),
                language: Set(Locale::Km.code().into()),
                sms_phone: Set(None),
                telegram_chat_id: Set(None),
                telegram_token: Set(None),
                telegram_token_expires_at: Set(None),
                stopped_at: Set(Some(now)),
                created_at: Set(now),
            }
            .insert(&*txn)
            .await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
