//! Issue 17: no panic on hostile input, and nothing personal (phone, ID number, date of birth,
//! PIN) in a request URL or a `Location` header, whatever a plain form post's outcome.

use std::sync::{Mutex, OnceLock};

use crate::{
    on_both_databases,
    support::{cookies_set, location, Db, TestApp},
    workflow::full_service,
};

on_both_databases!(
    hostile_values_posted_to_redirecting_functions_never_panic,
    personal_data_never_travels_in_urls,
    an_account_whose_office_does_not_fit_its_role_gets_nothing,
    duplicate_races_answer_409_never_503,
    a_database_outage_is_not_shown_as_signed_out,
);

/// A post of a hostile value: path, session cookie, fields.
type HostilePost<'a> = (&'a str, Option<&'a str>, Vec<(&'a str, &'a str)>);
/// A form post: what it is, path, session cookie, fields, whether it must succeed.
type FormPost<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Vec<(&'a str, String)>,
    bool,
);

/// Where this process panicked, outside the tests' own assertions.
fn server_panics() -> &'static Mutex<Vec<String>> {
    static PANICS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    PANICS.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let place = info
                .location()
                .map(|l| l.file().to_string())
                .unwrap_or_default();
            if !place.contains("server/tests") {
                if let Ok(mut panics) = server_panics().lock() {
                    panics.push(format!("{info}"));
                }
            }
            previous(info);
        }));
        Mutex::new(Vec::new())
    })
}

