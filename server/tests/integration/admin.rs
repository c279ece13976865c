//! Administration (accounts, catalogue, holidays) and the authorization matrix: every page, server
//! function and API route, for every role, inside and outside the caller's jurisdiction.

use std::collections::HashMap;

use app::backend::entities::{audit_entry, case, holiday, service, user, workflow_step};
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::{
    on_both_databases,
    support::{cookies_set, location, Db, TestApp},
};

on_both_databases!(
    administrators_manage_staff_within_their_scope,
    system_admin_edits_a_service_without_touching_existing_cases,
    system_admin_maintains_the_holiday_calendar,
    every_route_and_server_function_checks_role_and_jurisdiction,
);

/// Calls a server function as a hydrated page would (no `Accept: text/html`), so the answer is
/// the status and JSON body rather than a redirect.
async fn call(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut req = app.client.post(app.url(path));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.form(fields).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn user_id(app: &TestApp, username: &str) -> i32 {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no user {username}"))
        .id
}

async fn audit_actions(
    app: &TestApp,
    entity_id: &str,
) -> Vec<(String, Option<String>, Option<String>, Option<String>)> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityId.eq(entity_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.action, a.actor_name, a.before_json, a.after_json))
        .collect()
}

async fn administrators_manage_staff_within_their_scope(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let admin = app.session_of("admin.1201").await;
    let other_admin = app.session_of("admin.0203").await;
    let sysadmin = app.session_of("sysadmin").await;
    let good = [
        ("username", "cashier2.1201"),
        ("full_name", "Keo Sophal"),
        ("role", "cashier"),
        ("office_code", "1201"),
        ("password", "a long enough phrase"),
    ];
    // Bad input comes back field by field, with what was typed but never the password.
    let mut bad = good;
    bad[0] = ("username", "No Spaces!");
    bad[4] = ("password", "Password123");
    let res = app
        .post_form("/api/admin/staff/create", Some(&admin), &bad)
        .await;
    let back = location(&res);
    assert!(back.starts_with("/admin/users?"), "{back}");
    assert!(back.contains("err_username=err_bad_username"), "{back}");
    assert!(back.contains("err_password=err_password_common"), "{back}");
    // What was typed waits in the server's flash, never in the address; the password is not kept.
    assert!(
        !back.contains("Keo") && !back.contains("Password123"),
        "{back}"
    );
    let (_, refilled) = app
        .get_as(&back, &format!("{admin}; {}", cookies_set(&res)))
        .await;
    assert!(
        refilled.contains("Keo Sophal") && !refilled.contains("Password123"),
        "the form comes back with the name typed, without the password"
    );
    // An office administrator creates staff for their own office only, and no national roles.
    let mut elsewhere = good;
    elsewhere[3] = ("office_code", "0203");
    let back = location(
        &app.post_form("/api/admin/staff/create", Some(&admin), &elsewhere)
            .await,
    );
    assert!(back.contains("err_role=err_role_not_yours"), "{back}");
    let mut national = good;
    national[2] = ("role", "system_admin");
    national[3] = ("office_code", "");
    let (status, body) = call(&app, "/api/admin/staff/create", Some(&admin), &national).await;
    assert_eq!(status, 422, "{body}");
    assert!(user::Entity::find()
        .filter(user::Column::Username.eq("cashier2.1201"))
        .one(&app.db)
        .await
        .unwrap()
        .is_none());
    let res = app
        .post_form("/api/admin/staff/create", Some(&admin), &good)
        .await;
    assert_eq!(location(&res), "/admin/users?created=cashier2.1201");
    let (status, body) = call(&app, "/api/admin/staff/create", Some(&admin), &good).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["key"], "err_username_taken");
    let new_session = app
        .session_of_with("cashier2.1201", "a long enough phrase")
        .await;
    let (status, _) = app.get_as("/staff/inbox", &new_session).await;
    assert_eq!(status, 200);

    // The office administrator's list holds their office only; the page shows the new account.
    let (status, list) = call(&app, "/api/admin/staff", Some(&admin), &[]).await;
    assert_eq!(status, 200);
    let accounts = list["accounts"].as_array().unwrap();
    assert!(accounts.len() >= 8);
    assert!(
        accounts.iter().all(|a| a["office_code"] == "1201"),
        "{list}"
    );
    let (status, html) = app.get_as("/admin/users", &admin).await;
    assert_eq!(status, 200);
    assert!(html.contains("cashier2.1201") && !html.contains("desk.0203"));

    // Another office's administrator cannot see or touch the account: not found.
    let id = user_id(&app, "cashier2.1201").await.to_string();
    let (status, _) = call(
        &app,
        "/api/admin/staff/active",
        Some(&other_admin),
        &[("user_id", &id), ("active", "false")],
    )
    .await;
    assert_eq!(status, 404);
    // Disabling from the screen ends the live session at once.
    let res = app
        .post_form(
            "/api/admin/staff/active",
            Some(&admin),
            &[("user_id", &id), ("active", "false")],
        )
        .await;
    assert_eq!(location(&res), "/admin/users?updated=1");
    assert_eq!(app.get_as("/staff/inbox", &new_session).await.0, 401);
    let refused = app
        .form_login("cashier2.1201", "a long enough phrase")
        .await;
    assert_eq!(location(&refused), "/login?error=failed");
    let own = user_id(&app, "admin.1201").await.to_string();
    let (status, body) = call(
        &app,
        "/api/admin/staff/active",
        Some(&admin),
        &[("user_id", &own), ("active", "false")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    // The system administrator re-enables it and sets a new password; the old one stops working.
    let (status, _) = call(
        &app,
        "/api/admin/staff/active",
        Some(&sysadmin),
        &[("user_id", &id), ("active", "true")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &app,
        "/api/admin/staff/password",
        Some(&sysadmin),
        &[("user_id", &id), ("password", "short")],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["key"], "err_password_short");
    let (status, _) = call(
        &app,
        "/api/admin/staff/password",
        Some(&sysadmin),
        &[("user_id", &id), ("password", "another long phrase")],
    )
    .await;
    assert_eq!(status, 200);
    let old = app
        .form_login("cashier2.1201", "a long enough phrase")
        .await;
    assert_eq!(location(&old), "/login?error=failed");
    let fresh = app.form_login("cashier2.1201", "another long phrase").await;
    assert_eq!(location(&fresh), "/staff/inbox");

    // Each change is in the audit log with who did it.
    let trail = audit_actions(&app, &id).await;
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|(a, who, _, _)| (a.as_str(), who.as_deref().unwrap_or("")))
        .collect();
    for expected in [
        ("user_create", "admin.1201"),
        ("user_disable", "admin.1201"),
        ("user_enable", "sysadmin"),
        ("user_password_reset", "sysadmin"),
    ] {
        assert!(
            actions.contains(&expected),
            "{expected:?} missing from {actions:?}"
        );
    }
    app.finish().await;
}

/// The form fields that keep a service as it is, with `fee` and the allowances given.
fn service_form(
    id: &str,
    fee: &str,
    time_standard: &str,
    steps: &[(&'static str, String)],
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("id".to_string(), id.to_string()),
        ("fee_riel".into(), fee.to_string()),
        ("time_standard_days".into(), time_standard.to_string()),
        ("documents_km".into(), "អត្តសញ្ញាណប័ណ្ណ\nសៀវភៅគ្រួសារ".into()),
        ("documents_en".into(), "ID card\nFamily book".into()),
        ("active".into(), "on".into()),
    ];
    for (stage, days) in steps {
        fields.push((format!("include[{stage}]"), "on".into()));
        fields.push((format!("days[{stage}]"), days.clone()));
    }
    fields
}

async fn system_admin_edits_a_service_without_touching_existing_cases(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let sysadmin = app.session_of("sysadmin").await;
    let chief = app.session_of("chief.1201").await;
    let svc = service::Entity::find()
        .filter(service::Column::FeeRiel.gt(0))
        .order_by_asc(service::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let steps: Vec<(&'static str, String)> = workflow_step::Entity::find()
        .filter(workflow_step::Column::ServiceId.eq(svc.id))
        .order_by_asc(workflow_step::Column::Position)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| {
            let stage = s.stage.id();
            (stage, s.working_days.to_string())
        })
        .collect();
    let register = |fee_check: i64| {
        let body = json!({
            "service_id": svc.id, "quantity": 1, "applicant_kind": "person",
            "name_km": "សុខ ដារ៉ា", "name_latin": "SOK DARA", "sex": "F", "phone": "012345678",
            "village_code": "12010101"
        });
        let app = &app;
        let token = tokens["desk.1201"].clone();
        async move {
            let (status, created) = app
                .api(Method::POST, "/api/v1/cases", Some(&token), Some(body))
                .await;
            assert_eq!(status, 201, "{created}");
            let code = created["code"].as_str().unwrap().to_string();
            let (_, detail) = app
                .api(
                    Method::GET,
                    &format!("/api/v1/cases/{code}"),
                    Some(&token),
                    None,
                )
                .await;
            assert_eq!(detail["fee_total"], fee_check);
            code
        }
    };
    let old_case = register(svc.fee_riel).await;
    let id = svc.id.to_string();
    let ts = svc.time_standard_days.to_string();
    let new_fee = (svc.fee_riel * 2).to_string();
    let form = service_form(&id, &new_fee, &ts, &steps);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

    // Only the system administrator edits the catalogue.
    let (status, _) = call(&app, "/api/admin/services/update", Some(&chief), &fields).await;
    assert_eq!(status, 403);
    // Allowances that do not add up to the time standard are refused, naming the field.
    let mut wrong = form.clone();
    wrong[2].1 = (svc.time_standard_days + 3).to_string();
    let wrong: Vec<(&str, &str)> = wrong
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let back = location(
        &app.post_form("/api/admin/services/update", Some(&sysadmin), &wrong)
            .await,
    );
    assert!(
        back.contains("err_time_standard_days=err_steps_sum"),
        "{back}"
    );
    let res = app
        .post_form("/api/admin/services/update", Some(&sysadmin), &fields)
        .await;
    assert_eq!(location(&res), format!("/admin/services/{id}?saved=1"));

    // The case registered before keeps its fee; a new one pays the new fee.
    let (_, old) = app
        .api(
            Method::GET,
            &format!("/api/v1/cases/{old_case}"),
            Some(&tokens["desk.1201"]),
            None,
        )
        .await;
    assert_eq!(old["fee_total"], svc.fee_riel);
    register(svc.fee_riel * 2).await;
    let saved = service::Entity::find_by_id(svc.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.documents_en, r#"["ID card","Family book"]"#);

    // A step that still holds open cases cannot be removed: both cases wait at the cashier...
    let chief_steps: Vec<_> = steps
        .iter()
        .filter(|(s, _)| *s != "cashier")
        .cloned()
        .collect();
    let no_cashier = service_form(&id, "0", &ts, &chief_steps);
    let no_cashier: Vec<(&str, &str)> = no_cashier
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, body) = call(
        &app,
        "/api/admin/services/update",
        Some(&sysadmin),
        &no_cashier,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["key"], "err_steps_in_use");
    let open = case::Entity::find()
        .filter(case::Column::ServiceId.eq(svc.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        open.iter().all(|c| c.stage == app::domain::Stage::Cashier),
        "nothing moved"
    );

    // The audit entry holds the fee before and after.
    let trail = audit_actions(&app, &svc.code).await;
    let (_, who, before, after) = trail.iter().find(|t| t.0 == "service_update").unwrap();
    assert_eq!(who.as_deref(), Some("sysadmin"));
    let before: Value = serde_json::from_str(before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(after.as_deref().unwrap()).unwrap();
    assert_eq!(before["fee_riel"], svc.fee_riel);
    assert_eq!(after["fee_riel"], svc.fee_riel * 2);
    // The editor page shows the open cases at the cashier step.
    let (status, html) = app
        .get_as(&format!("/admin/services/{id}"), &sysadmin)
        .await;
    assert_eq!(status, 200);
    assert!(html.contains(&svc.code) && html.contains(&new_fee));
    app.finish().await;
}

async fn system_admin_maintains_the_holiday_calendar(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let sysadmin = app.session_of("sysadmin").await;
    let admin = app.session_of("admin.1201").await;
    let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 3).unwrap();
    let fields = [
        ("day", "2027-03-03"),
        ("name_km", "ថ្ងៃបុណ្យសាកល្បង"),
        ("name_en", "Test day"),
    ];
    assert_eq!(
        call(&app, "/api/admin/holidays/save", Some(&admin), &fields)
            .await
            .0,
        403
    );
    let res = app
        .post_form("/api/admin/holidays/save", Some(&sysadmin), &fields)
        .await;
    assert_eq!(location(&res), "/admin/holidays?year=2027&saved=1");
    let stored = holiday::Entity::find_by_id(day)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name_en, "Test day");
    let (status, html) = app.get_as("/admin/holidays?year=2027", &sysadmin).await;
    assert_eq!(status, 200);
    assert!(html.contains("2027-03-03") && html.contains("ថ្ងៃបុណ្យសាកល្បង"));
    let back = location(
        &app.post_form(
            "/api/admin/holidays/save",
            Some(&sysadmin),
            &[("day", "2027-02-30"), ("name_km", ""), ("name_en", "x")],
        )
        .await,
    );
    assert!(
        back.contains("err_day=err_bad_date") && back.contains("err_name_km=err_required"),
        "{back}"
    );
    let res = app
        .post_form(
            "/api/admin/holidays/delete",
            Some(&sysadmin),
            &[("day", "2027-03-03")],
        )
        .await;
    assert_eq!(location(&res), "/admin/holidays?year=2027&saved=1");
    assert!(holiday::Entity::find_by_id(day)
        .one(&app.db)
        .await
        .unwrap()
        .is_none());
    let trail = audit_actions(&app, "2027-03-03").await;
    assert_eq!(trail.len(), 2);
    app.finish().await;
}

type Fields<'a> = Vec<(&'a str, &'a str)>;

/// What a caller should get: a success, or the status that refuses them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Ok,
    Status(u16),
}

const CALLERS: [&str; 13] = [
    "anonymous",
    "desk.1201",
    "cashier.1201",
    "chief.1201",
    "tech.1201",
    "director.1201",
    "decision.1201",
    "admin.1201",
    "desk.0203",
    "admin.0203",
    "viewer.12",
    "national",
    "sysadmin",
];

/// Reading a case of office 1201: its staff and the viewers above it see it; anyone else is told
/// it does not exist.
fn read_case(who: &str) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "desk.0203" | "admin.0203" => Want::Status(404),
        _ => Want::Ok,
    }
}

