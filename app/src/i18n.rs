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
        // A weight is from 0 to 1 (RFC 9110 §12.4.2); a malformed one (NaN, 2, abc) counts as
        // absent, and 0 means "not acceptable".
        let quality = pieces
            .find_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
            })
            .and_then(|q| q.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q))
            .unwrap_or(1.0);
        if quality <= 0.0 {
            continue;
        }
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
        assert_eq!(negotiate(None, Some("en;q=0, fr")), Locale::Km);
        assert_eq!(negotiate(None, Some("km;q=NaN, en;q=0.5")), Locale::Km);
        assert_eq!(negotiate(None, Some("en;q=0.5, km;q=NaN")), Locale::Km);
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

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// A q-value as browsers send it (0 to 1, up to three decimals), in (0, 1) exclusive.
    fn weight() -> impl Strategy<Value = (u32, String)> {
        (1u32..1000).prop_map(|m| (m, format!("0.{m:03}")))
    }

    /// Anything after `q=` in a hand-written or hostile header.
    fn any_weight() -> impl Strategy<Value = String> {
        prop_oneof![
            "[^,;]{0,8}",
            proptest::sample::select(vec![
                "NaN", "nan", "inf", "-inf", "-1", "2", "1e9", "0", "0.000", ""
            ])
            .prop_map(str::to_string),
        ]
    }

    proptest! {
        #[test]
        fn negotiation_never_panics(cookie in proptest::option::of(any::<String>()), accept in proptest::option::of(any::<String>())) {
            let _ = negotiate(cookie.as_deref(), accept.as_deref());
        }

        #[test]
        fn the_cookie_wins(
            en in any::<bool>(),
            accept in proptest::option::of(any::<String>()),
            other in "[a-z_]{1,8}=[a-z0-9]{0,8}",
        ) {
            let locale = if en { Locale::En } else { Locale::Km };
            let cookie = format!("{other}; {LANG_COOKIE}={}", locale.code());
            prop_assert_eq!(negotiate(Some(&cookie), accept.as_deref()), locale);
        }

        #[test]
        fn the_higher_weight_wins_in_any_order((km, km_q) in weight(), (en, en_q) in weight()) {
            prop_assume!(km != en);
            let expected = if km > en { Locale::Km } else { Locale::En };
            let a = format!("km;q={km_q}, en;q={en_q}");
            let b = format!("en-US;q={en_q},fr,km-KH;q={km_q}");
            prop_assert_eq!(negotiate(None, Some(&a)), expected);
            prop_assert_eq!(negotiate(None, Some(&b)), expected);
        }

        #[test]
        fn a_malformed_weight_does_not_depend_on_order(odd in any_weight(), (en, en_q) in weight()) {
            // Only a weight equal to English's makes the order matter (the first one wins a tie).
            prop_assume!(odd.trim().parse::<f32>().ok() != Some(en as f32 / 1000.0));
            let a = negotiate(None, Some(&format!("km;q={odd}, en;q={en_q}")));
            let b = negotiate(None, Some(&format!("en;q={en_q}, km;q={odd}")));
            prop_assert_eq!(a, b, "q={}", odd);
        }

        #[test]
        fn a_zero_weight_is_not_acceptable(zero in "0(\\.0{0,3})?", other in proptest::sample::select(vec!["fr", "en;q=0.1", "km;q=0.1"])) {
            prop_assert_eq!(negotiate(None, Some(&format!("en;q={zero}"))), Locale::Km);
            prop_assert_eq!(negotiate(None, Some(&format!("km;q={zero}, en;q=0.001"))), Locale::En);
            let expected = if other.starts_with("en") { Locale::En } else { Locale::Km };
            prop_assert_eq!(negotiate(None, Some(&format!("en;q={zero}, {other}"))), expected);
        }
    }
}
