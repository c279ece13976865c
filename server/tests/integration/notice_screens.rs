//! The staff screens of citizen notices: the system administrator edits the templates (checked
//! field by field, with and without JavaScript), and an office administrator sends a failed
//! message of their own office again, never another office's.

use app::{
    backend::{
        entities::{audit_entry, outbox},
        notices,
    },
    domain::notice::{NoticeChannel, NoticeEvent, NoticeStatus},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::{
    on_both_databases,
    support::{cookies_set, location, Db, TestApp},
};

on_both_databases!(
    the_system_admin_edits_a_template_checked_field_by_field,
    only_the_office_admin_of_the_office_sends_a_failed_message_again,
);

const SAVE: &str = "/api/notices/templates/save";
const RETRY: &str = "/api/notices/retry";

/// Calls a server function as a hydrated page would: the status and the JSON body.
async fn call(app: &TestApp, path: &str, cookie: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let res = app
        .client
        .post(app.url(path))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn registered(app: &TestApp) -> app::types::notices::NoticeTemplateView {
    notices::template_views(&app.db, "https://owso.example")
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.event == NoticeEvent::Registered)
        .unwrap()
}

async fn the_system_admin_edits_a_template_checked_field_by_field(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let sysadmin = app.session_of("sysadmin").await;
    let bad = [
        ("event", "registered"),
        ("body_km", "OWSO៖ {code} លេខសម្ងាត់ {pin}"),
        ("body_en", "OWSO: {code} received. Track: {link}"),
    ];

    // Without JavaScript: back to the page, the message beside the Khmer field of this event.
    let res = app.post_form(SAVE, Some(&sysadmin), &bad).await;
    let back = location(&res);
    assert!(back.starts_with("/admin/notices?"), "{back}");
    assert!(back.contains("event=registered"), "{back}");
    assert!(
        back.contains("err_body_km=err_notice_placeholder"),
        "{back}"
    );
    assert!(!back.contains("err_body_en"), "{back}");
    assert!(
        !back.contains("pin"),
        "what was typed stays out of the address: {back}"
    );
    let (status, html) = app
        .get_as(&back, &format!("{sysadmin}; {}", cookies_set(&res)))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("data-testid=\"err-body_km\"").count(),
        1,
        "the message shows on the registered card only"
    );
    assert!(
        html.contains("លេខសម្ងាត់ {pin}"),
        "the form comes back with what was typed"
    );

    // With JavaScript: 422 naming the field.
    let (status, body) = call(&app, SAVE, &sysadmin, &bad).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["field"], "body_km");
    assert_eq!(body["detail"][0]["key"], "err_notice_placeholder");
    assert!(!registered(&app).await.edited, "nothing was saved");

    // A valid pair is saved, and shown as edited.
    let km = "OWSO៖ ពាក្យ {code} បានចុះបញ្ជី។ តាមដាន៖ {link}";
    let en = "OWSO: request {code} registered. Track: {link}";
    let res = app
        .post_form(
            SAVE,
            Some(&sysadmin),
            &[("event", "registered"), ("body_km", km), ("body_en", en)],
        )
        .await;
    assert_eq!(location(&res), "/admin/notices?saved=registered");
    let view = registered(&app).await;
    assert!(view.edited);
    assert_eq!((view.body_km.as_str(), view.body_en.as_str()), (km, en));
    assert_ne!(view.body_km, view.default_km);
    let (status, html) = app
        .get_as("/admin/notices?saved=registered", &sysadmin)
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"notice-template-registered\""));
    assert!(html.contains("data-testid=\"edited-registered\""));
    assert!(html.contains("data-testid=\"saved-registered\""));
    assert!(html.contains("data-testid=\"segments-km-registered\""));
    assert!(!html.contains("data-testid=\"edited-ready\""));

    // Office administrators neither see nor change the templates.
    let admin = app.session_of("admin.1201").await;
    let (status, _) = app.get_as("/admin/notices", &admin).await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &app,
        SAVE,
        &admin,
        &[("event", "registered"), ("body_km", ""), ("body_en", "")],
    )
    .await;
    assert_eq!(status, 403);
    assert!(registered(&app).await.edited);

    // Both texts empty put the default back.
    let res = app
        .post_form(
            SAVE,
            Some(&sysadmin),
            &[("event", "registered"), ("body_km", ""), ("body_en", "")],
        )
        .await;
    assert_eq!(location(&res), "/admin/notices?saved=registered");
    let view = registered(&app).await;
    assert!(!view.edited);
    assert_eq!(view.body_km, view.default_km);
    app.finish().await;
}

