//! What the notice screens show: a case's messages, an office's failed ones, the templates and
//! a citizen's contact settings.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::notice::{NoticeChannel, NoticeEvent, NoticeStatus};

/// One message of the outbox as staff see it; the recipient is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub case_code: Option<String>,
    pub event: NoticeEvent,
    pub channel: NoticeChannel,
    pub status: NoticeStatus,
    pub attempts: i32,
    pub recipient: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// An office's messages that need a person: dead ones and ones no gateway could take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeNotices {
    pub office_code: String,
    pub failed: Vec<NoticeView>,
    pub waiting: i64,
    pub sent_today: i64,
}

/// An event's template in both languages, as used now, with the locale files' default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeTemplateView {
    pub event: NoticeEvent,
    pub body_km: String,
    pub body_en: String,
    pub default_km: String,
    pub default_en: String,
    pub edited: bool,
    pub placeholders: Vec<String>,
    /// Example values for the preview, one per placeholder.
    pub sample: Vec<(String, String)>,
}

/// What a citizen is told about their messages on the status page and the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NoticeContactView {
    pub language: String,
    /// The SMS number, masked, when SMS is on.
    pub sms_phone: Option<String>,
    pub telegram_bound: bool,
    /// `https://t.me/<bot>?start=<token>`, while the case has no chat and the bot is set up.
    pub telegram_link: Option<String>,
    pub stopped: bool,
}
