//! The gateways a notice leaves by: the Telegram Bot API, an HTTP SMS gateway, or the server log.
//!
//! `deliver` sends one message and says what became of it; it never retries by itself (the
//! sender's outbox does, with its back-off or the wait a gateway asked for).
//!
//! Secrets stay out of every error string and log line: the bot token is part of the Bot API's
//! URL, so reqwest's errors are stripped of their URL and what is left is scrubbed of the token
//! again; the SMS gateway's answers are never quoted, since they may repeat the phone number.

use std::time::Duration;

use app::{
    backend::settings::{NoticeSettings, SmsBodyFormat, SmsSettings},
    domain::notice::{international, mask_phone, NoticeChannel},
};
use reqwest::{
    header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER},
    StatusCode,
};
use serde::Deserialize;

/// How long a gateway may take to answer before the message is tried again later.
const TIMEOUT: Duration = Duration::from_secs(10);
/// A gateway asking for a longer wait than this is waited for this long.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);
/// At most this much of a Telegram error description is kept.
const MAX_DESCRIPTION: usize = 160;

/// One message to send.
pub struct Outgoing<'a> {
    pub channel: NoticeChannel,
    /// A phone `0XXXXXXXX` for SMS, a chat id for Telegram.
    pub recipient: &'a str,
    pub body: &'a str,
    /// The same for every try of one message: the SMS gateway may drop a repeat.
    pub idempotency_key: &'a str,
}

/// What became of one try: the outbox's own record of an answer (sent, retry after, failed for
/// good, no gateway), so the sender stores what the gateway said without translating it.
pub use app::backend::notices::Outcome as Delivery;

struct Telegram {
    /// `{api_url}/bot{token}/sendMessage`: it holds the token, so it is never printed.
    send_url: String,
    token: String,
}

struct Sms {
    url: String,
    auth_header: Option<(HeaderName, HeaderValue)>,
    format: SmsBodyFormat,
    body: String,
}

/// The configured gateways. Cheap to clone: the HTTP client is shared.
#[derive(Clone)]
pub struct Gateways {
    http: reqwest::Client,
    telegram: Option<std::sync::Arc<Telegram>>,
    sms: Option<std::sync::Arc<Sms>>,
    log: bool,
}

impl std::fmt::Debug for Gateways {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateways")
            .field("telegram", &self.telegram.is_some())
            .field("sms", &self.sms.is_some())
            .field("log", &self.log)
            .finish()
    }
}

impl Gateways {
    pub fn new(settings: &NoticeSettings) -> Result<Self, String> {
        Self::with_timeout(settings, TIMEOUT)
    }

