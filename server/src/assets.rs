//! Static files: the hydrate bundle and stylesheet under `/pkg`, served from the brotli and
//! gzip copies that `cargo leptos build --release --precompress` writes beside each file, and
//! cached for a year when their names carry a content hash (they change name when they change).
//! Fonts and other public files are cached for a week. Anything else falls through to the
//! Leptos file-and-error handler.

use std::path::Path;

use app::backend::state::AppState;
use axum::{
    http::{header, HeaderValue},
    Router,
};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

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
    Router::new()
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(cache(if hashed { IMMUTABLE } else { REVALIDATE }))
                .service(files("pkg")),
        )
        .nest_service(
            "/fonts",
            tower::ServiceBuilder::new()
                .layer(cache(ONE_WEEK))
                .service(files("fonts")),
        )
}
