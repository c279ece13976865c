//! Issue 20: notices to citizens through the transactional outbox. The real sender and gateways
//! deliver to loopback stand-ins of the Telegram Bot API and an SMS gateway (`notice_stand_ins`).

use std::{collections::HashMap, sync::Arc, time::Duration};

use app::{
    backend::{
        entities::{notice_contact, outbox},
        notices,
        settings::{
            NoticeSettings, Secret, SmsBodyFormat, SmsSettings, TelegramSettings,
            DEFAULT_SMS_JSON_BODY,
        },
    },
    domain::notice::{NoticeChannel, NoticeEvent, NoticeStatus, MAX_ATTEMPTS},
};
use owso_server::notices::{gateways::Gateways, send_once, LEASE};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{json, Value};

use crate::{
    notice_stand_ins::{stand_in, Behaviour, Endpoint, BOT_TOKEN, SMS_AUTH},
    on_both_databases,
    reports::user_named,
    support::{Db, TestApp},
    workflow::{act, full_service, get_case},
};

on_both_databases!(
    a_case_through_the_workflow_leaves_the_expected_notices_in_order,
    declined_sms_rejection_and_one_notice_per_committed_action,
    failed_messages_retry_with_back_off_then_die_and_nothing_configured_is_kept,
    telegram_binds_by_the_signed_webhook_and_stop_unbinds,
);

const WEBHOOK_SECRET: &str = "test_webhook-secret";

fn gateway_settings(url: &str, telegram: bool) -> NoticeSettings {
    NoticeSettings {
        telegram: telegram.then(|| TelegramSettings {
            token: Secret::new(BOT_TOKEN.into()),
            webhook_secret: Secret::new(WEBHOOK_SECRET.into()),
            bot_name: "owso_test_bot".into(),
            api_url: url.into(),
        }),
        sms: Some(SmsSettings {
            url: format!("{url}/sms"),
            auth_header: Some(("Authorization".into(), Secret::new(SMS_AUTH.into()))),
            format: SmsBodyFormat::Json,
            body: DEFAULT_SMS_JSON_BODY.into(),
        }),
        log: false,
        concurrency: 4,
    }
}

fn gateways(settings: &NoticeSettings) -> Arc<Gateways> {
    Arc::new(Gateways::with_timeout(settings, Duration::from_millis(800)).unwrap())
}

async fn register_with(app: &TestApp, tokens: &HashMap<String, String>, extra: Value) -> String {
    let service_id = full_service(app).await;
    let mut body = json!({
        "service_id": service_id, "quantity": 1, "applicant_kind": "person",
        "name_km": "សុខ ដារ៉ា", "name_latin": "SOK DARA", "sex": "M", "date_of_birth": "1990-05-01",
        "phone": "012 345 678", "id_card_number": "010203040", "village_code": "12010101"
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, created) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["desk.1201"]),
            Some(body),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["code"].as_str().unwrap().to_string()
}

/// Carries out `steps` (who, body without the version) on the case, each on its fresh version.
async fn walk(
    app: &TestApp,
    tokens: &HashMap<String, String>,
    code: &str,
    steps: &[(&str, Value)],
) {
    for (who, body) in steps {
        let (_, case) = get_case(app, &tokens[*who], code).await;
        let mut body = body.clone();
        body["version"] = case["version"].clone();
        let (status, answer) = act(app, &tokens[*who], code, body.clone()).await;
        assert_eq!(status, 200, "{who} {body}: {answer}");
    }
}

