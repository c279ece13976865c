use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::prefs::SetLanguage,
    i18n::{use_locale, use_texts},
};

/// A one-button form: the server sets the language cookie and sends the browser back to the same
/// page, now in the other language. It is a plain post with or without JavaScript: every page is
/// rendered on the server, so reloading it is the only way to have all of it in the new language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let t = use_texts();
    let action = ServerAction::<SetLanguage>::new();
    view! {
        <ActionForm action=action attr:class="lang-switch">
            <input type="hidden" name="lang" value=move || locale.get().other().code() />
            <button type="submit" lang=move || locale.get().other().code() data-testid="lang-switch">
                {move || t().switch_language}
            </button>
        </ActionForm>
    }
}
