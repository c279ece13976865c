//! Messages beside form fields and above forms. A hydrated page reads them from its action's
//! answer and keeps what was typed; after a plain post (no JavaScript) the server sends the
//! browser back with `err_<field>=<key>` or `error=<key>` in the address, and what was typed in
//! the flash store ([`FormValues`]). Both show the same text.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use leptos_router::params::ParamsMap;

use crate::{error::AppError, i18n::use_texts, types::KeptValues};

/// What a form shows in its fields: what its last plain post typed, when the server sent the
/// browser back with it (kept server-side, never in the address), else the address's query (the
/// choices of a GET form). Create it once at the top of the page component: the kept values reach
/// hydration as a shared value, which must be created in the same order on both sides.
#[derive(Clone, Copy)]
pub struct FormValues {
    kept: StoredValue<KeptValues>,
    query: Memo<ParamsMap>,
}

impl FormValues {
    /// The value of `key`, when there is one and it is not empty.
    pub fn get(&self, key: &str) -> Option<String> {
        self.kept
            .with_value(|kept| kept.get(key))
            .or_else(|| self.query.with(|q| q.get(key)))
            .filter(|v| !v.is_empty())
    }

    pub fn or_default(&self, key: &str) -> String {
        self.get(key).unwrap_or_default()
    }
}

pub fn use_form_values() -> FormValues {
    let kept = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<KeptValues>().cloned())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            KeptValues::default()
        }
    })
    .into_inner();
    FormValues {
        kept: StoredValue::new(kept),
        query: use_query_map(),
    }
}

/// The error of a server action's last answer, for [`FieldMessage`] and [`FormNotice`].
pub fn action_error<S, T>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = T, Error = AppError> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
pub fn FieldMessage(
    #[prop(into)] field: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let testid = format!("err-{field}");
    move || {
        let from_action = || match error.get() {
            Some(AppError::Validation(fields)) => {
                fields.into_iter().find(|f| f.field == field).map(|f| f.key)
            }
            _ => None,
        };
        let key = query
            .with(|q| q.get(&format!("err_{field}")))
            .or_else(from_action)?;
        Some(view! {
            <span class="field-error" data-testid=testid.clone()>
                {move || t().get(&key).unwrap_or(t().err_validation)}
            </span>
        })
    }
}

/// The form's overall outcome: an error that concerns no single field, or "please correct the
/// marked fields".
#[component]
pub fn FormNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    move || {
        let key = query
            .with(|q| {
                q.get("error").or_else(|| {
                    q.into_iter()
                        .any(|(k, _)| k.starts_with("err_"))
                        .then(|| "err_validation".to_string())
                })
            })
            .or_else(|| match error.get() {
                Some(AppError::IllegalTransition(key)) => Some(key),
                Some(other) => Some(other.text_key().to_string()),
                None => None,
            })?;
        Some(view! {
            <p class="error" role="alert" data-testid="form-error">
                {move || t().get(&key).unwrap_or(t().err_bad_request)}
            </p>
        })
    }
}

/// The message for an error shown instead of a page's content: a field error's own message (a
/// bad period, an unknown code), or the error's general one.
pub fn error_message(t: &'static crate::i18n::Texts, err: &AppError) -> &'static str {
    match err {
        AppError::Validation(fields) => fields
            .first()
            .and_then(|f| t.get(&f.key))
            .unwrap_or(t.err_validation),
        other => crate::pages::staff::case::error_text(t, other),
    }
}