    /// Gateways that give up on an answer after `timeout`.
    pub fn with_timeout(settings: &NoticeSettings, timeout: Duration) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map_err(|e| format!("notice gateways: {}", e.without_url()))?;
        let telegram = settings.telegram.as_ref().map(|t| {
            std::sync::Arc::new(Telegram {
                send_url: format!(
                    "{}/bot{}/sendMessage",
                    t.api_url.trim_end_matches('/'),
                    t.token.expose()
                ),
                token: t.token.expose().to_string(),
            })
        });
        let sms = settings
            .sms
            .as_ref()
            .map(sms_of)
            .transpose()?
            .map(std::sync::Arc::new);
        Ok(Self {
            http,
            telegram,
            sms,
            log: settings.log,
        })
    }

    /// Sends one message through its channel's gateway, or the log, and says what became of it.
    pub async fn deliver(&self, message: &Outgoing<'_>) -> Delivery {
        match message.channel {
            NoticeChannel::Telegram => match &self.telegram {
                Some(telegram) => self.telegram(telegram, message).await,
                None if self.log => log(message),
                None => Delivery::NoChannel,
            },
            NoticeChannel::Sms => match &self.sms {
                Some(sms) => self.sms(sms, message).await,
                None if self.log => log(message),
                None => Delivery::NoChannel,
            },
        }
    }

    async fn telegram(&self, telegram: &Telegram, message: &Outgoing<'_>) -> Delivery {
        // A numeric chat id goes as a number, as the Bot API documents it; `@channel` as text.
        let chat_id = match message.recipient.trim().parse::<i64>() {
            Ok(id) => serde_json::Value::from(id),
            Err(_) => serde_json::Value::from(message.recipient.trim()),
        };
        let request = serde_json::json!({
            "chat_id": chat_id,
            "text": message.body,
            "disable_web_page_preview": true,
        });
        let scrub = |error: String| scrub(error, &[&telegram.token]);
        let response = match self
            .http
            .post(&telegram.send_url)
            .json(&request)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => return transport("telegram", e, scrub),
        };
        let status = response.status();
        let header_wait = retry_after_header(response.headers());
        let answer: Option<TelegramAnswer> = match response.bytes().await {
            Ok(bytes) => serde_json::from_slice(&bytes).ok(),
            // The gateway answered 2xx but the body was cut off: it has the message.
            Err(_) if status.is_success() => None,
            Err(e) => return transport("telegram", e, scrub),
        };
        let refused = answer.as_ref().is_some_and(|a| !a.ok);
        if status.is_success() && !refused {
            return Delivery::Sent;
        }
        // The answer's own code, should a proxy have changed the HTTP status.
        let code = answer
            .as_ref()
            .and_then(|a| a.error_code)
            .and_then(|c| StatusCode::from_u16(c).ok())
            .filter(|c| c.is_client_error() || c.is_server_error())
            .unwrap_or(status);
        let description = answer
            .as_ref()
            .and_then(|a| a.description.as_deref())
            .map(|d| format!(": {}", short(d)))
            .unwrap_or_default();
        let error = scrub(format!("telegram: HTTP {}{description}", code.as_u16()));
        if code == StatusCode::TOO_MANY_REQUESTS {
            let after = answer
                .as_ref()
                .and_then(|a| a.parameters.as_ref())
                .and_then(|p| p.retry_after)
                .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER))
                .or(header_wait);
            Delivery::Retry { after, error }
        } else if retryable(code) || !code.is_client_error() {
            Delivery::Retry { after: None, error }
        } else {
            Delivery::Failed { error }
        }
    }

    async fn sms(&self, sms: &Sms, message: &Outgoing<'_>) -> Delivery {
        let Ok(key) = HeaderValue::from_str(message.idempotency_key) else {
            return Delivery::Failed {
                error: "sms: the idempotency key is not a valid header value".into(),
            };
        };
        let to = international(message.recipient.trim());
        let body = fill_body(
            &sms.body,
            sms.format,
            &to,
            message.body,
            message.idempotency_key,
        );
        let content_type = match sms.format {
            SmsBodyFormat::Json => "application/json",
            SmsBodyFormat::Form => "application/x-www-form-urlencoded",
        };
        let mut request = self
            .http
            .post(&sms.url)
            .header(CONTENT_TYPE, content_type)
            .header("Idempotency-Key", key)
            .body(body);
        if let Some((name, value)) = &sms.auth_header {
            request = request.header(name.clone(), value.clone());
        }
        let secret = sms
            .auth_header
            .as_ref()
            .and_then(|(_, v)| v.to_str().ok())
            .unwrap_or_default();
        let scrub = |error: String| scrub(error, &[secret, message.recipient.trim(), &to]);
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return transport("sms", e, scrub),
        };
        let status = response.status();
        if status.is_success() {
            return Delivery::Sent;
        }
        // The answer's body is not quoted: a gateway may repeat the number in it.
        let error = format!("sms: HTTP {}", status.as_u16());
        if status == StatusCode::TOO_MANY_REQUESTS {
            Delivery::Retry {
                after: retry_after_header(response.headers()),
                error,
            }
        } else if retryable(status) || !status.is_client_error() {
            Delivery::Retry { after: None, error }
        } else {
            Delivery::Failed { error }
        }
    }
}

