//! Notices to citizens: which events send one, what a template may say, how an SMS is counted and
//! how a failed delivery is retried. Pure: the outbox, the sender and the gateways build on it.

use std::time::Duration;

crate::domain::stored_enum! {
    /// What a notice tells. Stored in `outbox.event` and `notice_templates.event`.
    pub enum NoticeEvent {
        Registered,
        Returned,
        Rejected,
        Ready,
        Delivered,
        ComplaintAnswered,
        /// The bot's answer when a citizen presses Start with a valid link.
        TelegramLinked,
        /// The bot's answer to a link that is unknown, used or expired.
        TelegramLinkInvalid,
        /// The answer to a citizen who stops messages.
        Stopped,
    }
}

crate::domain::stored_enum! {
    /// How a notice reaches the citizen. Stored in `outbox.channel`.
    pub enum NoticeChannel {
        Sms,
        Telegram,
    }
}

crate::domain::stored_enum! {
    /// Where a message stands. `NoChannel` is kept, never dropped: no gateway was configured for
    /// its channel, and staff see it; an admin may send it again once one is.
    pub enum NoticeStatus {
        Pending,
        Retrying,
        Sent,
        Dead,
        NoChannel,
    }
}

/// A message is given up, and marked dead, after this many failed tries.
pub const MAX_ATTEMPTS: i32 = 8;
/// A Telegram start link works once, for this long.
pub const TELEGRAM_LINK_DAYS: i64 = 30;
/// The stored phone or chat is removed from a message this long after it was sent.
pub const RECIPIENT_KEPT_DAYS: i64 = 90;
/// The registered notice in Khmer must fit this many SMS segments.
pub const REGISTERED_MAX_SEGMENTS: usize = 2;
pub const MAX_TEMPLATE_CHARS: usize = 600;

impl NoticeEvent {
    pub const ALL: [NoticeEvent; 9] = [
        NoticeEvent::Registered,
        NoticeEvent::Returned,
        NoticeEvent::Rejected,
        NoticeEvent::Ready,
        NoticeEvent::Delivered,
        NoticeEvent::ComplaintAnswered,
        NoticeEvent::TelegramLinked,
        NoticeEvent::TelegramLinkInvalid,
        NoticeEvent::Stopped,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NoticeEvent::Registered => "registered",
            NoticeEvent::Returned => "returned",
            NoticeEvent::Rejected => "rejected",
            NoticeEvent::Ready => "ready",
            NoticeEvent::Delivered => "delivered",
            NoticeEvent::ComplaintAnswered => "complaint_answered",
            NoticeEvent::TelegramLinked => "telegram_linked",
            NoticeEvent::TelegramLinkInvalid => "telegram_link_invalid",
            NoticeEvent::Stopped => "stopped",
        }
    }

    pub fn from_id(id: &str) -> Option<NoticeEvent> {
        Self::ALL.into_iter().find(|e| e.id() == id)
    }

    /// The placeholders a template of this event may use. None of them can carry a PIN, an ID
    /// number or a date of birth: those never leave the office in a message.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            NoticeEvent::Registered => &["code", "service", "due", "link"],
            NoticeEvent::Returned => &["code", "service", "comment", "link"],
            NoticeEvent::Rejected => &["code", "service", "comment", "link"],
            NoticeEvent::Ready => &["code", "service", "office", "address", "hours"],
            NoticeEvent::Delivered => &["code", "service", "rate_link"],
            NoticeEvent::ComplaintAnswered => &["number", "answer", "link"],
            NoticeEvent::TelegramLinked => &["code", "service", "link"],
            NoticeEvent::TelegramLinkInvalid | NoticeEvent::Stopped => &[],
        }
    }

    /// The placeholder shortened, when one must be, to keep an SMS within its segments.
    fn shrinkable(self) -> Option<&'static str> {
        match self {
            NoticeEvent::Registered
            | NoticeEvent::Ready
            | NoticeEvent::Delivered
            | NoticeEvent::TelegramLinked => Some("service"),
            NoticeEvent::Returned | NoticeEvent::Rejected => Some("comment"),
            NoticeEvent::ComplaintAnswered => Some("answer"),
            NoticeEvent::TelegramLinkInvalid | NoticeEvent::Stopped => None,
        }
    }

    /// The most SMS segments a rendered message of this event may take; longer text is
    /// shortened in its shrinkable placeholder.
    pub fn max_segments(self) -> usize {
        match self {
            NoticeEvent::Registered => REGISTERED_MAX_SEGMENTS,
            _ => 4,
        }
    }

    /// The locale key of the event's name, e.g. `notice_event_ready`.
    pub fn text_key(self) -> String {
        format!("notice_event_{}", self.id())
    }

    /// The locale key of the default template, e.g. `notice_tpl_ready`.
    pub fn template_key(self) -> String {
        format!("notice_tpl_{}", self.id())
    }
}

impl NoticeChannel {
    pub fn id(self) -> &'static str {
        match self {
            NoticeChannel::Sms => "sms",
            NoticeChannel::Telegram => "telegram",
        }
    }
}