async fn hostile_values_posted_to_redirecting_functions_never_panic(kind: Db) {
    server_panics();
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let desk = app.session_of("desk.1201").await;
    let admin = app.session_of("admin.1201").await;
    let national = app.session_of("national").await;
    let long = "9".repeat(5_000);
    let hostile = [
        "\n",
        "\r",
        "\0",
        "%ff",
        "../",
        "a\r\nSet-Cookie: x=1",
        long.as_str(),
    ];
    let mut failures = Vec::new();
    for value in hostile {
        let posts: Vec<HostilePost> = vec![
            (
                "/api/cases/act",
                Some(&desk),
                vec![("code", value), ("action", "forward"), ("version", "1")],
            ),
            (
                "/api/audits/assign",
                Some(&national),
                vec![("audit_id", "1"), ("code", value), ("user_id", "1")],
            ),
            (
                "/api/audits/record",
                Some(&national),
                vec![("audit_id", "1"), ("code", value)],
            ),
            (
                "/api/track/lookup",
                None,
                vec![("code", value), ("pin", "123456")],
            ),
            (
                "/api/track/feedback",
                None,
                vec![("code", value), ("rating", "5")],
            ),
            ("/api/track/stop-notices", None, vec![("code", value)]),
            (
                "/api/complaints/open",
                None,
                vec![("number", value), ("pin", "123456")],
            ),
            (
                "/api/complaints/file",
                None,
                vec![
                    ("category", "delay"),
                    ("office_code", value),
                    ("case_code", value),
                    ("body", value),
                ],
            ),
            (
                "/api/admin/staff/create",
                Some(&admin),
                vec![
                    ("username", value),
                    ("full_name", value),
                    ("role", "cashier"),
                    ("password", "x"),
                ],
            ),
        ];
        for (path, cookie, fields) in posts {
            let res = app.post_form(path, cookie, &fields).await;
            let status = res.status().as_u16();
            let location = location(&res);
            let shown: String = value.chars().take(12).collect();
            if !(300..500).contains(&status) {
                failures.push(format!("{path} with {shown:?}: {status}"));
            }
            if location.contains(['\n', '\r', '\0']) || location.contains("/../") {
                failures.push(format!("{path} with {shown:?}: Location {location:?}"));
            }
        }
    }
    // A raw `%ff` (not valid UTF-8 once decoded) as the case code.
    let res = app
        .client
        .post(app.url("/api/cases/act"))
        .header("accept", "text/html")
        .header("cookie", &desk)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("code=%ff&action=forward&version=1")
        .send()
        .await
        .unwrap();
    assert!(
        (300..500).contains(&res.status().as_u16()),
        "raw %ff: {}",
        res.status()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let (status, _) = app.get_text("/").await;
    assert_eq!(status, 200, "the next request is served");
    let panics = server_panics().lock().unwrap().clone();
    assert!(
        panics.is_empty(),
        "the server panicked:\n{}",
        panics.join("\n")
    );
    app.finish().await;
}

/// The values a citizen or an officer types that must never reach an address.
const PHONE: &str = "012 777 333";
const ID_CARD: &str = "110222333";
const BIRTH: &str = "1990-04-17";

fn carries_personal_data(text: &str, pin: Option<&str>) -> bool {
    let plain = text.replace("%20", " ").replace('+', " ");
    [PHONE, "012777333", "012%20777", ID_CARD, BIRTH]
        .iter()
        .any(|v| plain.contains(v))
        || pin.is_some_and(|p| text.contains(p))
}

async fn personal_data_never_travels_in_urls(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let desk = app.session_of("desk.1201").await;
    let service = full_service(&app).await.to_string();
    let person = |name_latin: &'static str| {
        vec![
            ("service_id", service.clone()),
            ("quantity", "1".to_string()),
            ("applicant_kind", "person".to_string()),
            ("name_km", "សុខ ដារ៉ា".to_string()),
            ("name_latin", name_latin.to_string()),
            ("sex", "M".to_string()),
            ("date_of_birth", BIRTH.to_string()),
            ("phone", PHONE.to_string()),
            ("id_card_number", ID_CARD.to_string()),
            ("village_code", "12010101".to_string()),
            ("office_code", "1201".to_string()),
        ]
    };
    let mut checked = Vec::new();
    let complaint = |body: &str| {
        vec![
            ("category", "delay".to_string()),
            ("office_code", "1201".to_string()),
            ("case_code", "".to_string()),
            ("body", body.to_string()),
            ("phone", PHONE.to_string()),
        ]
    };
    let posts: Vec<FormPost> = vec![
        // Errors: an empty Latin name (registration, application), no text (complaint).
        (
            "registration, error",
            "/api/cases/register",
            Some(&desk),
            person(""),
            false,
        ),
        (
            "registration, success",
            "/api/cases/register",
            Some(&desk),
            person("SOK DARA"),
            true,
        ),
        ("application, error", "/api/apply", None, person(""), false),
        (
            "application, success",
            "/api/apply",
            None,
            person("SOK DARA"),
            true,
        ),
        (
            "complaint, error",
            "/api/complaints/file",
            None,
            complaint(" "),
            false,
        ),
        (
            "complaint, success",
            "/api/complaints/file",
            None,
            complaint("Waited three weeks"),
            true,
        ),
    ];
    for (what, path, cookie, fields, succeeds) in posts {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.post_form(path, cookie, &fields).await;
        let to = location(&res);
        assert_eq!(res.status().as_u16(), 302, "{what}");
        assert!(to.contains("err_") != succeeds, "{what}: {to}");
        // The next page is read with the cookies the answer left, as a browser would; whatever
        // it shows (a PIN, the kept values), its own address carries none of it.
        let mut cookies = cookies_set(&res);
        if let Some(session) = cookie {
            cookies = format!("{session}; {cookies}");
        }
        let next = app
            .client
            .get(app.url(&to))
            .header("cookie", &cookies)
            .send()
            .await
            .unwrap();
        let next_location = location(&next);
        let html = next.text().await.unwrap();
        let pin = html
            .split("data-testid=\"track-new-pin\"")
            .nth(1)
            .or_else(|| html.split("data-testid=\"complaint-pin\"").nth(1))
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
            .map(|p| {
                p.trim()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
            })
            .filter(|p| p.len() == 6);
        for url in [path, to.as_str(), next_location.as_str()] {
            assert!(!carries_personal_data(url, pin.as_deref()), "{what}: {url}");
        }
        if !succeeds && what != "complaint, error" {
            assert!(
                html.contains(ID_CARD),
                "{what}: the typed values are kept for the form"
            );
        }
        checked.push(what);
    }
    assert_eq!(checked.len(), 6);
    app.finish().await;
}

