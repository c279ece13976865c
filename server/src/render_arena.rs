//! Keeps a page render's reactive arena current while leptos builds the response.
//!
//! leptos keeps each render's signals in an arena of its own (`sandboxed-arenas`), made current
//! on a worker thread whenever the render's stream is polled. `leptos_integration_utils`'
//! `from_app` reads the page's `<Title>` (a closure over the language signal and route memos)
//! right after an await that may resume on another worker thread, outside that stream. The
//! thread's current arena is then whichever render last ran there, and the read panics as
//! "already been disposed": about one signed-in page load in 3,000 at 32 connections answered
//! 500. Here the render's root owner is noted when leptos provides the request's context, and
//! its arena is made current at every poll of the response future.

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

use axum::{extract::Request, middleware::Next, response::Response};
use leptos::prelude::{use_context, Owner};
use leptos::reactive::owner::WeakOwner;

/// Where the render's root owner is noted; travels in the request's extensions.
#[derive(Clone, Default)]
struct RenderOwner(Arc<Mutex<Option<WeakOwner>>>);

impl RenderOwner {
    fn enter(&self) {
        let owner = self
            .0
            .lock()
            .ok()
            .and_then(|slot| slot.as_ref().and_then(WeakOwner::upgrade));
        // `Owner::with` makes the owner's arena the thread's current one and leaves it so.
        if let Some(owner) = owner {
            owner.with(|| ());
        }
    }
}

/// The additional context of every leptos route: leptos calls it inside the render's root
/// owner, with the request's parts already provided.
pub fn note_render_owner() {
    let slot = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RenderOwner>().cloned());
    if let (Some(slot), Some(owner)) = (slot, Owner::current()) {
        if let Ok(mut noted) = slot.0.lock() {
            *noted = Some(owner.downgrade());
        }
    }
}

pub async fn keep_render_arena(mut request: Request, next: Next) -> Response {
    let owner = RenderOwner::default();
    request.extensions_mut().insert(owner.clone());
    InRenderArena {
        owner,
        inner: Box::pin(next.run(request)),
    }
    .await
}

struct InRenderArena<F> {
    owner: RenderOwner,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for InRenderArena<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.owner.enter();
        self.inner.as_mut().poll(cx)
    }
}