fn sms_of(settings: &SmsSettings) -> Result<Sms, String> {
    let auth_header = match &settings.auth_header {
        None => None,
        Some((written, value)) => {
            let name = HeaderName::from_bytes(written.trim().as_bytes())
                .map_err(|_| format!("OWSO_SMS_AUTH_HEADER: {written:?} is not a header name"))?;
            // The value is a secret: the message names the header only.
            let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
                format!("OWSO_SMS_AUTH_HEADER: the value of {written} is not a valid header value")
            })?;
            value.set_sensitive(true);
            Some((name, value))
        }
    };
    Ok(Sms {
        url: settings.url.clone(),
        auth_header,
        format: settings.format,
        body: settings.body.clone(),
    })
}

/// The Bot API's answer: `{"ok":true,"result":…}` or
/// `{"ok":false,"error_code":N,"description":"…","parameters":{"retry_after":S}}`.
#[derive(Deserialize)]
struct TelegramAnswer {
    ok: bool,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<TelegramParameters>,
}

#[derive(Deserialize)]
struct TelegramParameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

/// Worth another try: the request timed out, the gateway is throttling, or it failed itself.
fn retryable(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// `Retry-After` in seconds; the HTTP-date form is left to the sender's back-off.
fn retry_after_header(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// A failed request, told without its URL: a timeout or a refused connection is tried again,
/// and so is anything else that went wrong on the way (nothing was answered).
fn transport(gateway: &str, e: reqwest::Error, scrub: impl Fn(String) -> String) -> Delivery {
    let what = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else if e.is_builder() {
        // A request that cannot be built will not be built next time either.
        return Delivery::Failed {
            error: scrub(format!("{gateway}: the request could not be built")),
        };
    } else {
        short(&e.without_url().to_string())
    };
    Delivery::Retry {
        after: None,
        error: scrub(format!("{gateway}: {what}")),
    }
}

/// Takes every secret (a token, a phone number) out of an error string, however it got there.
fn scrub(mut text: String, secrets: &[&str]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= 3) {
        text = text.replace(secret, "…");
    }
    text
}

fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_DESCRIPTION {
        text.to_string()
    } else {
        text.chars().take(MAX_DESCRIPTION).collect::<String>() + "…"
    }
}

/// The log adapter: one line, the phone masked and only the end of a chat id shown.
fn log(message: &Outgoing<'_>) -> Delivery {
    let to = match message.channel {
        NoticeChannel::Sms => mask_phone(message.recipient),
        NoticeChannel::Telegram => {
            let chars: Vec<char> = message.recipient.chars().collect();
            let tail: String = chars[chars.len().saturating_sub(3)..].iter().collect();
            format!("…{tail}")
        }
    };
    tracing::info!(
        channel = message.channel.id(),
        to = %to,
        key = message.idempotency_key,
        body = message.body,
        "notice (log adapter)"
    );
    Delivery::Sent
}

