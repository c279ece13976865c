//! Where notices go: the Telegram bot, an HTTP SMS gateway and the log, each configured from the
//! environment. With none configured, messages are kept as `no_channel` for staff to see.

use std::time::Duration;

use super::Secret;

#[derive(Debug, Clone, Default)]
pub struct NoticeSettings {
    pub telegram: Option<TelegramSettings>,
    pub sms: Option<SmsSettings>,
    /// `OWSO_NOTICE_LOG`: deliver messages of any channel without a gateway to the server log,
    /// phones masked. For the demo and development.
    pub log: bool,
    /// `OWSO_NOTICE_CONCURRENCY`: messages in flight at once per server.
    pub concurrency: usize,
}

/// `OWSO_TELEGRAM_BOT_TOKEN`, `OWSO_TELEGRAM_WEBHOOK_SECRET`, `OWSO_TELEGRAM_BOT_NAME` and
/// `OWSO_TELEGRAM_API` (the Bot API's address, `https://api.telegram.org` by default).
#[derive(Debug, Clone)]
pub struct TelegramSettings {
    pub token: Secret,
    /// Telegram sends it in `X-Telegram-Bot-Api-Secret-Token` with every webhook call.
    pub webhook_secret: Secret,
    /// The bot's username, for `t.me/<bot>?start=<token>` links.
    pub bot_name: String,
    pub api_url: String,
}

/// How the SMS gateway wants its POST body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsBodyFormat {
    Json,
    Form,
}

/// `OWSO_SMS_URL`, `OWSO_SMS_AUTH_HEADER` (`Name: value`), `OWSO_SMS_FORMAT` (`json` or `form`)
/// and `OWSO_SMS_BODY`, a body template with `{to}` (`855…`), `{text}` and `{key}` (the
/// message's idempotency key), escaped for the format.
#[derive(Debug, Clone)]
pub struct SmsSettings {
    pub url: String,
    pub auth_header: Option<(String, Secret)>,
    pub format: SmsBodyFormat,
    pub body: String,
}

pub const DEFAULT_TELEGRAM_API: &str = "https://api.telegram.org";
pub const DEFAULT_SMS_JSON_BODY: &str = r#"{"to":"{to}","text":"{text}","id":"{key}"}"#;
pub const DEFAULT_SMS_FORM_BODY: &str = "to={to}&text={text}&id={key}";

fn http_url(name: &str, url: String) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/').to_string();
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(format!(
            "{name}: {url:?} must start with http:// or https://"
        ))
    }
}

fn present(lookup: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub(super) fn notices_from(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<NoticeSettings, String> {
    let telegram = match present(lookup, "OWSO_TELEGRAM_BOT_TOKEN") {
        None => None,
        Some(token) => {
            let webhook_secret = present(lookup, "OWSO_TELEGRAM_WEBHOOK_SECRET").ok_or(
                "OWSO_TELEGRAM_WEBHOOK_SECRET: required with OWSO_TELEGRAM_BOT_TOKEN, so that \
                 forged webhook calls are refused",
            )?;
            // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and - in the secret.
            if webhook_secret.len() > 256
                || !webhook_secret
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err("OWSO_TELEGRAM_WEBHOOK_SECRET: 1-256 of A-Z, a-z, 0-9, _ and -".into());
            }
            let bot_name = present(lookup, "OWSO_TELEGRAM_BOT_NAME")
                .ok_or("OWSO_TELEGRAM_BOT_NAME: required with OWSO_TELEGRAM_BOT_TOKEN")?
                .trim_start_matches('@')
                .to_string();
            let api_url = http_url(
                "OWSO_TELEGRAM_API",
                present(lookup, "OWSO_TELEGRAM_API").unwrap_or_else(|| DEFAULT_TELEGRAM_API.into()),
            )?;
            Some(TelegramSettings {
                token: Secret::new(token),
                webhook_secret: Secret::new(webhook_secret),
                bot_name,
                api_url,
            })
        }
    };
    let sms = match present(lookup, "OWSO_SMS_URL") {
        None => None,
        Some(url) => {
            let url = http_url("OWSO_SMS_URL", url)?;
            let format = match present(lookup, "OWSO_SMS_FORMAT").as_deref() {
                None | Some("json") => SmsBodyFormat::Json,
                Some("form") => SmsBodyFormat::Form,
                Some(v) => return Err(format!("OWSO_SMS_FORMAT: {v:?} is not json or form")),
            };
            let auth_header = match present(lookup, "OWSO_SMS_AUTH_HEADER") {
                None => None,
                Some(line) => {
                    let (name, value) = line.split_once(':').ok_or(
                        "OWSO_SMS_AUTH_HEADER: write it as `Name: value`, e.g. `Authorization: Bearer …`",
                    )?;
                    Some((
                        name.trim().to_string(),
                        Secret::new(value.trim().to_string()),
                    ))
                }
            };
            let body = present(lookup, "OWSO_SMS_BODY").unwrap_or_else(|| {
                match format {
                    SmsBodyFormat::Json => DEFAULT_SMS_JSON_BODY,
                    SmsBodyFormat::Form => DEFAULT_SMS_FORM_BODY,
                }
                .to_string()
            });
            if !body.contains("{to}") || !body.contains("{text}") {
                return Err("OWSO_SMS_BODY: must contain {to} and {text}".into());
            }
            Some(SmsSettings {
                url,
                auth_header,
                format,
                body,
            })
        }
    };
    let log = match present(lookup, "OWSO_NOTICE_LOG").as_deref() {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") => true,
        Some(v) => return Err(format!("OWSO_NOTICE_LOG: {v:?} is not true or false")),
    };
    let concurrency = match present(lookup, "OWSO_NOTICE_CONCURRENCY") {
        None => 8,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=256).contains(n))
            .ok_or_else(|| {
                format!("OWSO_NOTICE_CONCURRENCY: {v:?} is not a number from 1 to 256")
            })?,
    };
    Ok(NoticeSettings {
        telegram,
        sms,
        log,
        concurrency,
    })
}