async fn outbox_row(app: &TestApp, key: &str, status: NoticeStatus) -> outbox::Model {
    let now = chrono::Utc::now();
    outbox::ActiveModel {
        idempotency_key: Set(key.to_string()),
        case_id: Set(None),
        complaint_id: Set(None),
        office_code: Set(Some("1201".into())),
        event: Set(NoticeEvent::Registered),
        channel: Set(NoticeChannel::Sms),
        recipient: Set(Some("012345678".into())),
        language: Set("km".into()),
        body: Set("OWSO៖ សាកល្បង".into()),
        status: Set(status),
        attempts: Set(8),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_error: Set(Some("HTTP 503 from the gateway".into())),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

async fn only_the_office_admin_of_the_office_sends_a_failed_message_again(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let dead = outbox_row(&app, "test:dead:sms", NoticeStatus::Dead).await;
    let sent = outbox_row(&app, "test:sent:sms", NoticeStatus::Sent).await;
    let id = dead.id.to_string();
    let own = app.session_of("admin.1201").await;
    let other = app.session_of("admin.0203").await;

    // The office's page lists it, the recipient masked, with its button.
    let (status, html) = app.get_as("/staff/notices", &own).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"office-notices\""));
    assert!(
        html.contains(&format!("data-id=\"{id}\"")),
        "the dead message is listed"
    );
    assert!(
        !html.contains(&format!("data-id=\"{}\"", sent.id)),
        "a sent one is not"
    );
    assert!(html.contains("data-testid=\"retry-notice\""));
    assert!(html.contains("012****78") && !html.contains("012345678"));
    let (_, inbox) = app.get_as("/staff/inbox", &own).await;
    assert!(inbox.contains("data-testid=\"nav-notices\""));

    // Another office's administrator neither sees it nor sends it.
    let (status, html) = app.get_as("/staff/notices", &other).await;
    assert_eq!(status, 200);
    assert!(!html.contains(&format!("data-id=\"{id}\"")));
    let (status, _) = app.get_as("/staff/notices?office=1201", &other).await;
    assert_eq!(status, 403);
    let (status, body) = call(&app, RETRY, &other, &[("id", &id)]).await;
    assert_eq!(status, 404, "{body}");
    let res = app.post_form(RETRY, Some(&other), &[("id", &id)]).await;
    assert_eq!(location(&res), "/staff/notices?error=err_not_found");
    let after = outbox::Entity::find_by_id(dead.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((after.status, after.attempts), (NoticeStatus::Dead, 8));

    // Other staff of the office do not reach the page.
    let cashier = app.session_of("cashier.1201").await;
    let (status, _) = app.get_as("/staff/notices", &cashier).await;
    assert_eq!(status, 403);

    // A message that went out is not sent again.
    let (status, body) = call(&app, RETRY, &own, &[("id", &sent.id.to_string())]).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["detail"][0]["key"], "err_notice_not_retryable");

    // The office's administrator sends it again: from its first try, once more in the queue.
    let res = app.post_form(RETRY, Some(&own), &[("id", &id)]).await;
    assert_eq!(location(&res), "/staff/notices?retried=1");
    let after = outbox::Entity::find_by_id(dead.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(after.status, NoticeStatus::Dead);
    assert!(after.attempts <= 1, "{}", after.attempts);
    assert_ne!(
        after.last_error.as_deref(),
        Some("HTTP 503 from the gateway")
    );
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("notice_retry"))
        .filter(audit_entry::Column::EntityId.eq(id.as_str()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);

    // The system administrator picks the office by its code.
    let sysadmin = app.session_of("sysadmin").await;
    let (status, html) = app.get_as("/staff/notices", &sysadmin).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"pick-office\""));
    let (status, html) = app.get_as("/staff/notices?office=1201", &sysadmin).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-office=\"1201\""));
    app.finish().await;
}
