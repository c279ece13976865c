//! Khmer-first translations. Texts come from `locales/km.json` and `locales/en.json` through the
//! build script, so each key is a checked field of [`Texts`].

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/texts.rs"));

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "owso_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Km,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Locale::Km => "km",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "km" | "km-kh" => Some(Locale::Km),
            "en" | "en-us" | "en-gb" => Some(Locale::En),
            _ => None,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Km => &KM,
            Locale::En => &EN,
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::Km => Locale::En,
            Locale::En => Locale::Km,
        }
    }

    /// Picks a name in the user's language from a Khmer/Latin pair.
    pub fn pick<'a>(self, km: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Km => km,
            Locale::En => en,
        }
    }
}

/// The language of a request: the cookie wins, then the first of Khmer or English in
/// `Accept-Language` (by q-value), then Khmer.
pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
    if let Some(locale) = cookie_header.and_then(cookie_locale) {
        return locale;
    }
    accept_language
        .and_then(accept_language_locale)
        .unwrap_or_default()
}

fn cookie_locale(header: &str) -> Option<Locale> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Locale::from_code(value))
}

fn accept_language_locale(header: &str) -> Option<Locale> {
    let mut best: Option<(f32, Locale)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(locale) = Locale::from_code(primary) {
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, locale));
            }
        }
    }
    best.map(|(_, l)| l)
}

/// The page's language as a signal, provided once by `App`.
pub fn use_locale() -> RwSignal<Locale> {
    expect_context::<RwSignal<Locale>>()
}

/// The current texts; call it inside a reactive closure so the page follows a language switch.
pub fn use_texts() -> impl Fn() -> &'static Texts + Copy + Send + Sync + 'static {
    let locale = use_locale();
    move || locale.get().texts()
}

/// Replaces `{name}` placeholders in a translated template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_accept_language() {
        assert_eq!(negotiate(Some("a=b; owso_lang=en"), Some("km")), Locale::En);
        assert_eq!(negotiate(Some("owso_lang=km"), Some("en")), Locale::Km);
    }

    #[test]
    fn accept_language_is_weighted() {
        assert_eq!(negotiate(None, Some("en")), Locale::En);
        assert_eq!(negotiate(None, Some("en-US,en;q=0.9")), Locale::En);
        assert_eq!(negotiate(None, Some("fr, km;q=0.8, en;q=0.5")), Locale::Km);
        assert_eq!(negotiate(None, Some("fr")), Locale::Km);
        assert_eq!(negotiate(Some("owso_lang=xx"), None), Locale::Km);
    }

    #[test]
    fn both_locales_fill_every_key() {
        assert!(!KM.app_name.is_empty() && !EN.app_name.is_empty());
        assert_eq!(KM.get("app_name"), Some(KM.app_name));
        assert_eq!(EN.get("no_such_key"), None);
        assert_eq!(fill("{n} days", &[("n", "3")]), "3 days");
    }

    #[test]
    fn every_message_key_the_code_can_produce_is_translated() {
        use crate::domain::{workflow::Action, workflow::WorkflowError, ParseError, Stage};
        let mut keys: Vec<String> = Stage::ALL.iter().map(|s| s.text_key()).collect();
        keys.extend(Action::ALL.iter().map(|a| a.text_key()));
        for e in [
            WorkflowError::Closed,
            WorkflowError::WithCitizen,
            WorkflowError::WrongStage,
            WorkflowError::WrongRole,
            WorkflowError::NotPaid,
        ] {
            keys.push(e.text_key().into());
        }
        for e in [
            ParseError::Empty,
            ParseError::WrongLength(1),
            ParseError::NotDigits,
            ParseError::OutOfRange,
            ParseError::BadPhone,
        ] {
            keys.push(e.key().into());
        }
        for k in [
            "err_too_long",
            "err_bad_characters",
            "err_bad_date",
            "err_reason_required",
            "err_amount_must_equal_fee",
        ] {
            keys.push(k.into());
        }
        for k in keys {
            assert!(
                KM.get(&k).is_some() && EN.get(&k).is_some(),
                "{k} is not translated"
            );
        }
    }
}
