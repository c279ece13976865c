//! The HTTP service: Leptos pages and server functions, health check, static files.

use std::{net::SocketAddr, sync::Arc};

use app::{
    backend::{db, rate_limit::RateLimiter, settings::Settings, state::AppState},
    shell, App,
};
use axum::{
    extract::State,
    http::{Request, StatusCode},
    response::IntoResponse,
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    limit::RequestBodyLimitLayer,
    trace::TraceLayer,
};

use crate::cli::CliError;

/// Leptos options built from the settings, so the binary runs outside `cargo leptos` too.
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    let env_or =
        |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_string());
    LeptosOptions::builder()
        .output_name(env_or("LEPTOS_OUTPUT_NAME", "owso"))
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir(env_or("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(settings.addr)
        .reload_port(
            env_or("LEPTOS_RELOAD_PORT", "3001")
                .parse::<u32>()
                .unwrap_or(3001),
        )
        .env(
            if env_or("LEPTOS_ENV", "PROD").eq_ignore_ascii_case("DEV") {
                leptos::config::Env::DEV
            } else {
                leptos::config::Env::PROD
            },
        )
        .hash_files(hash_file_beside_binary())
        .build()
}

/// `cargo leptos build --release` with `hash-files` writes `hash.txt` beside the binary and
/// puts the hashes in the bundle's file names; leptos reads it from there. Builds without it
/// (debug, tests) keep the plain names.
fn hash_file_beside_binary() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|file| file.is_file())
}

/// The route list, generated once per process. Generating it sets a process-wide flag in
/// leptos_server that parks, forever, any resource first polled meanwhile (leptos#4773), so a
/// second generation while another router in the same process renders pages (the integration
/// tests run many servers at once) could hang that request.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.options.clone();
    let site_root = state.settings.site_root.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(crate::metrics::metrics))
        .merge(crate::assets::routes(&site_root, options.hash_files))
        .merge(crate::api_v1::routes())
        .merge(crate::exports::routes())
        .merge(crate::reports::routes())
        .merge(crate::notices::routes())
        .leptos_routes_with_context(&state, routes, crate::render_arena::note_render_owner, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(
            crate::render_arena::keep_render_arena,
        ))
        .layer(axum::middleware::from_fn(
            app::backend::auth::remember_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::reports::csv_before_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::kept::take_kept_values,
        ))
        .layer(axum::middleware::from_fn(
            crate::security::server_fn_error_status,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::refuse_cross_site,
        ))
        .layer(RequestBodyLimitLayer::new(crate::security::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::security_headers,
        ))
        // Pages, JSON and CSV are compressed on the fly; the bundle is served precompressed. The
        // fastest levels: brotli's default (4) took a quarter of the CPU of a rendered page, and
        // level 1 still brings the status page from 7.5 KB to about 3 KB.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(1)),
        )
        .layer(crate::security::catch_panics())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::count_requests,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            // The path only: query strings can carry PINs and must never reach the logs.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Opens the database, applies pending migrations and builds the shared state.
pub async fn prepare(settings: Settings) -> Result<AppState, CliError> {
    let mut conn: DatabaseConnection = db::connect(&settings.database_url, settings.db_pool_size)
        .await
        .map_err(|e| CliError::usage(format!("DATABASE_URL: cannot open the database: {e}")))?;
    let counters = app::backend::metrics::Counters::counting(&mut conn);
    Migrator::up(&conn, None).await?;
    let options = leptos_options(&settings);
    Ok(AppState {
        db: conn,
        options,
        track_limiter: RateLimiter::new(settings.track_rate_limit),
        reference: Arc::default(),
        local: app::backend::local_reads::LocalSqlite::for_url(
            &settings.database_url,
            counters.clone(),
        ),
        counters,
        settings: Arc::new(settings),
    })
}

/// Serves on an already bound listener until the future is dropped; used by `run` and tests.
pub async fn serve_on(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

pub async fn run(settings: Settings) -> Result<(), CliError> {
    init_tracing();
    let addr = settings.addr;
    let state = prepare(settings).await?;
    match state.settings.bakong.clone() {
        Some(bakong) => {
            crate::bakong::spawn(state.db.clone(), bakong)
                .map_err(|e| CliError::runtime(format!("Bakong: {e}")))?;
            tracing::info!("KHQR confirmations: asking the Bakong API");
        }
        None => tracing::info!(
            "KHQR confirmations: no OWSO_BAKONG_TOKEN, so payments come in through the cashier only"
        ),
    }
    crate::notices::spawn(state.db.clone(), &state.settings.notices)
        .map_err(|e| CliError::runtime(format!("notices: {e}")))?;
    let notices = &state.settings.notices;
    tracing::info!(
        telegram = notices.telegram.is_some(),
        sms = notices.sms.is_some(),
        log = notices.log,
        "notices: sending; messages with no gateway are kept as no_channel"
    );
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::usage(format!("OWSO_ADDR: cannot listen on {addr}: {e}")))?;
    tracing::info!("listening on http://{addr}");
    serve_on(listener, state)
        .await
        .map_err(|e| CliError::runtime(format!("server: {e}")))
}

pub fn init_tracing() {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
