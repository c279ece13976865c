use std::{net::SocketAddr, path::PathBuf};

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
        Ok(Settings {
            database_url,
            addr,
            site_root,
            db_pool_size,
            secure_cookies,
            public_url,
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
}
