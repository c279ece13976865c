use std::{net::SocketAddr, path::PathBuf};

mod notices;
pub use notices::{
    NoticeSettings, SmsBodyFormat, SmsSettings, TelegramSettings, DEFAULT_SMS_FORM_BODY,
    DEFAULT_SMS_JSON_BODY, DEFAULT_TELEGRAM_API, SENDER_IDLE,
};

/// Typed settings, read once from the environment at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: `sqlite://data/owso.db` by default, or a `postgres://` URL.
    pub database_url: String,
    /// `OWSO_ADDR` (or cargo-leptos's `LEPTOS_SITE_ADDR`): where to listen.
    pub addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the built site (wasm, CSS, public assets).
    pub site_root: PathBuf,
    /// `OWSO_DB_POOL`: database connections per server process.
    pub db_pool_size: u32,
    /// `OWSO_SECURE_COOKIES`: add `Secure` to cookies; set it when served over https.
    pub secure_cookies: bool,
    /// `OWSO_PUBLIC_URL`: the address citizens reach the site at, printed in receipts' QR codes.
    pub public_url: String,
    /// `OWSO_TRACK_RATE_LIMIT`: public status lookups allowed per client address and window,
    /// written `20/10m` (also `s` and `h`).
    pub track_rate_limit: RateLimit,
    /// `OWSO_BAKONG_URL`, `OWSO_BAKONG_TOKEN`, `OWSO_BAKONG_INTERVAL`: the Bakong Open API that
    /// confirms KHQR payments. Absent without a token: payments then come in through the cashier.
    pub bakong: Option<BakongSettings>,
    /// Where notices to citizens go; see [`NoticeSettings`].
    pub notices: NoticeSettings,
}

#[derive(Debug, Clone)]
pub struct BakongSettings {
    pub url: String,
    pub token: Secret,
    /// How often young payment requests are asked about.
    pub interval: std::time::Duration,
}

/// A credential that never reaches a log line, however the settings are printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Self(value)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

pub const DEFAULT_BAKONG_URL: &str = "https://api-bakong.nbc.gov.kh";

fn bakong_from(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<BakongSettings>, String> {
    let Some(token) = lookup("OWSO_BAKONG_TOKEN").filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let url = lookup("OWSO_BAKONG_URL")
        .unwrap_or_else(|| DEFAULT_BAKONG_URL.to_string())
        .trim_end_matches('/')
        .to_string();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!(
            "OWSO_BAKONG_URL: {url:?} must start with http:// or https://"
        ));
    }
    let interval = match lookup("OWSO_BAKONG_INTERVAL") {
        None => std::time::Duration::from_secs(5),
        Some(v) => v
            .trim()
            .trim_end_matches('s')
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=3600).contains(n))
            .map(std::time::Duration::from_secs)
            .ok_or_else(|| format!("OWSO_BAKONG_INTERVAL: {v:?} is not seconds from 1 to 3600"))?,
    };
    Ok(Some(BakongSettings {
        url,
        token: Secret::new(token.trim().to_string()),
        interval,
    }))
}

/// At most `max` requests per `window_secs`, per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window_secs: u64,
}

impl RateLimit {
    pub const TRACK_DEFAULT: RateLimit = RateLimit {
        max: 20,
        window_secs: 600,
    };

