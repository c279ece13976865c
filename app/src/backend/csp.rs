//! The Content-Security-Policy of HTML pages. Leptos gives every request a fresh nonce and puts
//! it on the hydration and streaming scripts; the policy allows those scripts and nothing else.

/// The policy for a page whose scripts carry `nonce`.
///
/// - Scripts: only our own files and the nonce'd inline loaders; `'wasm-unsafe-eval'` lets the
///   hydrate bundle compile, and allows no JavaScript `eval`.
/// - Styles: our stylesheet, plus inline `style` attributes that the server-drawn SVG charts
///   and a few components use; a style cannot run code.
/// - No framing (clickjacking), no plugins, forms post only to us.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The policy for everything that is not a page (JSON, CSV, files): nothing may run or load.
pub const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; sandbox";

/// Sets the page policy on the current response, with the nonce of this request.
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_allows_only_the_nonce_and_forbids_framing() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!policy
            .split(';')
            .any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")));
        assert!(policy.ends_with("frame-ancestors 'none'"));
    }
}