/// Acting on it with an action nobody may take now (forward at the cashier): outsiders 404,
/// everyone who can see it 422.
fn act_on_case(who: &str) -> Want {
    match read_case(who) {
        Want::Ok => Want::Status(422),
        other => other,
    }
}

fn register_invalid(who: &str) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "desk.1201" | "desk.0203" => Want::Status(422),
        _ => Want::Status(403),
    }
}

fn inbox(who: &str) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "viewer.12" | "national" | "sysadmin" => Want::Status(403),
        _ => Want::Ok,
    }
}

/// Account screens: system and office administrators get `success`, everyone else is refused.
fn admins_only(who: &str, success: Want) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "sysadmin" | "admin.1201" | "admin.0203" => success,
        _ => Want::Status(403),
    }
}

/// Managing desk.1201's account: its office's administrator and the system administrator may;
/// the other office's administrator is told it does not exist.
fn manage_desk_1201(who: &str, success: Want) -> Want {
    match who {
        "admin.1201" | "sysadmin" => success,
        "admin.0203" => Want::Status(404),
        other => admins_only(other, Want::Ok),
    }
}

fn system_admin_only(who: &str, success: Want) -> Want {
    match who {
        "sysadmin" => success,
        other => admins_only(other, Want::Status(403)),
    }
}

