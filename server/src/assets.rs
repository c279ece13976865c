//! Static files: the hydrate bundle, its lazy chunks and the stylesheet under `/pkg`, served
//! from the brotli and gzip copies that `cargo leptos build --release --precompress --split`
//! writes beside each file. Only files whose name is taken from their final content are cached
//! for a year; the rest are revalidated on each use (see `content_named`). Fonts and other
//! public files (and the favicon) are cached for a week. Anything else falls through to the Leptos file-and-error
//! handler.

use std::path::Path;

use app::backend::state::AppState;
use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    Router,
};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const ONE_WEEK: &str = "public, max-age=604800";
/// Unhashed names may change content under the same URL: revalidate every time.
const REVALIDATE: &str = "no-cache";

pub fn routes(site_root: &Path, hashed: bool) -> Router<AppState> {
    let files = |dir: &str| {
        ServeDir::new(site_root.join(dir))
            .precompressed_br()
            .precompressed_gzip()
    };
    let cache = |value: &'static str| {
        SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(value),
        )
    };
    let pkg_cache = move |req: Request, next: Next| async move {
        let immutable = hashed && content_named(req.uri().path());
        let mut res = next.run(req).await;
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(if immutable {
                IMMUTABLE
            } else {
                REVALIDATE
            }));
        res
    };
    Router::new()
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(pkg_cache))
                .service(files("pkg")),
        )
        .nest_service(
            "/fonts",
            tower::ServiceBuilder::new()
                .layer(cache(ONE_WEEK))
                .service(files("fonts")),
        )
        .route_service(
            "/favicon.ico",
            tower::ServiceBuilder::new()
                .layer(cache(ONE_WEEK))
                .service(ServeFile::new(site_root.join("favicon.ico"))),
        )
}

/// Whether a bundle file may be cached for a year: its name carries a hash of its final content,
/// so a changed file always comes under a new name. That holds for the stylesheet and every wasm
/// file (the main one, each area's `split_*_area_*` module, the shared `chunk_N.*` files). It
/// does not hold for the main JS: cargo-leptos names it before it writes the split loader's name
/// into it, and a rebuild after a change in one area was seen to keep its name with new content.
/// The JS files and the split manifest are revalidated instead (a few KB each).
fn content_named(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    let hashed = parts.len() >= 3 && parts[parts.len() - 2].len() >= 16;
    let extension = parts.last().copied().unwrap_or_default();
    hashed && matches!(extension, "wasm" | "css")
}

#[cfg(test)]
mod tests {
    use super::content_named;

    #[test]
    fn only_files_named_from_their_final_content_are_immutable() {
        assert!(content_named("/owso.JsDAfOT0namgmCBelWx6Jw.wasm"));
        assert!(content_named("/owso.oI-gPPxnIc1CvNn-xl0JuA.css"));
        assert!(content_named(
            "/split_staff_area_814858377882570025.SZVFK4K0tyc1JVxuHuLFqA.wasm"
        ));
        assert!(content_named("/chunk_10.w7BiFVw0KuXgj7_G4oRRug.wasm"));
        assert!(!content_named("/chunk_27.wasm"));
        assert!(!content_named("/owso.xlfY_i6tP__uXJ3HDWwmIg.js"));
        assert!(!content_named("/__wasm_split.r1Zd5nIli8LneSHKvqJybA.js"));
        assert!(!content_named(
            "/__wasm_split_manifest.1ZvkOWZ7b2LU-C-U1IXSRQ.json"
        ));
        assert!(!content_named("/owso.wasm"));
        assert!(!content_named("/owso.css"));
    }
}
