//! Online pre-registration: one case from the citizen's form to the front desk's completion.

use app::backend::entities::{case, case_event};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::{
    on_both_databases,
    support::{Db, TestApp},
};

on_both_databases!(an_online_application_becomes_one_case_at_the_front_desk);

async fn an_online_application_becomes_one_case_at_the_front_desk(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let svc = app::backend::entities::service::Entity::find()
        .filter(app::backend::entities::service::Column::FeeRiel.gt(0))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let service_id = svc.id.to_string();
    let mut fields = vec![
        ("service_id", service_id.as_str()),
        ("quantity", "1"),
        ("office_code", "9999"),
        ("applicant_kind", "person"),
        ("name_km", "ចាន់ សុភា"),
        ("name_latin", "CHAN SOPHEA"),
        ("sex", "F"),
        ("phone", ""),
    ];
    // An unknown office and no phone: named, with what was typed kept.
    let res = app.post_form("/api/apply", None, &fields).await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with("/apply?"), "{back}");
    assert!(
        back.contains("err_office_code=err_no_such_office")
            && back.contains("err_phone=err_required"),
        "{back}"
    );
    // What was typed comes back from the server's flash store, not the address.
    assert!(!back.contains("CHAN"), "{back}");
    let (_, form) = app.get_as(&back, &crate::support::cookies_set(&res)).await;
    assert!(
        form.contains("value=\"CHAN SOPHEA\""),
        "the typed name is shown again"
    );
    assert_eq!(case::Entity::find().all(&app.db).await.unwrap().len(), 0);

    fields[2] = ("office_code", "1201");
    fields[7] = ("phone", "012 444 555");
    let res = app.post_form("/api/apply", None, &fields).await;
    let tracking = res.headers()["location"].to_str().unwrap().to_string();
    assert!(tracking.starts_with("/track/12"), "{tracking}");
    let code = tracking["/track/".len()..].to_string();
    assert_eq!(code.len(), 10, "{tracking}");
    // The status page opens with the cookies the answer left: a lookup grant, and the new PIN
    // to show once. Neither the PIN nor anything typed is in the address.
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    let stored = case::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(!tracking.contains(&stored.pin) && !tracking.contains("CHAN"));
    let (status, html) = app.get_as(&tracking, &cookies.join("; ")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("track-new-pin") && html.contains(&stored.pin),
        "the new PIN is shown"
    );
    let (_, again) = app.get_as(&tracking, &cookies.join("; ")).await;
    assert!(
        again.contains("track-title"),
        "the grant still opens the status"
    );
    assert!(
        !again.contains("track-new-pin"),
        "the PIN is shown only once"
    );
    assert!(
        html.contains("កំពុងរង់ចាំឯកសាររបស់អ្នកនៅបញ្ជរទទួល"),
        "waiting for documents"
    );
    assert!(
        !html.contains("CHAN SOPHEA") && !html.contains("012444555"),
        "no personal data"
    );
    let stored = case::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (stored.stage.id(), stored.channel.id()),
        ("registration", "online")
    );
    assert!(stored.accepted_at.is_none() && stored.step_due_on.is_none());

    // It waits in the front desk's inbox, not the other office's.
    let (_, inbox) = app
        .api(
            Method::GET,
            "/api/v1/inbox",
            Some(&tokens["desk.1201"]),
            None,
        )
        .await;
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == code.as_str()));
    let (_, other) = app
        .api(
            Method::GET,
            "/api/v1/inbox",
            Some(&tokens["desk.0203"]),
            None,
        )
        .await;
    assert!(!other["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == code.as_str()));
    // The cashier cannot take it before the front desk completes it.
    let act = |who: &str, action: &str| {
        let token = tokens[who].clone();
        let body = json!({ "action": action, "version": 1, "amount": svc.fee_riel });
        let path = format!("/api/v1/cases/{code}/actions");
        let app = &app;
        async move { app.api(Method::POST, &path, Some(&token), Some(body)).await }
    };
    assert_eq!(act("cashier.1201", "pay").await.0, 422);
    let (status, body) = act("desk.1201", "complete_registration").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stage"], "cashier");
    let done = case::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(done.code, code, "the same case, not a second one");
    assert!(done.accepted_at.is_some() && done.step_due_on.is_some());
    assert_eq!(case::Entity::find().all(&app.db).await.unwrap().len(), 1);
    let events: Vec<&str> = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(done.id))
        .order_by_asc(case_event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action.id())
        .collect();
    assert_eq!(events, ["pre_register", "complete_registration"]);
    app.finish().await;
}
