use leptos::prelude::*;

use leptos::form::ActionForm;

use super::language_switch::LanguageSwitch;
use crate::{
    api::auth::{me, Logout},
    i18n::use_texts,
};

/// Header, main area and footer around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    // Asked again on every navigation, so signing in or out shows at once.
    let path = leptos_router::hooks::use_location().pathname;
    let user = Resource::new(move || path.get(), |_| me());
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
                            <a href="/staff/inbox">{move || t().nav_inbox}</a>
                            {(u.role == crate::domain::Role::FrontDesk).then(|| view! { <a href="/staff/cases/new">{move || t().nav_new_case}</a> })}
                            {(u.role == crate::domain::Role::OfficeChief).then(|| view! { <a href="/staff/complaints">{move || t().nav_complaints}</a> })}
                            {u.role.reads_stats().then(|| view! { <a href="/stats">{move || t().nav_stats}</a> })}
                            {u.role.reads_stats().then(|| view! { <a href="/reports">{move || t().nav_reports}</a> })}
                            {matches!(u.role, crate::domain::Role::SystemAdmin | crate::domain::Role::OfficeAdmin).then(|| view! { <a href="/admin/users">{move || t().nav_admin}</a> })}
                            {matches!(u.role, crate::domain::Role::ProvinceViewer | crate::domain::Role::NationalViewer).then(|| view! { <a href="/audits" data-testid="nav-audits">{move || t().nav_audits}</a> })}
                            <span class="who" data-testid="signed-in-as">{u.username.clone()}</span>
                            <ActionForm action=logout attr:class="inline">
                                <button type="submit" class="link">{move || t().logout}</button>
                            </ActionForm>
                        }.into_any(),
                        _ => view! { <a href="/login">{move || t().login_title}</a> }.into_any(),
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