/// How long the sender sleeps when nothing is due, unless a new message wakes it.
pub const SENDER_IDLE: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<NoticeSettings, String> {
        notices_from(&|name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn nothing_configured_means_no_gateway() {
        let s = with(&[]).unwrap();
        assert!(s.telegram.is_none() && s.sms.is_none() && !s.log);
        assert_eq!(s.concurrency, 8);
    }

    #[test]
    fn telegram_needs_its_webhook_secret_and_never_prints_secrets() {
        assert!(with(&[("OWSO_TELEGRAM_BOT_TOKEN", "123:abc")]).is_err());
        let s = with(&[
            ("OWSO_TELEGRAM_BOT_TOKEN", "123:abc"),
            ("OWSO_TELEGRAM_WEBHOOK_SECRET", "s3cret_x"),
            ("OWSO_TELEGRAM_BOT_NAME", "@owso_bot"),
        ])
        .unwrap();
        let t = s.telegram.unwrap();
        assert_eq!(t.bot_name, "owso_bot");
        assert_eq!(t.api_url, DEFAULT_TELEGRAM_API);
        let printed = format!("{t:?}");
        assert!(!printed.contains("123:abc") && !printed.contains("s3cret_x"));
        assert!(with(&[
            ("OWSO_TELEGRAM_BOT_TOKEN", "123:abc"),
            ("OWSO_TELEGRAM_WEBHOOK_SECRET", "has space"),
            ("OWSO_TELEGRAM_BOT_NAME", "b"),
        ])
        .is_err());
    }

    #[test]
    fn sms_gateway_body_and_header() {
        let s = with(&[
            ("OWSO_SMS_URL", "https://sms.example/send/"),
            ("OWSO_SMS_AUTH_HEADER", "Authorization: Bearer k"),
            ("OWSO_SMS_FORMAT", "form"),
        ])
        .unwrap()
        .sms
        .unwrap();
        assert_eq!(s.url, "https://sms.example/send");
        assert_eq!(s.format, SmsBodyFormat::Form);
        assert_eq!(s.body, DEFAULT_SMS_FORM_BODY);
        assert_eq!(s.auth_header.as_ref().unwrap().0, "Authorization");
        assert!(!format!("{s:?}").contains("Bearer k"));
        assert!(with(&[("OWSO_SMS_URL", "ftp://x")]).is_err());
        assert!(with(&[("OWSO_SMS_URL", "https://x"), ("OWSO_SMS_BODY", "{to}")]).is_err());
        assert!(with(&[("OWSO_SMS_URL", "https://x"), ("OWSO_SMS_AUTH_HEADER", "k")]).is_err());
    }
}
