//! `/track` and `/track/{code}`: the public status lookup by code and PIN. The form posts the
//! PIN (never a URL parameter); a right PIN leaves a short-lived grant in an HttpOnly cookie and
//! leads to `/track/{code}`, which shows the status to the holder of that grant. With JavaScript
//! this happens in place; without it, as a post and a page load. `/track/{code}` without a grant
//! is the receipt's QR target and asks for the PIN only.

mod feedback;
mod notices;
mod recent;
mod result;

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::track::{track_granted, TrackCase},
    error::AppError,
    format::format_number,
    i18n::{fill, use_locale, use_texts},
};

#[component]
pub fn TrackPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let path_code = move || params.with(|p| p.get("code"));
    let lookup = ServerAction::<TrackCase>::new();
    // Asked again after each lookup, rating and stop of messages, which come back to this address.
    let granted = Resource::new(
        move || {
            (
                path_code(),
                lookup.version().get(),
                query.with(|q| (q.get("feedback"), q.get("notices"))),
            )
        },
        |(code, _, _)| async move {
            match code {
                Some(code) => track_granted(code).await.ok(),
                None => None,
            }
        },
    );
    let notice = move || {
        query.with(|q| {
            if q.get("feedback").as_deref() == Some("thanks") {
                return Some((false, t().feedback_thanks.to_string()));
            }
            let key = q.get("error")?;
            let text = match (key.as_str(), q.get("retry")) {
                ("err_rate_limited", Some(secs)) => rate_text(secs.parse().unwrap_or(60)),
                _ => t().get(&key).unwrap_or(t().err_bad_request).to_string(),
            };
            Some((true, text))
        })
    };
    let error = Signal::derive(move || lookup.value().get().and_then(Result::err));
    notice_payment(granted);
    view! {
        <Title text=move || t().track_title />
        <Meta name="robots" content="noindex" />
        {move || notice().map(|(is_error, text)| view! {
            <p class=if is_error { "error" } else { "ok" } role="status" data-testid="track-notice">{text}</p>
        })}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || granted.get().map(|found| match found {
                Some(found) => {
                    let code = found.view.code.clone();
                    let found_code = found.view.code.clone();
                    view! {
                        {found.new_pin.map(|pin| view! {
                            <p class="ok new-pin" role="status" data-testid="track-new-pin">
                                {move || fill(t().track_new_pin, &[("pin", &pin), ("code", &code)])}
                            </p>
                        })}
                        <result::TrackResult view=found.view khqr=found.khqr />
                        <notices::NoticesCard code=found_code notices=found.notices />
                    }.into_any()
                }
                None => view! {
                    <TrackForm code=path_code().unwrap_or_default() fixed=path_code().is_some() lookup error />
                    <recent::RecentCodes />
                }.into_any(),
            })}
        </Suspense>
    }
}

/// While the page shows a KHQR, asks every few seconds whether the bank has confirmed the payment
/// and shows the paid status in place when it has. Only a confirmation reloads the page's data,
/// so a notice shown once (a new PIN) stays on screen until then.
fn notice_payment(granted: Resource<Option<crate::types::GrantedTrack>>) {
    #[cfg(feature = "hydrate")]
    {
        let poll = StoredValue::new(None::<IntervalHandle>);
        Effect::new(move |_| {
            let waiting = granted.with(|g| match g {
                Some(Some(found)) if found.khqr.is_some() => Some(found.view.code.clone()),
                _ => None,
            });
            if let Some(handle) = poll.get_value() {
                handle.clear();
                poll.set_value(None);
            }
            let Some(code) = waiting else {
                return;
            };
            let ask = move || {
                let code = code.clone();
                leptos::task::spawn_local(async move {
                    if matches!(track_granted(code).await, Ok(now) if now.view.paid) {
                        granted.refetch();
                    }
                });
            };
            poll.set_value(set_interval_with_handle(ask, PAYMENT_POLL).ok());
        });
        on_cleanup(move || {
            if let Some(handle) = poll.get_value() {
                handle.clear();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = granted;
}

/// The issue asks for a confirmation on screen within 10 s; the server asks the bank every 5 s.
#[cfg(feature = "hydrate")]
const PAYMENT_POLL: std::time::Duration = std::time::Duration::from_secs(3);

/// "Please wait N minutes", rounded up, in the page's language.
fn rate_text(retry_after_secs: u64) -> String {
    let t = use_texts();
    let locale = use_locale();
    let minutes = retry_after_secs.div_ceil(60).max(1) as i64;
    fill(
        t().track_rate_limited,
        &[("n", &format_number(minutes, locale.get()))],
    )
}

/// The code and PIN form; with `fixed`, the code comes from the address and only the PIN is asked.
/// A failed lookup's message shows in place and what was typed stays.
#[component]
fn TrackForm(
    code: String,
    fixed: bool,
    lookup: ServerAction<TrackCase>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_texts();
    let field_error = move |field: &'static str| {
        move || {
            let key = match error.get() {
                Some(AppError::Validation(fields)) => {
                    fields.into_iter().find(|f| f.field == field).map(|f| f.key)
                }
                _ => None,
            }?;
            let testid = format!("err-{field}");
            Some(
                view! { <span class="field-error" data-testid=testid>{move || t().get(&key).unwrap_or_default()}</span> },
            )
        }
    };
    let message = move || {
        let text = match error.get()? {
            AppError::NotFound => t().track_not_found.to_string(),
            AppError::RateLimited { retry_after_secs } => rate_text(retry_after_secs),
            AppError::Validation(_) => return None,
            other => t()
                .get(other.text_key())
                .unwrap_or(t().err_internal)
                .to_string(),
        };
        Some(view! { <p class="error" role="alert" data-testid="track-error">{text}</p> })
    };
    let shown_code = code.clone();
    view! {
        <h1 tabindex="-1">{move || t().track_title}</h1>
        {message}
        <ActionForm action=lookup attr:class="card stack narrow" attr:data-testid="track-form">
            {if fixed {
                view! {
                    <p>{move || fill(t().track_pin_for, &[("code", &shown_code)])}{field_error("code")}</p>
                    <input type="hidden" name="code" value=code.clone() />
                }.into_any()
            } else {
                view! {
                    <p class="lede">{move || t().track_lede}</p>
                    <label>{move || t().track_code}
                        <input name="code" value=code.clone() inputmode="numeric" autocomplete="off" maxlength="20" required />
                        {field_error("code")}
                    </label>
                }.into_any()
            }}
            <label>{move || t().track_pin}
                <input name="pin" inputmode="numeric" autocomplete="off" maxlength="12" required />
                {field_error("pin")}
            </label>
            <button type="submit" class="primary" data-testid="track-submit" disabled=move || lookup.pending().get()>{move || t().track_submit}</button>
        </ActionForm>
    }
}
