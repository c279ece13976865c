use leptos::prelude::*;

use leptos::form::ActionForm;

use super::language_switch::LanguageSwitch;
use crate::{
    api::auth::{me, Logout},
    domain::Area,
    i18n::use_texts,
};

/// Header, main area and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    // Asked again on every navigation, so signing in or out shows at once.
    let path = leptos_router::hooks::use_location().pathname;
    let user = Resource::new(move || path.get(), |_| me());
    provide_context(super::page_error::SignedIn(user));
    #[cfg(feature = "hydrate")]
    Effect::new(move |previous: Option<String>| {
        let now = path.get();
        if previous.is_some_and(|p| p != now) {
            focus_heading_soon();
        }
        now
    });
    let logout = ServerAction::<Logout>::new();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"OWSO"</span>
                <span class="brand-name">{move || t().app_name}</span>
            </a>
            <nav class="site-nav" aria-label=move || t().nav_label>
                <a href="/">{move || t().nav_home}</a>
                <a href="/track">{move || t().nav_track}</a>
                <a href="/services">{move || t().nav_services}</a>
                <a href="/offices">{move || t().nav_offices}</a>
                <a href="/scorecard">{move || t().nav_scorecard}</a>
                <Suspense>
                    {move || user.get().map(|u| match u {
                        Ok(Some(u)) => view! {
                            {u.role.may(Area::CaseWork).then(|| view! { <a href="/staff/inbox">{move || t().nav_inbox}</a> })}
                            {u.role.may(Area::Registration).then(|| view! { <a href="/staff/cases/new">{move || t().nav_new_case}</a> })}
                            {u.role.may(Area::Complaints).then(|| view! { <a href="/staff/complaints">{move || t().nav_complaints}</a> })}
                            {u.role.may(Area::Payments).then(|| view! { <a href="/staff/payments" data-testid="nav-payments">{move || t().nav_payments}</a> })}
                            {u.role.may(Area::Notices).then(|| view! { <a href="/staff/notices" data-testid="nav-notices">{move || t().nav_notices}</a> })}
                            {u.role.may(Area::Stats).then(|| view! { <a href="/stats">{move || t().nav_stats}</a> })}
                            {u.role.may(Area::Stats).then(|| view! { <a href="/reports">{move || t().nav_reports}</a> })}
                            {u.role.may(Area::Accounts).then(|| view! { <a href="/admin/users">{move || t().nav_admin}</a> })}
                            {u.role.may(Area::Audits).then(|| view! { <a href="/audits" data-testid="nav-audits">{move || t().nav_audits}</a> })}
                            <span class="who" data-testid="signed-in-as">{u.username.clone()}</span>
                            <ActionForm action=logout attr:class="inline">
                                <button type="submit" class="link">{move || t().logout}</button>
                            </ActionForm>
                        }.into_any(),
                        Ok(None) => view! { <a href="/login">{move || t().login_title}</a> }.into_any(),
                        Err(_) => view! { <span class="error" role="status" data-testid="service-unavailable">{move || t().err_internal}</span> }.into_any(),
                    })}
                </Suspense>
            </nav>
            <LanguageSwitch />
        </header>
        <main id="main" class="site-main">{children()}</main>
        <footer class="site-footer">
            <p>{move || t().footer_ministry}</p>
            <p class="demo-note">{move || t().demo_data_notice}</p>
        </footer>
    }
}

/// After a client-side navigation, moves the focus to the new page's heading, as a page load
/// would, so a screen reader announces the new page. The page may still be fetching its chunk
/// and data, so this waits for a heading that was not there before, up to three seconds.
/// A user who has already put the focus somewhere else in the meantime (a quick officer typing
/// into the inbox search) keeps it: the heading takes the focus only from the control that
/// started the navigation, from one that has left the page, or from nothing.
#[cfg(feature = "hydrate")]
fn focus_heading_soon() {
    use wasm_bindgen::JsCast;
    let old = document().query_selector("main h1").ok().flatten();
    let starter = document().active_element();
    let tries = std::rc::Rc::new(std::cell::Cell::new(0u32));
    fn focus_is_unclaimed(starter: &Option<web_sys::Element>) -> bool {
        match document().active_element() {
            None => true,
            Some(now) => {
                now.tag_name().eq_ignore_ascii_case("body")
                    || !now.is_connected()
                    || starter.as_ref() == Some(&now)
            }
        }
    }
    fn attempt(
        old: Option<web_sys::Element>,
        starter: Option<web_sys::Element>,
        tries: std::rc::Rc<std::cell::Cell<u32>>,
    ) {
        set_timeout(
            move || {
                let found = document().query_selector("main h1").ok().flatten();
                match found {
                    Some(_) if !focus_is_unclaimed(&starter) => {}
                    Some(h1) if old.as_ref() != Some(&h1) => {
                        if !h1.has_attribute("tabindex") {
                            let _ = h1.set_attribute("tabindex", "-1");
                        }
                        if let Ok(h1) = h1.dyn_into::<web_sys::HtmlElement>() {
                            let _ = h1.focus();
                        }
                    }
                    _ if tries.get() < 30 => {
                        tries.set(tries.get() + 1);
                        attempt(old, starter, tries);
                    }
                    _ => {}
                }
            },
            std::time::Duration::from_millis(100),
        );
    }
    attempt(old, starter, tries);
}