impl NoticeStatus {
    pub const ALL: [NoticeStatus; 5] = [
        NoticeStatus::Pending,
        NoticeStatus::Retrying,
        NoticeStatus::Sent,
        NoticeStatus::Dead,
        NoticeStatus::NoChannel,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NoticeStatus::Pending => "pending",
            NoticeStatus::Retrying => "retrying",
            NoticeStatus::Sent => "sent",
            NoticeStatus::Dead => "dead",
            NoticeStatus::NoChannel => "no_channel",
        }
    }

    /// Failed for good, or never sent for want of a gateway: an office admin may send it again.
    pub fn can_retry(self) -> bool {
        matches!(self, NoticeStatus::Dead | NoticeStatus::NoChannel)
    }
}

/// What is wrong with a template, by locale key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    Empty,
    TooLong,
    /// `{name}` is not a placeholder of this event, or a brace is left open.
    UnknownPlaceholder(String),
}

impl TemplateError {
    pub fn text_key(&self) -> &'static str {
        match self {
            TemplateError::Empty => "err_required",
            TemplateError::TooLong => "err_too_long",
            TemplateError::UnknownPlaceholder(_) => "err_notice_placeholder",
        }
    }
}

/// A template split into literal text and placeholders.
enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
}

fn pieces(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| TemplateError::UnknownPlaceholder(after.chars().take(20).collect()))?;
        out.push(Piece::Slot(&after[..close]));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Checks a template an admin wrote: not empty, not too long, and only the event's placeholders.
pub fn validate_template(event: NoticeEvent, template: &str) -> Result<(), TemplateError> {
    let template = template.trim();
    if template.is_empty() {
        return Err(TemplateError::Empty);
    }
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(TemplateError::TooLong);
    }
    for piece in pieces(template)? {
        if let Piece::Slot(name) = piece {
            if !event.placeholders().contains(&name) {
                return Err(TemplateError::UnknownPlaceholder(name.to_string()));
            }
        }
    }
    Ok(())
}

/// Fills a template's placeholders. An unknown placeholder is left out rather than shown raw;
/// templates are validated when saved, so that only happens to a template saved before a
/// placeholder was withdrawn.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let Ok(pieces) = pieces(template) else {
        return template.to_string();
    };
    let mut out = String::with_capacity(template.len() + 64);
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Slot(name) => {
                if let Some((_, v)) = values.iter().find(|(k, _)| *k == name) {
                    out.push_str(v);
                }
            }
        }
    }
    out
}

/// Renders a message. For SMS it is kept within the event's segments by shortening the event's
/// shrinkable value (a service name, a comment) with an ellipsis; everything else, the code and
/// the link above all, is kept whole.
pub fn render(
    event: NoticeEvent,
    template: &str,
    values: &[(&str, &str)],
    channel: NoticeChannel,
) -> String {
    let text = fill(template.trim(), values);
    if channel != NoticeChannel::Sms || sms_segments(&text).segments <= event.max_segments() {
        return text;
    }
    let Some(name) = event.shrinkable() else {
        return text;
    };
    let Some(full) = values.iter().find(|(k, _)| *k == name).map(|(_, v)| *v) else {
        return text;
    };
    let chars: Vec<char> = full.chars().collect();
    // Shortest first would be wasteful; halve the cut until it fits, then grow it back.
    let fits = |keep: usize| {
        let short: String = chars[..keep].iter().collect::<String>() + "…";
        let vals: Vec<(&str, &str)> = values
            .iter()
            .map(|&(k, v)| {
                if k == name {
                    (k, short.as_str())
                } else {
                    (k, v)
                }
            })
            .collect();
        let text = fill(template.trim(), &vals);
        (sms_segments(&text).segments <= event.max_segments()).then_some(text)
    };
    let (mut low, mut high) = (0usize, chars.len());
    let mut best = fits(0);
    while low < high {
        let mid = (low + high).div_ceil(2);
        match fits(mid) {
            Some(text) => {
                best = Some(text);
                low = mid;
            }
            None => high = mid - 1,
        }
    }
    best.unwrap_or(text)
}

/// How an SMS is encoded and how many parts it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsCount {
    /// True when the text needs UCS-2 (any Khmer letter does); false for the GSM 7-bit alphabet.
    pub unicode: bool,
    /// Characters as the network counts them: UTF-16 units for UCS-2, septets for GSM.
    pub units: usize,
    pub segments: usize,
}

/// The GSM 03.38 basic alphabet; the extension table's characters count two septets.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// Counts an SMS's segments: 160 septets alone or 153 per part in GSM, 70 UTF-16 units alone or
/// 67 per part in UCS-2 (a multi-part message spends the rest on its header).
pub fn sms_segments(text: &str) -> SmsCount {
    let mut septets = 0usize;
    let mut gsm = true;
    for c in text.chars() {
        if GSM_BASIC.contains(c) {
            septets += 1;
        } else if GSM_EXTENDED.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    let (unicode, units, single, part) = if gsm {
        (false, septets, 160, 153)
    } else {
        (true, text.encode_utf16().count(), 70, 67)
    };
    let segments = match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    };
    SmsCount {
        unicode,
        units,
        segments,
    }
}

