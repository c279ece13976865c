use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{api::auth::Login, i18n::use_texts};

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<Login>::new();
    let query = use_query_map();
    // Without JavaScript the server sends the browser back with `?error=`; with it, the failed
    // action's own value says why.
    let error = move || {
        query
            .with(|q| q.get("error"))
            .or_else(|| match action.value().get() {
                Some(Err(crate::error::AppError::RateLimited { .. })) => Some("locked".to_string()),
                Some(Err(_)) => Some("failed".to_string()),
                _ => None,
            })
    };
    view! {
        <Title text=move || t().login_title />
        <section class="card narrow">
            <h1>{move || t().login_title}</h1>
            {move || {
                error()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert" data-testid="login-error">
                                {move || if e == "locked" { t().login_locked } else { t().login_failed }}
                            </p>
                        }
                    })
            }}
            <ActionForm action=action attr:class="stack">
                <label>
                    {move || t().login_username}
                    <input name="username" autocomplete="username" required maxlength="64" />
                </label>
                <label>
                    {move || t().login_password}
                    <input name="password" type="password" autocomplete="current-password" required maxlength="128" />
                </label>
                <button type="submit" class="primary">{move || t().login_submit}</button>
            </ActionForm>
        </section>
    }
}