/// Statistics and reports: leadership, within its jurisdiction (the default view is the
/// caller's own).
fn leadership(who: &str, success: Want) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "desk.1201" | "cashier.1201" | "tech.1201" | "desk.0203" => Want::Status(403),
        _ => success,
    }
}

/// Office 1201's Bakong account: its administrator and the system administrator; the other
/// office's administrator is refused.
fn payment_account_1201(who: &str, success: Want) -> Want {
    match who {
        "admin.1201" | "sysadmin" => success,
        other => admins_only(other, Want::Status(403)),
    }
}

/// The cashier's KHQR screen: the office's cashier, chief and administrator.
fn khqr_desk(who: &str) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "cashier.1201" | "chief.1201" | "admin.1201" | "admin.0203" => Want::Ok,
        _ => Want::Status(403),
    }
}

/// Sample audits: province and national viewers only.
fn auditors(who: &str, success: Want) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "viewer.12" | "national" => success,
        _ => Want::Status(403),
    }
}

/// Office 1201's failed messages: its administrator and the system administrator.
fn notices_of_1201(who: &str) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "admin.1201" | "sysadmin" => Want::Ok,
        _ => Want::Status(403),
    }
}

/// Anyone signed in reaches the function, which then finds nothing they may touch.
fn signed_in(who: &str, success: Want) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        _ => success,
    }
}