/// An office role with an unparsable office code, or none, once fell back to national scope.
async fn an_account_whose_office_does_not_fit_its_role_gets_nothing(kind: Db) {
    use app::backend::entities::user;
    use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let session = app.session_of("chief.1201").await;
    // The foreign key already refuses an office code that names no office; what remains is an
    // office role without its office, bare or with a province (once read as national or
    // province scope).
    for broken in [None, Some("12")] {
        user::Entity::update_many()
            .col_expr(
                user::Column::OfficeCode,
                Expr::value(Option::<String>::None),
            )
            .col_expr(user::Column::ProvinceCode, Expr::value(broken))
            .filter(user::Column::Username.eq("chief.1201"))
            .exec(&app.db)
            .await
            .unwrap();
        for path in [
            "/api/cases/inbox",
            "/api/stats/dashboard",
            "/api/reports/choices",
        ] {
            let res = app
                .client
                .post(app.url(path))
                .header("cookie", &session)
                .form(&[("locale", "Km")])
                .send()
                .await
                .unwrap();
            assert_eq!(
                res.status().as_u16(),
                403,
                "{path} with no office, province {broken:?}"
            );
        }
        let (status, _) = app
            .api(
                reqwest::Method::GET,
                "/api/v1/inbox",
                Some(&tokens["chief.1201"]),
                None,
            )
            .await;
        assert_eq!(status, 403, "API with no office, province {broken:?}");
        let res = app.form_login("chief.1201", "owso-demo-2026").await;
        assert!(
            !res.headers().get_all("set-cookie").iter().any(|c| c
                .to_str()
                .unwrap_or_default()
                .starts_with("owso_session=")
                && !c.to_str().unwrap_or_default().contains("Max-Age=0")),
            "no session with no office, province {broken:?}"
        );
    }
    app.finish().await;
}

/// A unique key refusing a row is a race between people, not an outage.
async fn duplicate_races_answer_409_never_503(kind: Db) {
    use app::{backend::entities::user, error::AppError};
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    // Straight at the database: a second row with a taken username.
    let existing = user::Entity::find().one(&app.db).await.unwrap().unwrap();
    let mut copy = existing.into_active_model();
    copy.id = sea_orm::ActiveValue::NotSet;
    let err = copy.insert(&app.db).await.unwrap_err();
    assert_eq!(AppError::from(err).status(), 409);

    // Through the server: administrators creating one username at the same moment.
    let admins = [
        app.session_of("sysadmin").await,
        app.session_of("admin.1201").await,
    ];
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (client, url, cookie) = (
            app.client.clone(),
            app.url("/api/admin/staff/create"),
            admins[i % 2].clone(),
        );
        attempts.spawn(async move {
            client
                .post(url)
                .header("cookie", cookie)
                .form(&[
                    ("username", "cashier.race"),
                    ("full_name", "Race"),
                    ("role", "cashier"),
                    ("office_code", "1201"),
                    ("password", "a-long-enough-password-2026"),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses: Vec<u16> = attempts.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "one creation wins: {statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 409, 422].contains(s)),
        "the others hear who was first, never 503: {statuses:?}"
    );
    app.finish().await;
}

async fn a_database_outage_is_not_shown_as_signed_out(kind: Db) {
    let app = TestApp::spawn(kind).await;
    app.demo_tokens().await;
    let session = app.session_of("desk.1201").await;
    let me = |cookie: &str| {
        app.client
            .post(app.url("/api/auth/me"))
            .header("cookie", cookie.to_string())
            .send()
    };
    let res = me(&session).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.text().await.unwrap().contains("desk.1201"));
    let res = me("owso_session=not-a-session").await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(
        res.text().await.unwrap(),
        "null",
        "a stale cookie is nobody"
    );
    // The server's pool is the test's: closing it is an outage.
    app.db.clone().close().await.unwrap();
    let res = me(&session).await.unwrap();
    assert_eq!(
        res.status().as_u16(),
        503,
        "an outage is said, not 'signed out'"
    );
    app.finish().await;
}
