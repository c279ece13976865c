//! Static files come precompressed with cache headers; pages are compressed on the fly.

use crate::{
    on_both_databases,
    support::{Db, TestApp},
};

on_both_databases!(bundle_is_served_precompressed_and_pages_compressed);

async fn bundle_is_served_precompressed_and_pages_compressed(kind: Db) {
    let site = std::env::temp_dir().join(format!("owso-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/owso.css"), "body{margin:0}".repeat(200)).unwrap();
    std::fs::write(site.join("pkg/owso.css.br"), b"brotli bytes").unwrap();
    std::fs::write(site.join("pkg/owso.css.gz"), b"gzip bytes").unwrap();
    let root = site.to_string_lossy().to_string();
    let app = TestApp::spawn_with(kind, &[("LEPTOS_SITE_ROOT", root.as_str())]).await;

    let get = |path: &str, encoding: &'static str| {
        app.client
            .get(app.url(path))
            .header("accept-encoding", encoding)
            .send()
    };
    let br = get("/pkg/owso.css", "gzip, deflate, br").await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["content-type"], "text/css");
    // Test binaries have no hash.txt beside them, so names are plain and must be revalidated.
    assert_eq!(br.headers()["cache-control"], "no-cache");
    assert_eq!(br.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let gz = get("/pkg/owso.css", "gzip").await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gzip bytes");
    let plain = get("/pkg/owso.css", "identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), 14 * 200);
    assert_eq!(get("/pkg/missing.js", "br").await.unwrap().status(), 404);

    let page = get("/services", "br").await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-encoding"], "br");
    let json = get("/api/v1/openapi.json", "gzip").await.unwrap();
    assert_eq!(json.headers()["content-encoding"], "gzip");
    app.finish().await;
    let _ = std::fs::remove_dir_all(&site);
}
