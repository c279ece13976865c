use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::prefs::SetLanguage,
    i18n::{use_locale, use_texts},
};

/// A one-button form: with JavaScript it switches the page in place, without it the server sets
/// the cookie and sends the browser back to the same page.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let t = use_texts();
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(chosen)) = action.value().get() {
            locale.set(chosen);
        }
    });
    view! {
        <ActionForm action=action attr:class="lang-switch">
            <input type="hidden" name="lang" value=move || locale.get().other().code() />
            <button type="submit" lang=move || locale.get().other().code() data-testid="lang-switch">
                {move || t().switch_language}
            </button>
        </ActionForm>
    }
}
