use leptos::prelude::*;

use crate::{error::AppError, i18n::Locale};

/// Remembers the interface language in a cookie. Answers the locale it set.
#[server(endpoint = "prefs/language")]
pub async fn set_language(lang: String) -> Result<Locale, AppError> {
    use crate::i18n::LANG_COOKIE;
    let locale =
        Locale::from_code(&lang).ok_or_else(|| AppError::field("lang", "err_out_of_range"));
    let locale = super::with_status(locale)?;
    let secure = crate::backend::state::app_state()?.settings.secure_cookies;
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        locale.code(),
        if secure { "; Secure" } else { "" }
    );
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            options.append_header(axum::http::header::SET_COOKIE, value);
        }
    }
    Ok(locale)
}
