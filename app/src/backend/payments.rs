//! Online payment by KHQR: each office's Bakong account, the codes citizens scan, and the
//! bank's confirmations. The payload itself is `domain::khqr`; this module stores what was shown
//! and applies what the bank says about it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    audit::{self, AuditEvent},
    auth::CurrentUser,
    calendar::local_date,
    db::begin_write,
    entities::{case, office_payment_account as account_row, payment, payment_request, service},
    local_reads::Reader,
    workflow,
};
use crate::{
    domain::{
        khqr::{self, PaymentAccount, PaymentAccountInput, PaymentCode, RequestState},
        CaseStatus, Riel, Role, Stage,
    },
    error::AppError,
    types::payments::{KhqrView, PaymentAccountPage, Reconciliation, ReconciliationRow},
};

/// How long a code stays payable. A bank app refuses a dynamic KHQR past its expiry.
pub const CODE_LIFETIME: Duration = Duration::hours(24);
/// A code with less than this left is not shown: the citizen needs time to open the bank app.
pub const SHOW_MARGIN: Duration = Duration::minutes(10);
/// A request is still asked about this long after it expired, for a payment made at the last
/// moment and acknowledged late.
pub const EXPIRY_GRACE: Duration = Duration::minutes(30);
/// Requests older than this are asked about less often.
pub const BACK_OFF_AFTER: Duration = Duration::hours(1);
pub const BACK_OFF_FACTOR: i32 = 10;

/// One transaction as the bank reported it for a payment request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankConfirmation {
    pub request_id: i64,
    pub hash: String,
    pub from_account: Option<String>,
    pub amount: i64,
    /// ISO 4217 letters, as the Bakong API answers: `KHR` or `USD`.
    pub currency: String,
    pub paid_at: DateTime<Utc>,
}

fn may_manage(user: &CurrentUser, office_code: &str) -> bool {
    match user.role {
        Role::SystemAdmin => true,
        Role::OfficeAdmin => user.jurisdiction.acts_in_office(office_code),
        _ => false,
    }
}

fn to_account(row: &account_row::Model) -> Option<PaymentAccount> {
    // Stored rows were checked when saved; one that no longer parses is treated as absent so
    // no malformed code ever reaches a citizen.
    PaymentAccount::parse(&PaymentAccountInput {
        account_id: row.account_id.clone(),
        merchant_name: row.merchant_name.clone(),
        merchant_name_km: row.merchant_name_km.clone(),
        city: row.city.clone(),
        merchant_id: row.merchant_id.clone().unwrap_or_default(),
        acquiring_bank: row.acquiring_bank.clone().unwrap_or_default(),
    })
    .ok()
}

fn stored(
    office_code: &str,
    account: &PaymentAccount,
    now: DateTime<Utc>,
    by: Option<i32>,
) -> account_row::ActiveModel {
    account_row::ActiveModel {
        office_code: Set(office_code.to_owned()),
        account_id: Set(account.account_id().to_owned()),
        merchant_name: Set(account.merchant_name().to_owned()),
        merchant_name_km: Set(account.merchant_name_km().to_owned()),
        city: Set(account.city().to_owned()),
        merchant_id: Set(account.merchant_id().map(str::to_owned)),
        acquiring_bank: Set(account.acquiring_bank().map(str::to_owned)),
        updated_at: Set(now),
        updated_by: Set(by),
    }
}

pub async fn account(
    db: &impl ConnectionTrait,
    office_code: &str,
) -> Result<Option<PaymentAccount>, AppError> {
    Ok(account_row::Entity::find_by_id(office_code.to_owned())
        .one(db)
        .await?
        .as_ref()
        .and_then(to_account))
}

