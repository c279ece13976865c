//! `owso-lookup-floor DB ADDR`: serves `GET /track/{code}` from the product's SQLite database
//! with one indexed query and a small HTML page, and nothing else: no sessions, rate limit,
//! templates, reactive rendering or compression. What P1 can be measured against.

use std::{cell::RefCell, fmt::Write as _, sync::Arc};

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

const LOOKUP: &str = "SELECT c.code, c.stage, c.status, c.due_on, s.name_km, s.name_en \
                      FROM cases c JOIN services s ON s.id = c.service_id WHERE c.code = ?1";

thread_local! {
    // One read connection per worker thread, opened on its first request: no pool, no hand-off.
    static CONNECTION: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

fn escape(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
}

async fn track(State(path): State<Arc<String>>, Path(code): Path<String>) -> Response {
    let found = CONNECTION.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let connection = Connection::open_with_flags(
                path.as_str(),
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            *cell = Some(connection);
        }
        let connection = cell.as_ref().expect("opened above");
        let mut statement = connection.prepare_cached(LOOKUP)?;
        statement
            .query_row([&code], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })
            .optional()
    });
    match found {
        Ok(Some((code, stage, status, due_on, name_km, name_en))) => {
            let mut page = String::with_capacity(512);
            page.push_str("<!doctype html><html lang=\"km\"><head><meta charset=\"utf-8\"><title>");
            escape(&mut page, &code);
            page.push_str("</title></head><body><h1>");
            escape(&mut page, &code);
            page.push_str("</h1><p>");
            escape(&mut page, &name_km);
            page.push_str(" / ");
            escape(&mut page, &name_en);
            let _ = write!(page, "</p><dl><dt>stage</dt><dd>{stage}</dd><dt>status</dt><dd>{status}</dd><dt>due</dt><dd>{due_on}</dd></dl></body></html>");
            Html(page).into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "not found").into_response(),
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: owso-lookup-floor DB ADDR");
        std::process::exit(2);
    };
    let app = Router::new()
        .route("/track/{code}", get(track))
        .with_state(Arc::new(path));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
