//! Issue 19: KHQR payments confirmed through the Bakong Open API. The real HTTP client talks to a
//! stand-in server on loopback (`bank_stand_in`) that answers in the API's documented JSON
//! shapes; the stand-in is a test fixture, never in the binary.

use std::{collections::HashMap, time::Duration};

use app::{
    backend::{
        audit::{self, Verification},
        entities::{audit_entry, case, case_event, payment, payment_request},
        payments::{self, Applied, BankAnswer},
        settings::{BakongSettings, Secret},
    },
    domain::{
        khqr::{self, PaymentChannel, RequestState},
        Stage,
    },
};
use owso_server::bakong::{poll_once, BakongClient};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::{
    bank_stand_in::{stand_in, transaction, Mode, TOKEN},
    on_both_databases,
    reports::user_named,
    support::{connect, Db, TestApp},
    workflow::{act, full_service, get_case, register},
};

on_both_databases!(
    a_confirmed_payment_moves_the_case_past_the_cashier_exactly_once,
    payments_that_do_not_match_wait_for_the_cashier,
    failures_of_the_api_leave_requests_to_ask_again,
    two_servers_polling_the_same_requests_pay_once,
    a_cashier_records_a_khqr_payment_by_hand_once_per_reference,
);

fn client(url: &str, timeout: Duration) -> BakongClient {
    BakongClient::with_timeout(
        BakongSettings {
            url: url.to_string(),
            token: Secret::new(TOKEN.into()),
            interval: Duration::from_secs(5),
        },
        timeout,
    )
    .unwrap()
}