async fn messages_of(app: &TestApp, code: &str) -> Vec<outbox::Model> {
    let case = app::backend::entities::case::Entity::find()
        .filter(app::backend::entities::case::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    outbox::Entity::find()
        .filter(outbox::Column::CaseId.eq(case.id))
        .order_by_asc(outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

fn events(messages: &[outbox::Model]) -> Vec<(NoticeEvent, NoticeChannel)> {
    messages.iter().map(|m| (m.event, m.channel)).collect()
}

async fn pin_of(app: &TestApp, code: &str) -> String {
    app::backend::entities::case::Entity::find()
        .filter(app::backend::entities::case::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .pin
}

async fn a_case_through_the_workflow_leaves_the_expected_notices_in_order(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let code = register_with(&app, &tokens, json!({ "notice_language": "km" })).await;
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let fee = case["fee_total"].clone();
    walk(
        &app,
        &tokens,
        &code,
        &[
            ("cashier.1201", json!({ "action": "pay", "amount": fee })),
            ("chief.1201", json!({ "action": "forward" })),
            (
                "tech.1201",
                json!({ "action": "return", "comment": "ខ្វះប្លង់ទីតាំង" }),
            ),
            ("desk.1201", json!({ "action": "resubmit" })),
            ("tech.1201", json!({ "action": "forward" })),
            ("chief.1201", json!({ "action": "forward" })),
            ("director.1201", json!({ "action": "forward" })),
            ("decision.1201", json!({ "action": "approve" })),
            ("desk.1201", json!({ "action": "tax_confirm" })),
            (
                "desk.1201",
                json!({ "action": "deliver", "receiver": "SOK DARA" }),
            ),
        ],
    )
    .await;

    let messages = messages_of(&app, &code).await;
    use NoticeChannel::Sms;
    assert_eq!(
        events(&messages),
        [
            (NoticeEvent::Registered, Sms),
            (NoticeEvent::Returned, Sms),
            (NoticeEvent::Ready, Sms),
            (NoticeEvent::Delivered, Sms),
        ],
        "exactly these notices, in this order"
    );
    let pin = pin_of(&app, &code).await;
    for m in &messages {
        assert_eq!(m.recipient.as_deref(), Some("012345678"));
        assert_eq!(m.language, "km");
        assert_eq!(m.status, NoticeStatus::Pending);
        assert!(m.body.contains(&code), "{}", m.body);
        // Nothing that proves identity or opens the case travels in a message.
        for secret in [pin.as_str(), "010203040", "1990"] {
            assert!(!m.body.contains(secret), "{secret} in {}", m.body);
        }
    }
    assert!(messages[0].body.contains(&format!("/track/{code}")));
    assert!(messages[1].body.contains("ខ្វះប្លង់ទីតាំង"));
    assert!(messages[3].body.contains("#feedback"));
    let registered = app::domain::notice::sms_segments(&messages[0].body);
    assert!(
        registered.unicode && registered.segments <= 2,
        "{registered:?}"
    );

    // A hook for a bot that is not configured does not exist.
    let res = app
        .client
        .post(app.url("/hooks/telegram"))
        .header(owso_server::notices::SECRET_HEADER, WEBHOOK_SECRET)
        .json(&json!({ "update_id": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // The sender delivers each once, through the real SMS client, with its idempotency key.
    let (url, gateway) = stand_in().await;
    let gateways = gateways(&gateway_settings(&url, false));
    let round = send_once(&app.db, &gateways, 4, LEASE, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!((round.claimed, round.sent), (4, 4), "{round:?}");
    let again = send_once(&app.db, &gateways, 4, LEASE, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(again.claimed, 0);
    let received = gateway.received_at(Endpoint::Sms);
    assert_eq!(received.len(), 4);
    // Sent concurrently, so matched by key rather than by order.
    for m in &messages {
        let r = received
            .iter()
            .find(|r| r.idempotency_key.as_deref() == Some(m.idempotency_key.as_str()))
            .unwrap_or_else(|| panic!("{} not received", m.idempotency_key));
        assert_eq!(r.body["to"], "85512345678");
        assert_eq!(r.body["text"], m.body.as_str());
        assert_eq!(r.authorization.as_deref(), Some(SMS_AUTH));
    }
    // The case page lists them, sent, with the phone masked.
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let listed = case["notices"].as_array().unwrap();
    assert_eq!(listed.len(), 4);
    for n in listed {
        assert_eq!(n["status"], "sent");
        assert_eq!(n["attempts"], 1);
        assert_eq!(n["recipient"], "012****78");
    }
    app.finish().await;
}

async fn declined_sms_rejection_and_one_notice_per_committed_action(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let quiet = register_with(&app, &tokens, json!({ "sms_declined": true })).await;
    assert!(
        messages_of(&app, &quiet).await.is_empty(),
        "declined: no SMS"
    );

    let code = register_with(&app, &tokens, json!({ "notice_language": "en" })).await;
    let (_, case) = get_case(&app, &tokens["desk.1201"], &code).await;
    let fee = case["fee_total"].clone();
    walk(
        &app,
        &tokens,
        &code,
        &[("cashier.1201", json!({ "action": "pay", "amount": fee }))],
    )
    .await;
    // Eight chiefs' tabs reject at once: one action commits, and with it one notice. The others
    // roll back and send nothing.
    let (_, case) = get_case(&app, &tokens["chief.1201"], &code).await;
    let version = case["version"].clone();
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..8 {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/cases/{code}/actions")))
            .bearer_auth(&tokens["chief.1201"])
            .json(&json!({ "action": "reject", "version": version, "comment": format!("No title deed ({i})") }));
        tries.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = tries.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    let messages = messages_of(&app, &code).await;
    assert_eq!(
        events(&messages),
        [
            (NoticeEvent::Registered, NoticeChannel::Sms),
            (NoticeEvent::Rejected, NoticeChannel::Sms),
        ]
    );
    assert_eq!(messages[1].language, "en");
    assert!(
        messages[1].body.contains("No title deed ("),
        "{}",
        messages[1].body
    );
    assert!(
        messages[0].body.starts_with("OWSO: request"),
        "{}",
        messages[0].body
    );
    app.finish().await;
}

async fn failed_messages_retry_with_back_off_then_die_and_nothing_configured_is_kept(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let code = register_with(&app, &tokens, json!({})).await;
    let (url, gateway) = stand_in().await;
    let gateways = gateways(&gateway_settings(&url, false));
    let message = || async { messages_of(&app, &code).await.remove(0) };

    // 429 with Retry-After: the gateway's wait is kept.
    gateway.script_sms([Behaviour::TooMany {
        retry_after_secs: 7,
    }]);
    let start = chrono::Utc::now();
    let round = send_once(&app.db, &gateways, 2, LEASE, start)
        .await
        .unwrap();
    assert_eq!(round.retrying, 1, "{round:?}");
    let m = message().await;
    assert_eq!((m.status, m.attempts), (NoticeStatus::Retrying, 1));
    let wait = (m.next_attempt_at - start).num_seconds();
    assert!((6..=9).contains(&wait), "retry after about 7 s, got {wait}");
    assert!(
        m.last_error.as_deref().unwrap().contains("429"),
        "{:?}",
        m.last_error
    );
    // Not due yet: nothing is claimed.
    assert_eq!(
        send_once(&app.db, &gateways, 2, LEASE, start)
            .await
            .unwrap()
            .claimed,
        0
    );

    // 500s and a timeout: back-off doubles (with jitter) until the eighth try, then dead.
    gateway.script_sms(
        std::iter::repeat_n(Behaviour::Http500, 5)
            .chain([Behaviour::Hang])
            .chain([Behaviour::Http500]),
    );
    let mut waits = Vec::new();
    for _ in 1..MAX_ATTEMPTS {
        let m = message().await;
        let due = m.next_attempt_at + chrono::Duration::seconds(1);
        send_once(&app.db, &gateways, 2, LEASE, due).await.unwrap();
        let after = message().await;
        waits.push((after.next_attempt_at - after.created_at).num_seconds());
    }
    let m = message().await;
    assert_eq!(
        (m.status, m.attempts),
        (NoticeStatus::Dead, MAX_ATTEMPTS),
        "{m:?}"
    );
    assert!(
        waits.windows(2).take(4).all(|w| w[1] > w[0]),
        "back-off grows: {waits:?}"
    );
    assert_eq!(
        gateway.received_at(Endpoint::Sms).len(),
        MAX_ATTEMPTS as usize
    );

    // The office admin sees it and sends it again; it goes on the next round.
    let office = notices::for_office(&app.db, "1201", chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(office.failed.len(), 1);
    assert_eq!(office.failed[0].case_code.as_deref(), Some(code.as_str()));
    let admin = user_named(&app, "admin.1201").await;
    notices::retry(&app.db, &admin, m.id, None, chrono::Utc::now())
        .await
        .unwrap();
    let round = send_once(&app.db, &gateways, 2, LEASE, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, 1, "{round:?}");

    // With no gateway configured a message is kept as no_channel, never dropped.
    let other = register_with(&app, &tokens, json!({})).await;
    let none = gateways_from(&NoticeSettings::default());
    let round = send_once(&app.db, &none, 2, LEASE, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(round.no_channel, 1, "{round:?}");
    let kept = messages_of(&app, &other).await;
    assert_eq!(kept[0].status, NoticeStatus::NoChannel);
    assert!(notices::for_office(&app.db, "1201", chrono::Utc::now())
        .await
        .unwrap()
        .failed
        .iter()
        .any(|n| n.id == kept[0].id));

    // Recipients are forgotten 90 days after sending, not before.
    let now = chrono::Utc::now();
    let mut old: outbox::ActiveModel = messages_of(&app, &code).await.remove(0).into();
    old.sent_at = Set(Some(now - chrono::Duration::days(91)));
    old.update(&app.db).await.unwrap();
    assert_eq!(notices::purge_recipients(&app.db, now).await.unwrap(), 1);
    assert_eq!(messages_of(&app, &code).await[0].recipient, None);
    assert_eq!(notices::purge_recipients(&app.db, now).await.unwrap(), 0);
    app.finish().await;
}

fn gateways_from(settings: &NoticeSettings) -> Arc<Gateways> {
    Arc::new(Gateways::new(settings).unwrap())
}

async fn hook(app: &TestApp, secret: Option<&str>, update: Value) -> u16 {
    let mut req = app.client.post(app.url("/hooks/telegram")).json(&update);
    if let Some(secret) = secret {
        req = req.header(owso_server::notices::SECRET_HEADER, secret);
    }
    req.send().await.unwrap().status().as_u16()
}

fn update(id: i64, chat: i64, text: &str) -> Value {
    json!({
        "update_id": id,
        "message": {
            "message_id": id, "date": 1_765_000_000,
            "chat": { "id": chat, "type": "private", "first_name": "Dara" },
            "from": { "id": chat, "is_bot": false, "first_name": "Dara", "language_code": "km" },
            "text": text
        }
    })
}

async fn telegram_binds_by_the_signed_webhook_and_stop_unbinds(kind: Db) {
    let (url, gateway) = stand_in().await;
    let app = TestApp::spawn_with(
        kind,
        &[
            ("OWSO_TELEGRAM_BOT_TOKEN", BOT_TOKEN),
            ("OWSO_TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("OWSO_TELEGRAM_BOT_NAME", "owso_test_bot"),
            ("OWSO_TELEGRAM_API", &url),
        ],
    )
    .await;
    let tokens = app.demo_tokens().await;
    let code = register_with(&app, &tokens, json!({})).await;
    let case = app::backend::entities::case::Entity::find()
        .filter(app::backend::entities::case::Column::Code.eq(code.as_str()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let contact = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            notice_contact::Entity::find_by_id(case.id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let token = contact(&app).await.telegram_token.unwrap();
    let settings = gateway_settings(&url, true);
    let view = app::backend::track::notice_contact(
        &app.db,
        &code,
        settings.telegram.as_ref(),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        view.telegram_link.as_deref(),
        Some(format!("https://t.me/owso_test_bot?start={token}").as_str())
    );
    let chat = 555_123_i64;

    // Forged calls, without the secret or with a wrong one, are refused and change nothing.
    let start = update(1001, chat, &format!("/start {token}"));
    assert_eq!(hook(&app, None, start.clone()).await, 401);
    assert_eq!(hook(&app, Some("guess"), start.clone()).await, 401);
    assert_eq!(contact(&app).await.telegram_chat_id, None);

    assert_eq!(hook(&app, Some(WEBHOOK_SECRET), start.clone()).await, 200);
    let bound = contact(&app).await;
    assert_eq!(bound.telegram_chat_id.as_deref(), Some("555123"));
    assert_eq!(bound.telegram_token, None, "the link works once");
    // Telegram delivering the same update again makes no second reply.
    assert_eq!(hook(&app, Some(WEBHOOK_SECRET), start).await, 200);
    // The spent link, pressed again, is answered as not valid.
    assert_eq!(
        hook(
            &app,
            Some(WEBHOOK_SECRET),
            update(1002, 777, &format!("/start {token}"))
        )
        .await,
        200
    );
    let replies: Vec<_> = outbox::Entity::find()
        .filter(outbox::Column::Channel.eq(NoticeChannel::Telegram))
        .order_by_asc(outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        replies
            .iter()
            .map(|m| (m.event, m.recipient.clone().unwrap()))
            .collect::<Vec<_>>(),
        [
            (NoticeEvent::TelegramLinked, "555123".to_string()),
            (NoticeEvent::TelegramLinkInvalid, "777".to_string()),
        ]
    );

    // From now on the case's notices go to both channels.
    let (_, detail) = get_case(&app, &tokens["desk.1201"], &code).await;
    let fee = detail["fee_total"].clone();
    walk(
        &app,
        &tokens,
        &code,
        &[
            ("cashier.1201", json!({ "action": "pay", "amount": fee })),
            (
                "chief.1201",
                json!({ "action": "return", "comment": "Bring the plan" }),
            ),
        ],
    )
    .await;
    let returned: Vec<_> = messages_of(&app, &code)
        .await
        .into_iter()
        .filter(|m| m.event == NoticeEvent::Returned)
        .map(|m| m.channel)
        .collect();
    assert_eq!(returned, [NoticeChannel::Sms, NoticeChannel::Telegram]);

    // Delivered through the real Bot API client.
    let gateways = gateways(&settings);
    let round = send_once(&app.db, &gateways, 4, LEASE, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(round.sent, round.claimed, "{round:?}");
    let sent = gateway.received_at(Endpoint::Telegram);
    assert!(sent.iter().all(|r| r.token.as_deref() == Some(BOT_TOKEN)));
    assert!(sent.iter().any(|r| r.body["chat_id"] == 555_123
        && r.body["text"].as_str().unwrap().contains("Bring the plan")));

    // /stop unbinds the chat; later notices go by SMS only.
    assert_eq!(
        hook(&app, Some(WEBHOOK_SECRET), update(1003, chat, "/stop")).await,
        200
    );
    assert_eq!(contact(&app).await.telegram_chat_id, None);
    let (_, detail) = get_case(&app, &tokens["desk.1201"], &code).await;
    let version = detail["version"].clone();
    let (status, _) = act(
        &app,
        &tokens["desk.1201"],
        &code,
        json!({ "action": "resubmit", "version": version }),
    )
    .await;
    assert_eq!(status, 200);
    walk(
        &app,
        &tokens,
        &code,
        &[(
            "chief.1201",
            json!({ "action": "reject", "comment": "Out of scope" }),
        )],
    )
    .await;
    let rejected: Vec<_> = messages_of(&app, &code)
        .await
        .into_iter()
        .filter(|m| m.event == NoticeEvent::Rejected)
        .map(|m| m.channel)
        .collect();
    assert_eq!(rejected, [NoticeChannel::Sms]);
    app.finish().await;
}