/// The admin form: the office's account, or an empty form.
pub async fn account_page(
    db: &DatabaseConnection,
    user: &CurrentUser,
    office_code: Option<&str>,
) -> Result<PaymentAccountPage, AppError> {
    let office_code = match office_code.map(str::to_owned).or(user.office_code.clone()) {
        Some(code) => code,
        // The system administrator starts at the first office and picks another by its code.
        None if user.role == Role::SystemAdmin => super::entities::office::Entity::find()
            .order_by_asc(super::entities::office::Column::Code)
            .one(db)
            .await?
            .map(|o| o.code)
            .ok_or(AppError::NotFound)?,
        None => return Err(AppError::Forbidden),
    };
    if !may_manage(user, &office_code) {
        return Err(AppError::Forbidden);
    }
    let office = super::entities::office::Entity::find_by_id(office_code.clone())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = account_row::Entity::find_by_id(office_code.clone())
        .one(db)
        .await?;
    Ok(PaymentAccountPage {
        office_code,
        office_name_km: office.name_km,
        office_name_en: office.name_en,
        account: row.as_ref().and_then(to_account).map(|a| a.to_input()),
        updated_at: row.map(|r| r.updated_at),
        any_office: user.role == Role::SystemAdmin,
    })
}

pub async fn save_account(
    db: &DatabaseConnection,
    user: &CurrentUser,
    office_code: &str,
    input: &PaymentAccountInput,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, AppError> {
    if !may_manage(user, office_code) {
        return Err(AppError::Forbidden);
    }
    let account = PaymentAccount::parse(input).map_err(AppError::Validation)?;
    super::entities::office::Entity::find_by_id(office_code.to_owned())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = begin_write(db).await?;
    let before = account_row::Entity::find_by_id(office_code.to_owned())
        .one(&*txn)
        .await?;
    let row = stored(office_code, &account, now, Some(user.id));
    let before_json = before
        .as_ref()
        .and_then(to_account)
        .map(|a| serde_json::to_value(a.to_input()).unwrap_or_default());
    if before.is_some() {
        row.update(&*txn).await?;
    } else {
        row.insert(&*txn).await?;
    }
    // Codes already shown name the old account; new ones are issued on the next view.
    payment_request::Entity::update_many()
        .col_expr(
            payment_request::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(payment_request::Column::OfficeCode.eq(office_code))
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .filter(payment_request::Column::ExpiresAt.gt(now))
        .exec(&*txn)
        .await?;
    audit::record(
        &txn,
        AuditEvent {
            action: "payment_account_save".into(),
            entity: "office".into(),
            entity_id: Some(office_code.to_owned()),
            before: before_json,
            after: Some(serde_json::to_value(account.to_input()).unwrap_or_default()),
            ..user.audit_actor(ip)
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(account)
}

/// Sets an office's account unless it has one; for the demo data, which no person enters.
pub async fn seed_account(
    db: &DatabaseConnection,
    office_code: &str,
    account: &PaymentAccount,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if account_row::Entity::find_by_id(office_code.to_owned())
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    stored(office_code, account, now, None).insert(db).await?;
    Ok(true)
}

pub fn payload_md5(payload: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(payload.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn view_of(request: &payment_request::Model, account: &PaymentAccount) -> KhqrView {
    KhqrView {
        payload: request.payload.clone(),
        svg: khqr_card_svg(&request.payload, request.amount, account.merchant_name()),
        amount: request.amount,
        expires_at: request.expires_at,
        md5: request.md5.clone(),
    }
}

/// The KHQR a citizen may pay this case's fee with, issuing a fresh one when none is valid for
/// long enough. `None` when nothing is to be paid now or the office takes no KHQR.
pub async fn code_for_case(
    db: &DatabaseConnection,
    c: &case::Model,
    now: DateTime<Utc>,
) -> Result<Option<KhqrView>, AppError> {
    if super::cases::live_payment(db, c.id).await?.is_some() {
        return Ok(None);
    }
    code_for_unpaid_case(Reader::pool(db), c, now).await
}

/// [`code_for_case`] for a case the caller already knows has no live payment.
pub async fn code_for_unpaid_case(
    reader: Reader<'_>,
    c: &case::Model,
    now: DateTime<Utc>,
) -> Result<Option<KhqrView>, AppError> {
    if c.stage != Stage::Cashier || c.status != CaseStatus::Active || c.fee_total <= 0 {
        return Ok(None);
    }
    let db = reader.db;
    let Some(account) = reader
        .one(account_row::Entity::find_by_id(c.office_code.clone()))
        .await?
        .as_ref()
        .and_then(to_account)
    else {
        return Ok(None);
    };
    let showable = reader
        .one(
            payment_request::Entity::find()
                .filter(payment_request::Column::CaseId.eq(c.id))
                .filter(payment_request::Column::State.eq(RequestState::Open))
                .filter(payment_request::Column::Amount.eq(c.fee_total))
                .filter(payment_request::Column::ExpiresAt.gt(now + SHOW_MARGIN))
                .order_by_desc(payment_request::Column::ExpiresAt),
        )
        .await?;
    if let Some(request) = showable {
        return Ok(Some(view_of(&request, &account)));
    }
    let expires_at = now + CODE_LIFETIME;
    let code = PaymentCode {
        account: account.clone(),
        amount: Riel(c.fee_total),
        bill_number: c.code.clone(),
        store_label: c.office_code.clone(),
        created_ms: millis(now),
        expires_ms: millis(expires_at),
    };
    let payload = khqr::encode(&code).map_err(|e| {
        tracing::error!(case = %c.code, error = %e, "KHQR payload refused");
        AppError::Internal
    })?;
    let txn = begin_write(db).await?;
    let request = payment_request::ActiveModel {
        case_id: Set(c.id),
        office_code: Set(c.office_code.clone()),
        amount: Set(c.fee_total),
        currency: Set("KHR".into()),
        md5: Set(payload_md5(&payload)),
        payload: Set(payload),
        created_at: Set(now),
        expires_at: Set(expires_at),
        state: Set(RequestState::Open),
        next_check_at: Set(now),
        checks: Set(0),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(Some(view_of(&request, &account)))
}

/// The code for a case found by its registration code; for the receipt and the status page.
pub async fn code_for_case_code(
    db: &DatabaseConnection,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<KhqrView>, AppError> {
    match case::Entity::find()
        .filter(case::Column::Code.eq(code))
        .one(db)
        .await?
    {
        Some(c) => code_for_case(db, &c, now).await,
        None => Ok(None),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The KHQR card as NBC's guidelines draw it: a red header with the KHQR mark, the merchant
/// name and the amount above a dashed rule, then the code. An SVG, so it prints sharp and costs
/// a few kilobytes on a phone.
pub fn khqr_card_svg(payload: &str, amount: i64, merchant_name: &str) -> String {
    use std::{
        collections::HashMap,
        sync::{Mutex, OnceLock},
    };
    // Choosing the QR's mask scores all eight candidates: about a quarter of the CPU of a status
    // page with an open code, drawn again at every view and every 3-second poll. A payload never
    // changes once issued, so its card is kept; past the bound the memo starts over.
    const KEPT_CARDS: usize = 4096;
    static CARDS: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let cards = CARDS.get_or_init(Default::default);
    let key = format!("{amount}\u{1f}{merchant_name}\u{1f}{payload}");
    if let Some(svg) = cards.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return svg;
    }
    let svg = draw_khqr_card(payload, amount, merchant_name);
    if let Ok(mut kept) = cards.lock() {
        if kept.len() >= KEPT_CARDS {
            kept.clear();
        }
        kept.insert(key, svg.clone());
    }
    svg
}

fn draw_khqr_card(payload: &str, amount: i64, merchant_name: &str) -> String {
    let Ok(qr) =
        qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
    else {
        return String::new();
    };
    let width = qr.width();
    let quiet = 2;
    let size = width + 2 * quiet;
    // One rectangle per run of dark modules in a row: half the bytes of one per module, which
    // matters twice on a phone (in the page and in the data it hydrates from).
    let colors = qr.to_colors();
    let mut path = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == qrcode::Color::Dark {
                x += 1;
            }
            let run = x - start;
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", start + quiet, y + quiet));
        }
    }
    let (card_w, header_h) = (220, 36);
    let qr_top = 112;
    let qr_px = 196;
    let card_h = qr_top + qr_px + 12;
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="KHQR {amount} KHR">"##,
            r##"<rect width="{w}" height="{h}" rx="14" fill="#fff" stroke="#d9d9d9"/>"##,
            r##"<path d="M0 14a14 14 0 0 1 14-14h{hw}a14 14 0 0 1 14 14v{hh}H0z" fill="#E1232E"/>"##,
            r##"<text x="{cx}" y="25" text-anchor="middle" fill="#fff" font-family="Arial,sans-serif" font-weight="700" font-size="17" letter-spacing="2">KHQR</text>"##,
            r##"<text x="20" y="62" fill="#000" font-family="Arial,sans-serif" font-size="12">{name}</text>"##,
            r##"<text x="20" y="90" fill="#000" font-family="Arial,sans-serif" font-weight="700" font-size="22">{amount} <tspan font-size="12" font-weight="400">KHR</tspan></text>"##,
            r##"<path d="M0 104h{w}" stroke="#bfbfbf" stroke-dasharray="5 4"/>"##,
            r##"<svg x="12" y="{qt}" width="{qp}" height="{qp}" viewBox="0 0 {s} {s}" shape-rendering="crispEdges"><path d="{path}" fill="#000"/></svg>"##,
            "</svg>"
        ),
        w = card_w,
        h = card_h,
        hw = card_w - 28,
        hh = header_h - 14,
        cx = card_w / 2,
        name = escape(merchant_name),
        amount = crate::format::group_thousands(amount),
        qt = qr_top,
        qp = qr_px,
        s = size,
        path = path,
    )
}

/// What the bank answered about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankAnswer {
    NotFound,
    Paid {
        hash: String,
        from_account: Option<String>,
        amount: i64,
        currency: String,
        paid_at: DateTime<Utc>,
    },
}

/// What applying an answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Asked again later.
    Waiting,
    Expired,
    /// The case moved past the cashier.
    Paid,
    /// Another server, or an earlier try, applied it already.
    AlreadyApplied,
    /// Held for the cashier with the bank's figures.
    Flagged,
}

/// The open requests due to be asked about, oldest check first.
pub async fn due_requests(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<payment_request::Model>, AppError> {
    Ok(payment_request::Entity::find()
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .filter(payment_request::Column::NextCheckAt.lte(now))
        .order_by_asc(payment_request::Column::NextCheckAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// When to ask about a request next: every `interval` while it is young, ten times less often
/// after an hour, since most citizens pay within minutes of seeing the code.
pub fn next_check(
    request: &payment_request::Model,
    interval: std::time::Duration,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let interval = Duration::from_std(interval).unwrap_or(Duration::seconds(5));
    if now - request.created_at >= BACK_OFF_AFTER {
        now + interval * BACK_OFF_FACTOR
    } else {
        now + interval
    }
}

async fn reschedule(
    db: &DatabaseConnection,
    request: &payment_request::Model,
    state: RequestState,
    next: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let mut update = payment_request::Entity::update_many()
        .col_expr(
            payment_request::Column::NextCheckAt,
            sea_orm::sea_query::Expr::value(next),
        )
        .col_expr(
            payment_request::Column::Checks,
            sea_orm::sea_query::ExprTrait::add(
                sea_orm::sea_query::Expr::col(payment_request::Column::Checks),
                1,
            ),
        )
        .col_expr(
            payment_request::Column::State,
            sea_orm::sea_query::Expr::value(state),
        );
    if state != RequestState::Open {
        update = update.col_expr(
            payment_request::Column::ResolvedAt,
            sea_orm::sea_query::Expr::value(now),
        );
    }
    update
        .filter(payment_request::Column::Id.eq(request.id))
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// A request closed by what the bank reported, its figures kept beside it.
fn resolved_by_bank(
    state: RequestState,
    confirmation: &BankConfirmation,
    now: DateTime<Utc>,
) -> payment_request::ActiveModel {
    payment_request::ActiveModel {
        state: Set(state),
        bank_hash: Set(Some(confirmation.hash.clone())),
        bank_amount: Set(Some(confirmation.amount)),
        bank_currency: Set(Some(confirmation.currency.clone())),
        bank_from_account: Set(confirmation.from_account.clone()),
        bank_paid_at: Set(Some(confirmation.paid_at)),
        resolved_at: Set(Some(now)),
        ..Default::default()
    }
}

async fn flag(
    db: &DatabaseConnection,
    confirmation: &BankConfirmation,
    now: DateTime<Utc>,
) -> Result<Applied, AppError> {
    let txn = begin_write(db).await?;
    let updated = payment_request::Entity::update_many()
        .set(resolved_by_bank(RequestState::Mismatch, confirmation, now))
        .filter(payment_request::Column::Id.eq(confirmation.request_id))
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(if updated.rows_affected == 1 {
        tracing::warn!(
            request = confirmation.request_id,
            "KHQR payment does not match its case; held for the cashier"
        );
        Applied::Flagged
    } else {
        Applied::AlreadyApplied
    })
}

/// Marks the request paid inside the `pay` action's transaction; a request another server
/// resolved first makes the whole action roll back.
pub(super) async fn mark_paid(
    txn: &impl ConnectionTrait,
    confirmation: &BankConfirmation,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let updated = payment_request::Entity::update_many()
        .set(resolved_by_bank(RequestState::Paid, confirmation, now))
        .filter(payment_request::Column::Id.eq(confirmation.request_id))
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .exec(txn)
        .await?;
    if updated.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// A cashier recorded a KHQR payment by its bank reference (the API was down, or no token is
/// set): the case's newest open request is paid by it and the others closed, so no one asks the
/// bank about them again.
pub(super) async fn settle_by_hand(
    txn: &impl ConnectionTrait,
    case_id: i64,
    reference: &str,
    amount: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let open = payment_request::Entity::find()
        .filter(payment_request::Column::CaseId.eq(case_id))
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .order_by_desc(payment_request::Column::Id)
        .all(txn)
        .await?;
    // A reference the bank already reported on another request (a held mismatch) stays there.
    let seen = payment_request::Entity::find()
        .filter(payment_request::Column::BankHash.eq(reference))
        .count(txn)
        .await?
        > 0;
    for (i, request) in open.into_iter().enumerate() {
        let paid = i == 0;
        payment_request::ActiveModel {
            state: Set(if paid {
                RequestState::Paid
            } else {
                RequestState::Closed
            }),
            bank_hash: Set((paid && !seen).then(|| reference.to_owned())),
            bank_amount: Set(paid.then_some(amount)),
            bank_currency: Set(paid.then(|| "KHR".to_owned())),
            resolved_at: Set(Some(now)),
            ..request.into()
        }
        .update(txn)
        .await?;
    }
    Ok(())
}

/// Asks again later about requests the bank has not seen, in one statement: most answers in a
/// round are "not found", and one write each would cost a transaction per request per round.
pub async fn reschedule_unseen(
    db: &DatabaseConnection,
    ids: &[i64],
    next: DateTime<Utc>,
) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    let txn = begin_write(db).await?;
    payment_request::Entity::update_many()
        .col_expr(
            payment_request::Column::NextCheckAt,
            sea_orm::sea_query::Expr::value(next),
        )
        .col_expr(
            payment_request::Column::Checks,
            sea_orm::sea_query::ExprTrait::add(
                sea_orm::sea_query::Expr::col(payment_request::Column::Checks),
                1,
            ),
        )
        .filter(payment_request::Column::Id.is_in(ids.iter().copied()))
        .filter(payment_request::Column::State.eq(RequestState::Open))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Applies the bank's answer about one request. Safe to run on several servers at once and to
/// repeat after a crash: the request's state, the case's version and the unique transaction hash
/// each let only one writer through.
pub async fn apply_answer(
    db: &DatabaseConnection,
    request: &payment_request::Model,
    answer: BankAnswer,
    interval: std::time::Duration,
    now: DateTime<Utc>,
) -> Result<Applied, AppError> {
    let (hash, from_account, amount, currency, paid_at) = match answer {
        BankAnswer::NotFound => {
            if now > request.expires_at + EXPIRY_GRACE {
                reschedule(db, request, RequestState::Expired, now, now).await?;
                return Ok(Applied::Expired);
            }
            let next = next_check(request, interval, now);
            reschedule(db, request, RequestState::Open, next, now).await?;
            return Ok(Applied::Waiting);
        }
        BankAnswer::Paid {
            hash,
            from_account,
            amount,
            currency,
            paid_at,
        } => (hash, from_account, amount, currency, paid_at),
    };
    let confirmation = BankConfirmation {
        request_id: request.id,
        hash,
        from_account,
        amount,
        currency,
        paid_at,
    };
    let Some(c) = case::Entity::find_by_id(request.case_id).one(db).await? else {
        return flag(db, &confirmation, now).await;
    };
    let matches = confirmation.currency == "KHR"
        && confirmation.amount == request.amount
        && confirmation.amount == c.fee_total;
    if !matches {
        return flag(db, &confirmation, now).await;
    }
    match workflow::pay_by_bank(db, &confirmation, &c.code, c.version, now).await {
        Ok(_) => Ok(Applied::Paid),
        Err(AppError::Conflict) => {
            // Someone else wrote first: another server applying this very answer, or a cashier
            // taking cash. Only the request's state tells which.
            let now_state = payment_request::Entity::find_by_id(request.id)
                .one(db)
                .await?
                .map(|r| r.state);
            match now_state {
                Some(RequestState::Open) => {
                    let fresh = case::Entity::find_by_id(request.case_id)
                        .one(db)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    match workflow::pay_by_bank(db, &confirmation, &c.code, fresh.version, now)
                        .await
                    {
                        Ok(_) => Ok(Applied::Paid),
                        Err(AppError::Conflict) => Ok(Applied::AlreadyApplied),
                        Err(_) => flag(db, &confirmation, now).await,
                    }
                }
                _ => Ok(Applied::AlreadyApplied),
            }
        }
        // Paid in cash meanwhile, or the case moved on: the citizen paid twice or late, which
        // only the cashier can settle.
        Err(AppError::IllegalTransition(_)) | Err(AppError::Validation(_)) => {
            flag(db, &confirmation, now).await
        }
        Err(other) => Err(other),
    }
}

/// Payment codes for `owso payments codes`: one per demo case waiting at a cashier whose office
/// has an account.
pub async fn sample_codes(
    db: &DatabaseConnection,
    count: u64,
    now: DateTime<Utc>,
) -> Result<Vec<(String, payment_request::Model)>, AppError> {
    let offices: Vec<String> = account_row::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.office_code)
        .collect();
    let waiting = case::Entity::find()
        .filter(case::Column::Stage.eq(Stage::Cashier))
        .filter(case::Column::Status.eq(CaseStatus::Active))
        .filter(case::Column::FeeTotal.gt(0))
        .filter(case::Column::OfficeCode.is_in(offices))
        .order_by_asc(case::Column::Id)
        .limit(count)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for c in waiting {
        if code_for_case(db, &c, now).await?.is_some() {
            if let Some(request) = payment_request::Entity::find()
                .filter(payment_request::Column::CaseId.eq(c.id))
                .filter(payment_request::Column::State.eq(RequestState::Open))
                .order_by_desc(payment_request::Column::Id)
                .one(db)
                .await?
            {
                out.push((c.code.clone(), request));
            }
        }
    }
    Ok(out)
}

/// The cashier's KHQR screen for the office: KHQR payments taken today (confirmed by the bank
/// or entered by hand), payments held for the cashier, and codes still waiting.
pub async fn reconciliation(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Reconciliation, AppError> {
    user.role.require(crate::domain::Area::Payments)?;
    let office_code = user.office_code.clone().ok_or(AppError::Forbidden)?;
    let today_start = crate::domain::calendar::from_phnom_penh(
        local_date(now).and_hms_opt(0, 0, 0).unwrap_or_default(),
    );
    let requests = |state: RequestState| {
        payment_request::Entity::find()
            .filter(payment_request::Column::OfficeCode.eq(office_code.clone()))
            .filter(payment_request::Column::State.eq(state))
    };
    let confirmed = payment::Entity::find()
        .filter(payment::Column::OfficeCode.eq(office_code.clone()))
        .filter(payment::Column::Channel.eq(khqr::PaymentChannel::Khqr))
        .filter(payment::is_live())
        .filter(payment::Column::PaidAt.gte(today_start))
        .order_by_desc(payment::Column::PaidAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let mismatches = requests(RequestState::Mismatch)
        .order_by_desc(payment_request::Column::ResolvedAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let waiting =
        || requests(RequestState::Open).filter(payment_request::Column::ExpiresAt.gt(now));
    let open = waiting()
        .order_by_desc(payment_request::Column::CreatedAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    let open_total = waiting().count(db).await?;
    let case_ids: Vec<i64> = confirmed
        .iter()
        .map(|p| p.case_id)
        .chain(mismatches.iter().chain(&open).map(|r| r.case_id))
        .collect();
    let cases: HashMap<i64, (String, i32, Stage)> = case::Entity::find()
        .filter(case::Column::Id.is_in(case_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, (c.code, c.service_id, c.stage)))
        .collect();
    let services: HashMap<i32, (String, String)> = service::Entity::find()
        .filter(service::Column::Id.is_in(cases.values().map(|c| c.1).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, (s.name_km, s.name_en)))
        .collect();
    let row = |case_id: i64, amount: i64, at: DateTime<Utc>| {
        let (code, service_id, stage) = cases
            .get(&case_id)
            .cloned()
            .unwrap_or_else(|| (String::new(), 0, Stage::Cashier));
        let (service_name_km, service_name_en) =
            services.get(&service_id).cloned().unwrap_or_default();
        ReconciliationRow {
            code,
            service_name_km,
            service_name_en,
            stage,
            amount,
            bank_amount: None,
            bank_currency: None,
            bank_hash: None,
            bank_from_account: None,
            at,
        }
    };
    let from_request = |r: payment_request::Model| ReconciliationRow {
        bank_amount: r.bank_amount,
        bank_currency: r.bank_currency,
        bank_hash: r.bank_hash,
        bank_from_account: r.bank_from_account,
        ..row(r.case_id, r.amount, r.resolved_at.unwrap_or(r.expires_at))
    };
    Ok(Reconciliation {
        office_code: office_code.clone(),
        confirmed_today: confirmed
            .into_iter()
            .map(|p| ReconciliationRow {
                bank_amount: Some(p.amount),
                bank_currency: Some("KHR".into()),
                bank_hash: p.reference,
                ..row(p.case_id, p.amount, p.paid_at)
            })
            .collect(),
        mismatches: mismatches.into_iter().map(from_request).collect(),
        open: open.into_iter().map(from_request).collect(),
        open_total,
    })
}

/// Rows per list on the reconciliation screen; the open list says how many more there are.
const LIST_LIMIT: u64 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_is_lowercase_hex_as_the_bakong_api_expects() {
        assert_eq!(payload_md5("abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn the_card_carries_the_amount_and_an_escaped_name() {
        let svg = khqr_card_svg("00020101021229", 1_250_000, "A&B <Office>");
        assert!(svg.contains("1,250,000"));
        assert!(svg.contains("A&amp;B &lt;Office&gt;"));
        assert!(svg.contains("#E1232E"));
    }
}