/// The SMS gateway's body: the template with `{to}`, `{text}` and `{key}` replaced by their
/// values escaped for the format, in one pass (a value that itself reads `{key}` stays as it is).
/// Anything else in the template, the braces of a JSON object included, is kept.
fn fill_body(template: &str, format: SmsBodyFormat, to: &str, text: &str, key: &str) -> String {
    let escape = |value: &str| match format {
        SmsBodyFormat::Json => json_contents(value),
        SmsBodyFormat::Form => form_encode(value),
    };
    let slots = [("{to}", to), ("{text}", text), ("{key}", key)];
    let mut out = String::with_capacity(template.len() + text.len() * 3);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        match slots.iter().find(|(slot, _)| rest.starts_with(slot)) {
            Some((slot, value)) => {
                out.push_str(&escape(value));
                rest = &rest[slot.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A value as the contents of a JSON string, without the quotes around it.
fn json_contents(value: &str) -> String {
    let quoted = serde_json::Value::from(value).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// `application/x-www-form-urlencoded`: letters, digits and `*-._` as they are, a space as `+`,
/// every other byte of the UTF-8 as `%XX`.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::backend::settings::Secret;

    const JSON_BODY: &str = r#"{"to":"{to}","text":"{text}","id":"{key}"}"#;
    const FORM_BODY: &str = "to={to}&text={text}&id={key}";

    fn form_decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_json_body_escapes_quotes_and_keeps_khmer() {
        let text = "ពាក្យ \"១២៣\" & ready\\ok\nline";
        let body = fill_body(JSON_BODY, SmsBodyFormat::Json, "85512345678", text, "k-1");
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["to"], "85512345678");
        assert_eq!(parsed["text"], text);
        assert_eq!(parsed["id"], "k-1");
        // Khmer goes as UTF-8, not as \u escapes.
        assert!(body.contains("ពាក្យ"));
        assert_eq!(json_contents("a\"b"), "a\\\"b");
    }

    #[test]
    fn a_form_body_percent_encodes_every_value() {
        let text = "ពាក្យ a&b=c d+e%";
        let body = fill_body(FORM_BODY, SmsBodyFormat::Form, "85512345678", text, "k 1");
        assert!(!body.contains(' ') && !body.contains("ព"));
        let pairs: Vec<(&str, &str)> = body
            .split('&')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[0], ("to", "85512345678"));
        assert_eq!(pairs[1].0, "text");
        assert_eq!(form_decode(pairs[1].1), text);
        assert_eq!(form_decode(pairs[2].1), "k 1");
        assert_eq!(form_encode("a b&c=d"), "a+b%26c%3Dd");
        assert_eq!(form_encode("ក"), "%E1%9E%80");
    }

    #[test]
    fn placeholders_are_filled_once_and_other_braces_kept() {
        let body = fill_body(
            "{x} {to} {text} {key} {",
            SmsBodyFormat::Json,
            "855",
            "{key}",
            "K",
        );
        assert_eq!(body, "{x} 855 {key} K {");
        let body = fill_body("{text}{text}", SmsBodyFormat::Form, "855", "ក", "K");
        assert_eq!(body, "%E1%9E%80%E1%9E%80");
    }

    #[test]
    fn the_debug_form_of_the_gateways_holds_no_secret() {
        let settings = NoticeSettings {
            telegram: Some(app::backend::settings::TelegramSettings {
                token: Secret::new("123:secret-token".into()),
                webhook_secret: Secret::new("hook".into()),
                bot_name: "owso_bot".into(),
                api_url: "https://api.telegram.org".into(),
            }),
            sms: Some(SmsSettings {
                url: "https://sms.example/send".into(),
                auth_header: Some(("Authorization".into(), Secret::new("Bearer k9".into()))),
                format: SmsBodyFormat::Json,
                body: JSON_BODY.into(),
            }),
            log: false,
            concurrency: 4,
        };
        let gateways = Gateways::new(&settings).unwrap();
        let printed = format!("{gateways:?}");
        assert!(!printed.contains("secret-token") && !printed.contains("k9"));
    }

    #[test]
    fn a_bad_auth_header_is_refused_without_its_value() {
        let settings = NoticeSettings {
            sms: Some(SmsSettings {
                url: "https://sms.example/send".into(),
                auth_header: Some(("Authorization".into(), Secret::new("bad\nk9".into()))),
                format: SmsBodyFormat::Json,
                body: JSON_BODY.into(),
            }),
            ..NoticeSettings::default()
        };
        let error = Gateways::new(&settings).unwrap_err();
        assert!(error.contains("Authorization") && !error.contains("k9"));
    }

    #[test]
    fn secrets_are_scrubbed_from_error_strings() {
        assert_eq!(
            scrub(
                "x 123:abc y 85512345678".into(),
                &["123:abc", "", "85512345678"]
            ),
            "x … y …"
        );
    }

    #[test]
    fn a_status_is_retried_only_when_it_may_pass() {
        assert!(retryable(StatusCode::REQUEST_TIMEOUT));
        assert!(retryable(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable(StatusCode::BAD_GATEWAY));
        assert!(!retryable(StatusCode::FORBIDDEN));
        assert!(!retryable(StatusCode::BAD_REQUEST));
    }
}