/// A demo app with KHQR accounts and one case of office 1201 waiting at the cashier: its code,
/// fee and the payment request its first view issued.
async fn waiting_case(
    app: &TestApp,
    tokens: &HashMap<String, String>,
) -> (String, i64, payment_request::Model) {
    owso_server::seed::load_demo_payment_accounts(&app.db)
        .await
        .unwrap();
    let service_id = full_service(app).await;
    let (code, _) = register(app, tokens, service_id).await;
    let shown = payments::code_for_case_code(&app.db, &code, chrono::Utc::now())
        .await
        .unwrap()
        .expect("a case at the cashier of an office with an account has a KHQR");
    let request = payment_request::Entity::find()
        .filter(payment_request::Column::Md5.eq(shown.md5.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let decoded = khqr::decode(&request.payload).unwrap();
    assert_eq!(decoded.bill_number.as_deref(), Some(code.as_str()));
    assert_eq!(decoded.amount, Some(shown.amount.to_string()));
    assert_eq!(decoded.currency, khqr::RIEL_CURRENCY);
    assert_eq!(decoded.account_id, "owso_1201@demo");
    (code, shown.amount, request)
}

async fn khqr_payments(app: &TestApp) -> Vec<payment::Model> {
    payment::Entity::find()
        .filter(payment::Column::Channel.eq(PaymentChannel::Khqr))
        .all(&app.db)
        .await
        .unwrap()
}

async fn request_state(app: &TestApp, id: i64) -> payment_request::Model {
    payment_request::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn a_confirmed_payment_moves_the_case_past_the_cashier_exactly_once(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (code, fee, request) = waiting_case(&app, &tokens).await;
    // A second view reuses the code: one request per case while it stays valid.
    let again = payments::code_for_case_code(&app.db, &code, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.md5, request.md5);

    let (url, bank) = stand_in().await;
    bank.lock()
        .unwrap()
        .paid
        .insert(request.md5.clone(), transaction("a1b2c3", fee, "KHR"));
    let client = client(&url, Duration::from_secs(5));
    let round = poll_once(&app.db, &client, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (round.asked, round.api_calls, round.paid),
        (1, 1, 1),
        "{round:?}"
    );
    assert_eq!(
        bank.lock().unwrap().bad_tokens,
        0,
        "the bearer token is sent"
    );

    let (_, detail) = get_case(&app, &tokens["chief.1201"], &code).await;
    assert_eq!(detail["stage"], "chief_check");
    assert!(detail["paid"].as_bool().unwrap());
    let paid = khqr_payments(&app).await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0].reference.as_deref(), Some("a1b2c3"));
    assert_eq!(paid[0].amount, fee);
    assert_eq!(paid[0].cashier_user_id, None);
    let settled = request_state(&app, request.id).await;
    assert_eq!(settled.state, RequestState::Paid);
    assert_eq!(settled.bank_hash.as_deref(), Some("a1b2c3"));
    let c = case::Entity::find()
        .filter(case::Column::Code.eq(code.clone()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let pay_event = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Seq.eq(2))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        pay_event.actor_name.as_deref(),
        Some(app::backend::workflow::BANK_ACTOR)
    );

    // Asking again, or applying the same answer from a stale read, pays nothing more.
    let round = poll_once(&app.db, &client, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(round.asked, 0);
    let replay = payments::apply_answer(
        &app.db,
        &request,
        BankAnswer::Paid {
            hash: "a1b2c3".into(),
            from_account: None,
            amount: fee,
            currency: "KHR".into(),
            paid_at: chrono::Utc::now(),
        },
        Duration::from_secs(5),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(replay, Applied::AlreadyApplied);
    assert_eq!(khqr_payments(&app).await.len(), 1);
    // A paid case shows no code any more.
    assert!(
        payments::code_for_case_code(&app.db, &code, chrono::Utc::now())
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        audit::verify(&app.db).await.unwrap(),
        Verification::Intact { .. }
    ));
    app.finish().await;
}

async fn payments_that_do_not_match_wait_for_the_cashier(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (short_code, fee, short) = waiting_case(&app, &tokens).await;
    let (dollar_code, _, dollars) = waiting_case(&app, &tokens).await;
    let (url, bank) = stand_in().await;
    {
        let mut bank = bank.lock().unwrap();
        bank.paid
            .insert(short.md5.clone(), transaction("short1", fee - 1_000, "KHR"));
        bank.paid
            .insert(dollars.md5.clone(), transaction("usd1", fee, "USD"));
    }
    let round = poll_once(
        &app.db,
        &client(&url, Duration::from_secs(5)),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!((round.paid, round.flagged), (0, 2), "{round:?}");
    for code in [&short_code, &dollar_code] {
        let (_, detail) = get_case(&app, &tokens["cashier.1201"], code).await;
        assert_eq!(detail["stage"], "cashier", "{code} stays at the cashier");
    }
    let held = request_state(&app, short.id).await;
    assert_eq!(held.state, RequestState::Mismatch);
    assert_eq!(held.bank_amount, Some(fee - 1_000));
    assert_eq!(
        request_state(&app, dollars.id)
            .await
            .bank_currency
            .as_deref(),
        Some("USD")
    );
    assert!(khqr_payments(&app).await.is_empty());

    let cashier = user_named(&app, "cashier.1201").await;
    let screen = payments::reconciliation(&app.db, &cashier, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(screen.mismatches.len(), 2);
    assert!(screen.confirmed_today.is_empty());
    app.finish().await;
}

async fn failures_of_the_api_leave_requests_to_ask_again(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (_, fee, request) = waiting_case(&app, &tokens).await;
    let (url, bank) = stand_in().await;
    let client = client(&url, Duration::from_secs(1));
    for mode in [Mode::Http500, Mode::Slow, Mode::Garbage] {
        bank.lock().unwrap().mode = Some(mode);
        let round = poll_once(&app.db, &client, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(
            (round.failed_calls, round.paid),
            (1, 0),
            "{mode:?}: {round:?}"
        );
        let still = request_state(&app, request.id).await;
        assert_eq!(still.state, RequestState::Open, "{mode:?}");
        assert_eq!(still.checks, 0, "{mode:?}: a failed call is not an answer");
    }
    // Not found: asked again after the interval.
    bank.lock().unwrap().mode = None;
    let now = chrono::Utc::now();
    let round = poll_once(&app.db, &client, now).await.unwrap();
    assert_eq!((round.asked, round.failed_calls), (1, 0));
    let waiting = request_state(&app, request.id).await;
    assert_eq!(waiting.checks, 1);
    assert!(waiting.next_check_at > now);
    assert_eq!(
        poll_once(&app.db, &client, now).await.unwrap().asked,
        0,
        "not due again yet"
    );
    // Once the bank has it, the next due round pays.
    bank.lock()
        .unwrap()
        .paid
        .insert(request.md5.clone(), transaction("late1", fee, "KHR"));
    let later = now + chrono::Duration::seconds(6);
    assert_eq!(poll_once(&app.db, &client, later).await.unwrap().paid, 1);
    // A request past its expiry and grace that the bank never saw is closed as expired.
    let (_, _, old) = waiting_case(&app, &tokens).await;
    let past = old.expires_at + payments::EXPIRY_GRACE + chrono::Duration::minutes(1);
    let applied = payments::apply_answer(
        &app.db,
        &old,
        BankAnswer::NotFound,
        Duration::from_secs(5),
        past,
    )
    .await
    .unwrap();
    assert_eq!(applied, Applied::Expired);
    assert_eq!(
        request_state(&app, old.id).await.state,
        RequestState::Expired
    );
    app.finish().await;
}

async fn two_servers_polling_the_same_requests_pay_once(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (url, bank) = stand_in().await;
    let mut cases = Vec::new();
    for i in 0..6 {
        let (code, fee, request) = waiting_case(&app, &tokens).await;
        bank.lock().unwrap().paid.insert(
            request.md5.clone(),
            transaction(&format!("race{i}"), fee, "KHR"),
        );
        cases.push(code);
    }
    let other = connect(&app.fresh.url).await;
    let (one, two) = (
        client(&url, Duration::from_secs(5)),
        client(&url, Duration::from_secs(5)),
    );
    let (first, second) = tokio::join!(
        poll_once(&app.db, &one, chrono::Utc::now()),
        poll_once(&other, &two, chrono::Utc::now()),
    );
    let paid = first.unwrap().paid + second.unwrap().paid;
    assert_eq!(paid, 6, "every payment is applied by exactly one server");
    assert_eq!(khqr_payments(&app).await.len(), 6);
    for code in &cases {
        let (_, detail) = get_case(&app, &tokens["chief.1201"], code).await;
        assert_eq!(detail["stage"], Stage::ChiefCheck.id());
        assert_eq!(
            detail["events"].as_array().unwrap().len(),
            2,
            "one pay event"
        );
    }
    let _ = other.close().await;
    app.finish().await;
}

async fn a_cashier_records_a_khqr_payment_by_hand_once_per_reference(kind: Db) {
    let app = TestApp::spawn(kind).await;
    let tokens = app.demo_tokens().await;
    let (first, fee, _) = waiting_case(&app, &tokens).await;
    let (second, _, _) = waiting_case(&app, &tokens).await;
    let by_hand = |reference: &str| json!({ "action": "pay", "version": 1, "amount": fee, "reference": reference });
    let (status, outcome) = act(&app, &tokens["cashier.1201"], &first, by_hand("HASH-77")).await;
    assert_eq!(status, 200, "{outcome}");
    let (status, refused) = act(&app, &tokens["cashier.1201"], &second, by_hand("HASH-77")).await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused.to_string().contains("err_khqr_reference_used"),
        "{refused}"
    );
    let (status, refused) = act(
        &app,
        &tokens["cashier.1201"],
        &second,
        by_hand("no spaces allowed"),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    let paid = khqr_payments(&app).await;
    assert_eq!(paid.len(), 1);
    assert!(paid[0].cashier_user_id.is_some());
    assert_eq!(
        payment::Entity::find().count(&app.db).await.unwrap(),
        1,
        "the refused one left nothing behind"
    );
    // The chief cancels a KHQR payment like a cash one, with a reason, and the audit keeps it.
    let (status, refused) = act(
        &app,
        &tokens["chief.1201"],
        &first,
        json!({ "action": "cancel_payment", "version": 2 }),
    )
    .await;
    assert_eq!(status, 422, "a cancellation needs its reason: {refused}");
    let (status, outcome) = act(
        &app,
        &tokens["chief.1201"],
        &first,
        json!({ "action": "cancel_payment", "version": 2, "comment": "refunded by the bank" }),
    )
    .await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["stage"], "cashier");
    let cancelled = payment::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        cancelled.cancel_reason.as_deref(),
        Some("refunded by the bank")
    );
    assert_eq!(cancelled.channel, PaymentChannel::Khqr);
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("case_cancel_payment"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    app.finish().await;
}