/// How long to wait before try `attempts + 1`, after `attempts` failed: 30 s doubled each time,
/// capped at 6 h, with `jitter` (0.0 to 1.0) spreading it by up to a quarter either way so that
/// messages failed together do not come back together.
pub fn backoff(attempts: i32, jitter: f64) -> Duration {
    let base = 30.0 * 2f64.powi(attempts.clamp(1, 20) - 1);
    let capped = base.min(6.0 * 3600.0);
    let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
    Duration::from_secs_f64(capped * spread)
}

/// A phone number as logs may show it: the prefix and the last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 5))
}

/// The international form SMS gateways take: `0XXXXXXXX` becomes `855XXXXXXXX`.
pub fn international(phone: &str) -> String {
    match phone.strip_prefix('0') {
        Some(rest) => format!("855{rest}"),
        None => phone.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn khmer_counts_in_utf16_units_of_70_then_67() {
        let one = "ក".repeat(70);
        assert_eq!(
            sms_segments(&one),
            SmsCount {
                unicode: true,
                units: 70,
                segments: 1
            }
        );
        assert_eq!(sms_segments(&"ក".repeat(71)).segments, 2);
        assert_eq!(sms_segments(&"ក".repeat(134)).segments, 2);
        assert_eq!(sms_segments(&"ក".repeat(135)).segments, 3);
    }

    #[test]
    fn latin_text_is_gsm_and_extension_characters_count_twice() {
        assert_eq!(sms_segments(&"a".repeat(160)).segments, 1);
        assert_eq!(sms_segments(&"a".repeat(161)).segments, 2);
        let braces = sms_segments("{}");
        assert!(!braces.unicode);
        assert_eq!(braces.units, 4);
        // One Khmer letter turns the whole message into UCS-2.
        let mixed = sms_segments(&("a".repeat(100) + "ក"));
        assert!(mixed.unicode);
        assert_eq!(mixed.segments, 2);
        assert_eq!(sms_segments("").segments, 0);
    }

    #[test]
    fn templates_take_only_their_events_placeholders() {
        assert_eq!(
            validate_template(NoticeEvent::Registered, "{code} {due} {link}"),
            Ok(())
        );
        assert_eq!(
            validate_template(NoticeEvent::Registered, "PIN {pin}"),
            Err(TemplateError::UnknownPlaceholder("pin".into()))
        );
        assert!(matches!(
            validate_template(NoticeEvent::Ready, "{code"),
            Err(TemplateError::UnknownPlaceholder(_))
        ));
        assert_eq!(
            validate_template(NoticeEvent::Stopped, "  "),
            Err(TemplateError::Empty)
        );
        let long = "x".repeat(MAX_TEMPLATE_CHARS + 1);
        assert_eq!(
            validate_template(NoticeEvent::Stopped, &long),
            Err(TemplateError::TooLong)
        );
    }

    #[test]
    fn no_event_offers_a_secret_placeholder() {
        for event in NoticeEvent::ALL {
            for p in event.placeholders() {
                assert!(!["pin", "id_card", "date_of_birth", "dob"].contains(p));
            }
        }
    }

    #[test]
    fn a_long_service_name_is_shortened_to_keep_the_segments_and_the_link_whole() {
        let link = "https://owso.gov.kh/track/120101-26-000123";
        let service = "ក".repeat(200);
        let values = [
            ("code", "120101-26-000123"),
            ("service", service.as_str()),
            ("due", "១២/១២/២០២៦"),
            ("link", link),
        ];
        let text = render(
            NoticeEvent::Registered,
            "ពាក្យ {code} {service} រួច {due} {link}",
            &values,
            NoticeChannel::Sms,
        );
        assert!(sms_segments(&text).segments <= REGISTERED_MAX_SEGMENTS);
        assert!(text.contains(link) && text.contains("120101-26-000123"));
        assert!(text.contains('…'));
        // The longest name that fits is kept: one more letter would not fit.
        let kept = text.chars().filter(|c| *c == 'ក').count();
        let longer = fill(
            "ពាក្យ {code} {service} រួច {due} {link}",
            &[
                ("code", "120101-26-000123"),
                ("service", &("ក".repeat(kept + 1) + "…")),
                ("due", "១២/១២/២០២៦"),
                ("link", link),
            ],
        );
        assert!(sms_segments(&longer).segments > REGISTERED_MAX_SEGMENTS);
        // Telegram has no segments: nothing is cut.
        let full = render(
            NoticeEvent::Registered,
            "{service}",
            &values,
            NoticeChannel::Telegram,
        );
        assert_eq!(full, service);
    }

    #[test]
    fn back_off_doubles_with_jitter_and_is_capped() {
        assert_eq!(backoff(1, 0.5), Duration::from_secs(30));
        assert_eq!(backoff(2, 0.5), Duration::from_secs(60));
        assert!(backoff(3, 0.0) < backoff(3, 1.0));
        assert_eq!(backoff(40, 0.5), Duration::from_secs(6 * 3600));
    }

    #[test]
    fn phones_are_masked_and_made_international() {
        assert_eq!(mask_phone("012345678"), "012****78");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(international("012345678"), "85512345678");
    }
}