    /// Parses `COUNT/DURATION`, the duration a number with `s`, `m` or `h`: `20/10m`, `5/30s`.
    pub fn parse(text: &str) -> Result<RateLimit, String> {
        let bad = || format!("{text:?} is not COUNT/DURATION like 20/10m");
        let (count, window) = text.trim().split_once('/').ok_or_else(bad)?;
        let max = count
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(bad)?;
        let window = window.trim();
        // The unit is the last character, which need not be one byte long (`10ម`).
        let unit_at = window.char_indices().last().map_or(0, |(i, _)| i);
        let (number, unit) = window.split_at(unit_at);
        let scale = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => return Err(bad()),
        };
        let window_secs = number
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale))
            .filter(|secs| (1..=24 * 3600).contains(secs))
            .ok_or_else(bad)?;
        Ok(RateLimit { max, window_secs })
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/owso.db";

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let database_url =
            lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        crate::backend::db::DbKind::of_url(&database_url)?;
        let addr_text = lookup("OWSO_ADDR")
            .or_else(|| lookup("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let addr = addr_text
            .parse()
            .map_err(|_| format!("OWSO_ADDR: {addr_text:?} is not a host:port address"))?;
        let site_root =
            PathBuf::from(lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_string()));
        let db_pool_size = match lookup("OWSO_DB_POOL") {
            None => 16,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| format!("OWSO_DB_POOL: {v:?} is not a number from 1 to 1000"))?,
        };
        let secure_cookies = match lookup("OWSO_SECURE_COOKIES").as_deref() {
            None | Some("") | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(v) => return Err(format!("OWSO_SECURE_COOKIES: {v:?} is not true or false")),
        };
        let public_url = lookup("OWSO_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(format!(
                "OWSO_PUBLIC_URL: {public_url:?} must start with http:// or https://"
            ));
        }
        let track_rate_limit = match lookup("OWSO_TRACK_RATE_LIMIT") {
            None => RateLimit::TRACK_DEFAULT,
            Some(v) => RateLimit::parse(&v).map_err(|e| format!("OWSO_TRACK_RATE_LIMIT: {e}"))?,
        };
        let bakong = bakong_from(&lookup)?;
        let notices = notices::notices_from(&lookup)?;
        Ok(Settings {
            bakong,
            notices,
            database_url,
            addr,
            site_root,
            db_pool_size,
            secure_cookies,
            public_url,
            track_rate_limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> Result<Settings, String> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_and_errors() {
        let s = with(&[]).unwrap();
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(s.addr.port(), 3000);
        assert!(with(&[("DATABASE_URL", "mysql://x")])
            .unwrap_err()
            .contains("DATABASE_URL"));
        assert!(with(&[("OWSO_ADDR", "nowhere")])
            .unwrap_err()
            .contains("OWSO_ADDR"));
        assert!(with(&[("OWSO_DB_POOL", "0")]).is_err());
        assert!(with(&[("OWSO_SECURE_COOKIES", "yes")]).is_err());
        assert!(
            with(&[("OWSO_SECURE_COOKIES", "true")])
                .unwrap()
                .secure_cookies
        );
    }

    #[test]
    fn bakong_runs_only_with_a_token_and_never_prints_it() {
        assert!(with(&[]).unwrap().bakong.is_none());
        let set = with(&[
            ("OWSO_BAKONG_TOKEN", "eyJ-secret"),
            ("OWSO_BAKONG_INTERVAL", "10"),
        ])
        .unwrap()
        .bakong
        .unwrap();
        assert_eq!(set.url, DEFAULT_BAKONG_URL);
        assert_eq!(set.interval, std::time::Duration::from_secs(10));
        assert!(!format!("{set:?}").contains("eyJ-secret"));
        assert!(with(&[("OWSO_BAKONG_TOKEN", "t"), ("OWSO_BAKONG_URL", "ftp://x")]).is_err());
        assert!(with(&[("OWSO_BAKONG_TOKEN", "t"), ("OWSO_BAKONG_INTERVAL", "0")]).is_err());
    }

    #[test]
    fn rate_limits() {
        assert_eq!(
            with(&[]).unwrap().track_rate_limit,
            RateLimit::TRACK_DEFAULT
        );
        assert_eq!(
            with(&[("OWSO_TRACK_RATE_LIMIT", "3/30s")])
                .unwrap()
                .track_rate_limit,
            RateLimit {
                max: 3,
                window_secs: 30
            }
        );
        assert_eq!(
            RateLimit::parse("20/10m"),
            Ok(RateLimit {
                max: 20,
                window_secs: 600
            })
        );
        assert_eq!(RateLimit::parse("100/1h").unwrap().window_secs, 3600);
        for bad in [
            "",
            "20",
            "0/10m",
            "20/10",
            "20/m",
            "x/10m",
            "20/10d",
            "20/-1m",
            "20/25h",
            // A unit of more than one byte, and a window whose seconds overflow, once panicked.
            "20/10ម",
            "1/18446744073709551615h",
        ] {
            assert!(RateLimit::parse(bad).is_err(), "{bad}");
        }
        assert!(with(&[("OWSO_TRACK_RATE_LIMIT", "lots")])
            .unwrap_err()
            .contains("OWSO_TRACK_RATE_LIMIT"));
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn rate_limits_never_panic_and_stay_in_range(
            text in prop_oneof![
                any::<String>(),
                ("[0-9 ]{0,6}", "[0-9 ]{0,22}", any::<char>())
                    .prop_map(|(count, number, unit)| format!("{count}/{number}{unit}")),
                ("[1-9][0-9]{0,3}", "[0-9]{1,22}", proptest::sample::select(vec!['s', 'm', 'h']))
                    .prop_map(|(count, number, unit)| format!("{count}/{number}{unit}")),
            ],
        ) {
            if let Ok(limit) = RateLimit::parse(&text) {
                prop_assert!(limit.max >= 1);
                prop_assert!((1..=24 * 3600).contains(&limit.window_secs), "{:?}", limit);
            }
        }

        #[test]
        fn rate_limits_round_trip(
            max in 1u32..=100_000,
            (number, unit, scale) in prop_oneof![
                (1u64..=86_400).prop_map(|n| (n, 's', 1)),
                (1u64..=1_440).prop_map(|n| (n, 'm', 60)),
                (1u64..=24).prop_map(|n| (n, 'h', 3600)),
            ],
            pad in "[ \t]{0,2}",
        ) {
            let text = format!("{pad}{max}{pad}/{pad}{number}{unit}{pad}");
            prop_assert_eq!(RateLimit::parse(&text), Ok(RateLimit { max, window_secs: number * scale }));
        }
    }
}