/// The office's complaints: its chief only.
fn office_chief(who: &str, success: Want) -> Want {
    match who {
        "anonymous" => Want::Status(401),
        "chief.1201" => success,
        _ => Want::Status(403),
    }
}

/// Server functions anyone may call, signed in or not: the citizen's pages, the catalogue and
/// the places, sign-in and sign-out. Every other registered server function must be in the
/// matrix, so a new one cannot ship unchecked.
const PUBLIC_FUNCTIONS: [&str; 18] = [
    "/api/apply",
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/me",
    "/api/catalogue/list",
    "/api/geo/choices",
    "/api/complaints/file",
    "/api/complaints/open",
    "/api/complaints/granted",
    "/api/home/figures",
    "/api/offices/list",
    "/api/prefs/language",
    "/api/public/catalogue",
    "/api/public/service",
    "/api/public/office",
    "/api/public/scorecard",
    "/api/track/lookup",
    "/api/track/granted",
];

fn check(results: &mut Vec<String>, what: &str, who: &str, want: Want, status: u16) {
    let ok = match want {
        Want::Ok => (200..400).contains(&status),
        Want::Status(s) => status == s,
    };
    if !ok {
        results.push(format!("{what} as {who}: wanted {want:?}, got {status}"));
    }
}

async fn every_route_and_server_function_checks_role_and_jurisdiction(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let svc = service::Entity::find()
        .filter(service::Column::FeeRiel.gt(0))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (status, created) = app
        .api(
            Method::POST,
            "/api/v1/cases",
            Some(&tokens["desk.1201"]),
            Some(json!({
                "service_id": svc.id, "quantity": 1, "applicant_kind": "person",
                "name_km": "សុខ ដារ៉ា", "name_latin": "SOK DARA", "sex": "M", "village_code": "12010101"
            })),
        )
        .await;
    assert_eq!(status, 201);
    let code = created["code"].as_str().unwrap().to_string();
    let desk_id = user_id(&app, "desk.1201").await.to_string();
    let svc_id = svc.id.to_string();
    let mut cookies: HashMap<&str, Option<String>> = HashMap::new();
    for who in CALLERS {
        let cookie = (who != "anonymous").then_some(who);
        let cookie = match cookie {
            Some(name) => Some(app.session_of(name).await),
            None => None,
        };
        cookies.insert(who, cookie);
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for who in CALLERS {
        let cookie = cookies[who].as_deref();
        let token = tokens.get(who).map(String::as_str);
        let page = |path: String| {
            let app = &app;
            async move {
                let mut req = app.client.get(app.url(&path));
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                req.send().await.unwrap().status().as_u16()
            }
        };
        let pages = [
            ("/staff/inbox".to_string(), inbox(who)),
            (format!("/staff/cases/{code}"), read_case(who)),
            (format!("/staff/cases/{code}/receipt"), read_case(who)),
            ("/admin/users".to_string(), admins_only(who, Want::Ok)),
            (
                "/admin/services".to_string(),
                system_admin_only(who, Want::Ok),
            ),
            (
                format!("/admin/services/{svc_id}"),
                system_admin_only(who, Want::Ok),
            ),
            (
                "/admin/holidays".to_string(),
                system_admin_only(who, Want::Ok),
            ),
            (
                "/admin/payment-account".to_string(),
                admins_only(who, Want::Ok),
            ),
            ("/staff/payments".to_string(), khqr_desk(who)),
            (
                "/admin/notices".to_string(),
                system_admin_only(who, Want::Ok),
            ),
            (
                "/staff/notices?office=1201".to_string(),
                notices_of_1201(who),
            ),
        ];
        for (path, want) in pages {
            let status = page(path.clone()).await;
            check(&mut failures, &format!("GET {path}"), who, want, status);
            checked += 1;
        }
        let functions: Vec<(&str, Fields, Want)> = vec![
            ("/api/cases/inbox", vec![], inbox(who)),
            ("/api/cases/detail", vec![("code", &code)], read_case(who)),
            ("/api/cases/receipt", vec![("code", &code)], read_case(who)),
            (
                "/api/cases/act",
                vec![("code", &code), ("action", "forward"), ("version", "1")],
                act_on_case(who),
            ),
            (
                "/api/cases/register",
                vec![
                    ("service_id", "0"),
                    ("quantity", "0"),
                    ("applicant_kind", "person"),
                    ("name_km", ""),
                    ("name_latin", ""),
                ],
                register_invalid(who),
            ),
            ("/api/admin/staff", vec![], admins_only(who, Want::Ok)),
            (
                "/api/admin/staff/create",
                vec![
                    ("username", "x"),
                    ("full_name", ""),
                    ("role", "cashier"),
                    ("password", ""),
                ],
                admins_only(who, Want::Status(422)),
            ),
            (
                "/api/admin/staff/active",
                vec![("user_id", &desk_id), ("active", "true")],
                manage_desk_1201(who, Want::Ok),
            ),
            (
                "/api/admin/staff/password",
                vec![("user_id", &desk_id), ("password", "short")],
                manage_desk_1201(who, Want::Status(422)),
            ),
            (
                "/api/admin/services",
                vec![],
                system_admin_only(who, Want::Ok),
            ),
            (
                "/api/admin/services/get",
                vec![("id", &svc_id)],
                system_admin_only(who, Want::Ok),
            ),
            (
                "/api/admin/services/update",
                vec![
                    ("id", &svc_id),
                    ("fee_riel", "x"),
                    ("time_standard_days", "0"),
                    ("documents_km", ""),
                    ("documents_en", ""),
                ],
                system_admin_only(who, Want::Status(422)),
            ),
            (
                "/api/admin/holidays",
                vec![],
                system_admin_only(who, Want::Ok),
            ),
            (
                "/api/admin/holidays/save",
                vec![("day", "nope"), ("name_km", ""), ("name_en", "")],
                system_admin_only(who, Want::Status(422)),
            ),
            (
                "/api/admin/holidays/delete",
                vec![("day", "1999-01-01")],
                system_admin_only(who, Want::Status(404)),
            ),
            (
                "/api/payments/account",
                vec![("office", "1201")],
                payment_account_1201(who, Want::Ok),
            ),
            (
                "/api/payments/account/save",
                vec![
                    ("office_code", "1201"),
                    ("account_id", "no-at-sign"),
                    ("merchant_name", "OWSO"),
                    ("merchant_name_km", "ការិយាល័យ"),
                    ("city", "Phnom Penh"),
                ],
                payment_account_1201(who, Want::Status(422)),
            ),
            ("/api/payments/reconciliation", vec![], khqr_desk(who)),
            (
                "/api/stats/dashboard",
                vec![("locale", "Km")],
                leadership(who, Want::Ok),
            ),
            ("/api/reports/choices", vec![], leadership(who, Want::Ok)),
            (
                "/api/reports/report",
                vec![("period", "1999-Q9")],
                leadership(who, Want::Status(422)),
            ),
            ("/api/audits/list", vec![], auditors(who, Want::Ok)),
            ("/api/audits/form", vec![], auditors(who, Want::Ok)),
            (
                "/api/audits/draw",
                vec![
                    ("year", "x"),
                    ("quarter", "1"),
                    ("province", "12"),
                    ("per_office", "1"),
                    ("cap", "1"),
                    ("seed", "1"),
                ],
                auditors(who, Want::Status(422)),
            ),
            (
                "/api/audits/get",
                vec![("id", "999999")],
                auditors(who, Want::Status(404)),
            ),
            (
                "/api/audits/assign",
                vec![("audit_id", "999999"), ("code", &code), ("user_id", "1")],
                auditors(who, Want::Status(404)),
            ),
            (
                "/api/audits/case",
                vec![("audit_id", "999999"), ("code", &code)],
                auditors(who, Want::Status(404)),
            ),
            (
                "/api/audits/record",
                vec![("audit_id", "999999"), ("code", &code)],
                auditors(who, Want::Status(404)),
            ),
            (
                "/api/complaints/office",
                vec![],
                office_chief(who, Want::Ok),
            ),
            (
                "/api/complaints/answer",
                vec![("id", "999999"), ("answer", "x")],
                office_chief(who, Want::Status(404)),
            ),
            (
                "/api/track/feedback",
                vec![("code", &code), ("rating", "5")],
                Want::Status(404),
            ),
            (
                "/api/notices/templates",
                vec![],
                system_admin_only(who, Want::Ok),
            ),
            (
                "/api/notices/templates/save",
                vec![
                    ("event", "registered"),
                    ("body_km", "{pin}"),
                    ("body_en", "{pin}"),
                ],
                system_admin_only(who, Want::Status(422)),
            ),
            (
                "/api/notices/office",
                vec![("office", "1201")],
                notices_of_1201(who),
            ),
            (
                "/api/notices/retry",
                vec![("id", "999999")],
                signed_in(who, Want::Status(404)),
            ),
            // Stopping a case's messages takes the citizen's lookup grant, which no staff
            // session is.
            (
                "/api/track/stop-notices",
                vec![("code", &code)],
                Want::Status(404),
            ),
        ];
        if who == "anonymous" {
            let listed: std::collections::HashSet<&str> = functions
                .iter()
                .map(|(path, _, _)| *path)
                .chain(PUBLIC_FUNCTIONS)
                .collect();
            let unlisted: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
                .map(|(path, _)| path)
                .filter(|path| !listed.contains(path))
                .collect();
            assert!(
                unlisted.is_empty(),
                "server functions missing from the authorization matrix: {unlisted:?}"
            );
        }
        for (path, fields, want) in functions {
            let (status, body) = call(&app, path, cookie, &fields).await;
            check(
                &mut failures,
                &format!("POST {path} {body}"),
                who,
                want,
                status,
            );
            checked += 1;
        }
        let api = [
            (
                Method::GET,
                format!("/api/v1/cases/{code}"),
                None,
                read_case(who),
            ),
            (
                Method::POST,
                format!("/api/v1/cases/{code}/actions"),
                Some(json!({ "action": "forward", "version": 1 })),
                act_on_case(who),
            ),
            (
                Method::POST,
                "/api/v1/cases".to_string(),
                Some(
                    json!({ "service_id": 0, "quantity": 0, "applicant_kind": "person", "name_km": "", "name_latin": "" }),
                ),
                register_invalid(who),
            ),
            (Method::GET, "/api/v1/inbox".to_string(), None, inbox(who)),
        ];
        for (method, path, body, want) in api {
            let (status, answer) = app.api(method.clone(), &path, token, body).await;
            check(
                &mut failures,
                &format!("{method} {path} {answer}"),
                who,
                want,
                status,
            );
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, CALLERS.len() * 51);
    app.finish().await;
}
