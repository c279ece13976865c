//! Complaints: filed and followed by citizens, answered and closed by the office chief.

use app::{
    backend::entities::{complaint, outbox},
    domain::notice::NoticeEvent,
};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use serde_json::Value;

use crate::{
    on_both_databases,
    support::{cookies_set, location, testid_text, Db, TestApp},
};

on_both_databases!(a_complaint_is_filed_followed_answered_and_closed);

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

async fn a_complaint_is_filed_followed_answered_and_closed(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    // Bad input comes back field by field, with the text kept.
    let bad = app
        .post_form(
            "/api/complaints/file",
            None,
            &[
                ("category", "gossip"),
                ("office_code", "9999"),
                ("case_code", "12"),
                ("body", "  "),
                ("phone", "12"),
            ],
        )
        .await;
    let back = location(&bad);
    for expected in [
        "err_category=",
        "err_office_code=err_no_such_office",
        "err_case_code=",
        "err_body=err_required",
        "err_phone=err_bad_phone",
    ] {
        assert!(back.contains(expected), "{expected} missing from {back}");
    }
    // What was typed comes back in the form, from the server, not from the address.
    assert!(
        !back.contains("phone=12") && !back.contains("case_code=12"),
        "{back}"
    );
    let (_, form) = app.get_as(&back, &cookies_set(&bad)).await;
    assert!(
        form.contains("value=\"12\""),
        "the typed case code is shown again"
    );
    let (_, again) = app.get_as(&back, &cookies_set(&bad)).await;
    assert!(!again.contains("value=\"12\""), "kept values are read once");

    let text = "<b>Asked for</b> 50,000 riel more than the fee";
    let good = app
        .post_form(
            "/api/complaints/file",
            None,
            &[
                ("category", "fee"),
                ("office_code", "1201"),
                ("case_code", ""),
                ("body", text),
                ("phone", "012 999 888"),
            ],
        )
        .await;
    assert_eq!(
        location(&good),
        "/complaints/track",
        "no number or PIN in the address"
    );
    let citizen = cookies_set(&good);
    let (status, html) = app.get_as("/complaints/track", &citizen).await;
    assert_eq!(status, 200);
    let number = testid_text(&html, "complaint-number").expect("the new number is shown");
    let pin = testid_text(&html, "complaint-pin").expect("the new PIN is shown once");
    assert_eq!(pin.len(), 6);
    assert!(number.starts_with("20") && number.len() == 11, "{number}");
    let stored = complaint::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].pin, pin, "the PIN is not stored as typed");

    // The citizen's page shows the status and never the phone; the PIN only the first time.
    let (status, html) = app.get_as("/complaints/track", &citizen).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&number) && html.contains("កំពុងរង់ចាំចម្លើយ"),
        "status in Khmer"
    );
    assert!(
        testid_text(&html, "complaint-pin").is_none(),
        "the PIN is shown once"
    );
    assert!(!html.contains("012999888") && !html.contains("012 999 888"));

    // Another browser opens it with the number and PIN, posted; a wrong PIN says only "no match".
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let res = app
        .post_form(
            "/api/complaints/open",
            None,
            &[("number", &number), ("pin", wrong)],
        )
        .await;
    let back = location(&res);
    assert!(
        back.starts_with("/complaints/track?error=") && !back.contains(wrong),
        "{back}"
    );
    let (_, html) = app.get_as(&back, &cookies_set(&res)).await;
    assert!(html.contains("គ្មានបណ្តឹងដែលត្រូវនឹងលេខ"), "no match");
    assert!(
        html.contains(&format!("value=\"{number}\"")),
        "the number is kept"
    );
    let res = app
        .post_form(
            "/api/complaints/open",
            None,
            &[("number", &number), ("pin", &pin)],
        )
        .await;
    assert_eq!(location(&res), "/complaints/track");
    let other = cookies_set(&res);
    let (_, html) = app.get_as("/complaints/track", &other).await;
    assert!(html.contains("កំពុងរង់ចាំចម្លើយ") && testid_text(&html, "complaint-pin").is_none());
    let (_, html) = app.get_text("/complaints/track").await;
    assert!(
        !html.contains("data-testid=\"complaint-status\""),
        "no grant, no complaint"
    );

    // Only the office's chief sees it; the text is shown escaped.
    let chief = app.session_of("chief.1201").await;
    let other_chief = app.session_of("chief.0203").await;
    let desk = app.session_of("desk.1201").await;
    let (status, list) = call(&app, "/api/complaints/office", &chief, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["phone"], "012999888");
    let (_, other) = call(&app, "/api/complaints/office", &other_chief, &[]).await;
    assert_eq!(other.as_array().unwrap().len(), 0);
    assert_eq!(
        call(&app, "/api/complaints/office", &desk, &[]).await.0,
        403
    );
    let (status, html) = app.get_as("/staff/complaints", &chief).await;
    assert_eq!(status, 200);
    assert!(html.contains("&lt;b&gt;Asked for") && !html.contains("<b>Asked for"));

    // Overdue complaints are marked with the working days late.
    let mut late: complaint::ActiveModel = stored[0].clone().into();
    late.due_on = Set(chrono::NaiveDate::from_ymd_opt(2024, 1, 8).unwrap());
    late.update(&app.db).await.unwrap();
    let (_, list) = call(&app, "/api/complaints/office", &chief, &[]).await;
    assert!(list[0]["days_late"].as_i64().unwrap() > 100);

    let id = list[0]["id"].to_string();
    let (status, _) = call(
        &app,
        "/api/complaints/answer",
        &other_chief,
        &[("id", &id), ("answer", "x")],
    )
    .await;
    assert_eq!(status, 404, "another office's chief cannot answer it");
    let (status, body) = call(
        &app,
        "/api/complaints/answer",
        &chief,
        &[("id", &id), ("answer", " ")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let res = app
        .post_form(
            "/api/complaints/answer",
            Some(&chief),
            &[
                ("id", &id),
                ("answer", "The cashier refunded the difference."),
                ("close", "false"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/staff/complaints?saved=1");
    let (_, html) = app.get_as("/complaints/track", &citizen).await;
    assert!(html.contains("The cashier refunded the difference.") && html.contains("បានឆ្លើយ"));
    let (status, _) = call(
        &app,
        "/api/complaints/answer",
        &chief,
        &[
            ("id", &id),
            ("answer", "Closed after the refund."),
            ("close", "true"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &app,
        "/api/complaints/answer",
        &chief,
        &[("id", &id), ("answer", "again")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["key"], "err_complaint_closed");
    let (_, html) = app.get_as("/complaints/track", &citizen).await;
    assert!(html.contains("បានបិទ"));
    // Each answer told the complainant by SMS, in the answer's transaction; the refused third
    // answer told nothing.
    let told = outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(told.len(), 2, "{told:?}");
    for (message, answer) in told.iter().zip([
        "The cashier refunded the difference.",
        "Closed after the refund.",
    ]) {
        assert_eq!(message.event, NoticeEvent::ComplaintAnswered);
        assert_eq!(message.recipient.as_deref(), Some("012999888"));
        assert!(
            message.body.contains(&number) && message.body.contains(answer),
            "{}",
            message.body
        );
        assert!(!message.body.contains(&pin));
    }
    app.finish().await;
}
