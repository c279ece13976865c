//! The notice gateways: the real HTTP clients of `owso_server::notices::gateways` talk to
//! stand-ins of the Telegram Bot API and an SMS gateway on loopback (`notice_stand_ins`), which
//! answer in the documented shapes and fail the ways real services do. No database is needed.

use std::{
    io::Write,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::{
    backend::settings::{NoticeSettings, Secret, SmsBodyFormat, SmsSettings, TelegramSettings},
    domain::notice::NoticeChannel,
};
use owso_server::notices::gateways::{Delivery, Gateways, Outgoing};
use serde_json::json;

use crate::notice_stand_ins::{stand_in, Behaviour, Endpoint, BOT_TOKEN, SMS_AUTH};

const CHAT: &str = "123456789";
const PHONE: &str = "012345678";
const PHONE_INTL: &str = "85512345678";
const KHMER: &str = "ពាក្យសុំរបស់អ្នក ១២០១០១-២៦-០០០១២៣ បានចុះបញ្ជី។ \"សូមអរគុណ\"";
const SHORT: Duration = Duration::from_millis(300);

fn telegram(url: &str, token: &str) -> TelegramSettings {
    TelegramSettings {
        token: Secret::new(token.into()),
        webhook_secret: Secret::new("hook_secret".into()),
        bot_name: "owso_test_bot".into(),
        api_url: url.into(),
    }
}

fn sms(url: &str, format: SmsBodyFormat) -> SmsSettings {
    SmsSettings {
        url: format!("{url}/sms"),
        auth_header: Some(("Authorization".into(), Secret::new(SMS_AUTH.into()))),
        format,
        body: match format {
            SmsBodyFormat::Json => r#"{"to":"{to}","text":"{text}","id":"{key}","from":"OWSO"}"#,
            SmsBodyFormat::Form => "to={to}&text={text}&id={key}&from=OWSO",
        }
        .into(),
    }
}

fn gateways(settings: NoticeSettings, timeout: Duration) -> Gateways {
    Gateways::with_timeout(&settings, timeout).unwrap()
}

fn both(url: &str, format: SmsBodyFormat) -> NoticeSettings {
    NoticeSettings {
        telegram: Some(telegram(url, BOT_TOKEN)),
        sms: Some(sms(url, format)),
        log: false,
        concurrency: 4,
    }
}

fn to_telegram<'a>(body: &'a str, key: &'a str) -> Outgoing<'a> {
    Outgoing {
        channel: NoticeChannel::Telegram,
        recipient: CHAT,
        body,
        idempotency_key: key,
    }
}

fn to_phone<'a>(body: &'a str, key: &'a str) -> Outgoing<'a> {
    Outgoing {
        channel: NoticeChannel::Sms,
        recipient: PHONE,
        body,
        idempotency_key: key,
    }
}

/// An error string must not give away the bot token, the SMS credential or the phone number.
fn clean(delivery: &Delivery) {
    let error = match delivery {
        Delivery::Retry { error, .. } | Delivery::Failed { error } => error,
        Delivery::Sent | Delivery::NoChannel => return,
    };
    for secret in [BOT_TOKEN, "test-sms-key", PHONE, PHONE_INTL] {
        assert!(!error.contains(secret), "{error:?} gives away {secret:?}");
    }
    assert!(!error.contains("/bot"), "{error:?} shows the Bot API's URL");
    assert!(error.len() < 200, "{error:?} is not short");
}

#[tokio::test]
async fn telegram_sends_the_documented_request() {
    let (url, gateway) = stand_in().await;
    let gateways = gateways(both(&url, SmsBodyFormat::Json), SHORT * 10);
    let delivery = gateways.deliver(&to_telegram(KHMER, "n-1")).await;
    assert_eq!(delivery, Delivery::Sent);
    let received = gateway.received_at(Endpoint::Telegram);
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.token.as_deref(), Some(BOT_TOKEN));
    assert_eq!(request.path, format!("/bot{BOT_TOKEN}/sendMessage"));
    assert_eq!(request.body["chat_id"], json!(123456789));
    assert_eq!(request.body["text"], KHMER);
    assert_eq!(request.body["disable_web_page_preview"], json!(true));
    assert!(request
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/json")));
    assert_eq!(
        gateway
            .telegram_sent()
            .get(&(CHAT.to_string(), KHMER.to_string())),
        Some(&1)
    );
    assert!(gateway.received_at(Endpoint::Sms).is_empty());
}

#[tokio::test]
async fn telegram_failures_retry_or_fail_as_documented() {
    let (url, gateway) = stand_in().await;
    let gateways = gateways(both(&url, SmsBodyFormat::Json), SHORT);
    gateway.script_telegram([
        Behaviour::TooMany {
            retry_after_secs: 7,
        },
        Behaviour::Http500,
        Behaviour::Refuse,
        Behaviour::Hang,
    ]);

    let throttled = gateways.deliver(&to_telegram("one", "n-1")).await;
    clean(&throttled);
    assert!(
        matches!(&throttled, Delivery::Retry { after: Some(d), error }
            if *d == Duration::from_secs(7) && error.contains("429")),
        "{throttled:?}"
    );

    let broken = gateways.deliver(&to_telegram("two", "n-2")).await;
    clean(&broken);
    assert!(
        matches!(&broken, Delivery::Retry { after: None, error } if error.contains("500")),
        "{broken:?}"
    );

    let blocked = gateways.deliver(&to_telegram("three", "n-3")).await;
    clean(&blocked);
    assert!(
        matches!(&blocked, Delivery::Failed { error }
            if error.contains("403") && error.contains("blocked")),
        "{blocked:?}"
    );

    let started = Instant::now();
    let hung = gateways.deliver(&to_telegram("four", "n-4")).await;
    clean(&hung);
    assert!(
        matches!(&hung, Delivery::Retry { after: None, error } if error.contains("timed out")),
        "{hung:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // The script is used up: the next one goes.
    assert_eq!(
        gateways.deliver(&to_telegram("five", "n-5")).await,
        Delivery::Sent
    );
    let answered: Vec<Behaviour> = gateway.received().iter().map(|r| r.behaviour).collect();
    assert_eq!(
        answered,
        [
            Behaviour::TooMany {
                retry_after_secs: 7
            },
            Behaviour::Http500,
            Behaviour::Refuse,
            Behaviour::Hang,
            Behaviour::Ok,
        ]
    );
}

#[tokio::test]
async fn telegram_with_a_wrong_token_or_no_server_keeps_the_token_out_of_errors() {
    let (url, gateway) = stand_in().await;
    let wrong = "7001234567:AAwrong-token-not-to-log";
    let settings = NoticeSettings {
        telegram: Some(telegram(&url, wrong)),
        ..NoticeSettings::default()
    };
    let refused = gateways(settings, SHORT)
        .deliver(&to_telegram("x", "n-1"))
        .await;
    clean(&refused);
    assert!(
        matches!(&refused, Delivery::Failed { error } if error.contains("401") && !error.contains(wrong)),
        "{refused:?}"
    );
    assert_eq!(
        gateway.received_at(Endpoint::Telegram)[0].token.as_deref(),
        Some(wrong)
    );

    // Nothing listens on this port any more: a connection error, tried again later.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let settings = NoticeSettings {
        telegram: Some(telegram(&closed, BOT_TOKEN)),
        sms: Some(sms(&closed, SmsBodyFormat::Json)),
        ..NoticeSettings::default()
    };
    let gateways = gateways(settings, SHORT);
    for delivery in [
        gateways.deliver(&to_telegram("x", "n-2")).await,
        gateways.deliver(&to_phone("x", "n-3")).await,
    ] {
        clean(&delivery);
        assert!(
            matches!(&delivery, Delivery::Retry { after: None, .. }),
            "{delivery:?}"
        );
    }
}

#[tokio::test]
async fn sms_json_arrives_intact_with_its_headers() {
    let (url, gateway) = stand_in().await;
    let gateways = gateways(both(&url, SmsBodyFormat::Json), SHORT * 10);
    let text = format!("{KHMER} a&b=c \\ {{key}}");
    let delivery = gateways
        .deliver(&to_phone(&text, "case-42-registered"))
        .await;
    assert_eq!(delivery, Delivery::Sent);
    let received = gateway.received_at(Endpoint::Sms);
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.path, "/sms");
    assert_eq!(request.body["to"], PHONE_INTL);
    assert_eq!(request.body["text"], text.as_str());
    assert_eq!(request.body["id"], "case-42-registered");
    assert_eq!(request.body["from"], "OWSO");
    assert_eq!(
        request.idempotency_key.as_deref(),
        Some("case-42-registered")
    );
    assert_eq!(request.authorization.as_deref(), Some(SMS_AUTH));
    assert!(request
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/json")));
    assert_eq!(gateway.received_keys().get("case-42-registered"), Some(&1));
    assert!(gateway.received_at(Endpoint::Telegram).is_empty());
}

#[tokio::test]
async fn sms_failures_retry_or_fail_as_documented() {
    let (url, gateway) = stand_in().await;
    let gateways = gateways(both(&url, SmsBodyFormat::Json), SHORT);
    gateway.script_sms([
        Behaviour::TooMany {
            retry_after_secs: 42,
        },
        Behaviour::Http500,
        Behaviour::Hang,
        Behaviour::Refuse,
    ]);

    let throttled = gateways.deliver(&to_phone("one", "k-1")).await;
    clean(&throttled);
    assert!(
        matches!(&throttled, Delivery::Retry { after: Some(d), error }
            if *d == Duration::from_secs(42) && error.contains("429")),
        "{throttled:?}"
    );

    let broken = gateways.deliver(&to_phone("two", "k-2")).await;
    clean(&broken);
    assert!(
        matches!(&broken, Delivery::Retry { after: None, error } if error.contains("500")),
        "{broken:?}"
    );

    let started = Instant::now();
    let hung = gateways.deliver(&to_phone("three", "k-3")).await;
    clean(&hung);
    assert!(
        matches!(&hung, Delivery::Retry { after: None, error } if error == "sms: timed out"),
        "{hung:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    let refused = gateways.deliver(&to_phone("four", "k-4")).await;
    clean(&refused);
    assert!(
        matches!(&refused, Delivery::Failed { error } if error == "sms: HTTP 400"),
        "{refused:?}"
    );

    // The hung request was taken by the gateway: trying it again under the same key is the
    // duplicate the key lets the gateway drop, and the stand-in counts it.
    assert_eq!(
        gateways.deliver(&to_phone("three", "k-3")).await,
        Delivery::Sent
    );
    let keys = gateway.received_keys();
    assert_eq!(keys.get("k-3"), Some(&2));
    assert_eq!(keys.get("k-1"), None);
    let sent = gateway.received_at(Endpoint::Sms);
    assert_eq!(sent.len(), 5);
    assert!(sent
        .iter()
        .all(|r| r.authorization.as_deref() == Some(SMS_AUTH)));
}

#[tokio::test]
async fn sms_form_values_arrive_intact_after_decoding() {
    let (url, gateway) = stand_in().await;
    let gateways = gateways(both(&url, SmsBodyFormat::Form), SHORT * 10);
    let text = "ពាក្យ ១២០១០១-២៦ a&b=c d+e% ?#/ \"ok\"";
    assert_eq!(
        gateways.deliver(&to_phone(text, "key with space")).await,
        Delivery::Sent
    );
    let request = &gateway.received_at(Endpoint::Sms)[0];
    assert!(request
        .content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")));
    assert!(!request.raw.contains(' ') && !request.raw.contains('ព'));
    assert_eq!(request.body["to"], PHONE_INTL);
    assert_eq!(request.body["text"], text);
    assert_eq!(request.body["id"], "key with space");
    assert_eq!(request.body["from"], "OWSO");
    assert_eq!(request.idempotency_key.as_deref(), Some("key with space"));
    assert_eq!(request.authorization.as_deref(), Some(SMS_AUTH));
}

/// Collects what the log adapter writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_log_adapter_takes_any_channel_and_masks_the_recipient() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let logged = gateways(
        NoticeSettings {
            log: true,
            ..NoticeSettings::default()
        },
        SHORT,
    );
    assert_eq!(
        logged.deliver(&to_phone(KHMER, "log-sms")).await,
        Delivery::Sent
    );
    assert_eq!(
        logged.deliver(&to_telegram("hello", "log-tg")).await,
        Delivery::Sent
    );
    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(output.contains("012****78"), "{output}");
    assert!(
        !output.contains(PHONE) && !output.contains(CHAT),
        "{output}"
    );
    assert!(output.contains("789") && output.contains("log-sms") && output.contains("log-tg"));
    assert!(output.contains("sms") && output.contains("telegram"));

    let nothing = gateways(NoticeSettings::default(), SHORT);
    assert_eq!(
        nothing.deliver(&to_phone("x", "k")).await,
        Delivery::NoChannel
    );
    assert_eq!(
        nothing.deliver(&to_telegram("x", "k")).await,
        Delivery::NoChannel
    );
}

#[tokio::test]
async fn a_channel_without_its_gateway_has_no_channel_unless_logged() {
    let (url, gateway) = stand_in().await;
    let only_telegram = NoticeSettings {
        telegram: Some(telegram(&url, BOT_TOKEN)),
        ..NoticeSettings::default()
    };
    let g = gateways(only_telegram.clone(), SHORT * 10);
    assert_eq!(g.deliver(&to_phone("x", "k-1")).await, Delivery::NoChannel);
    assert_eq!(g.deliver(&to_telegram("x", "k-2")).await, Delivery::Sent);

    // With the log on, SMS goes to the log; Telegram still goes to its gateway.
    let g = gateways(
        NoticeSettings {
            log: true,
            ..only_telegram
        },
        SHORT * 10,
    );
    assert_eq!(g.deliver(&to_phone("x", "k-3")).await, Delivery::Sent);
    assert_eq!(g.deliver(&to_telegram("y", "k-4")).await, Delivery::Sent);
    assert_eq!(gateway.received_at(Endpoint::Telegram).len(), 2);
    assert!(gateway.received_at(Endpoint::Sms).is_empty());
}
