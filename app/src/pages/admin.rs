//! Administration: staff accounts, the service catalogue and the holiday calendar.

pub mod holidays;
pub mod notices;
pub mod payment_account;
pub mod service;
pub mod services;
pub mod users;

use leptos::prelude::*;

use crate::i18n::use_texts;

/// Links between the administration pages; the catalogue and calendar are for system
/// administrators, whose server functions refuse everyone else anyway.
#[component]
pub fn AdminNav(system_admin: bool) -> impl IntoView {
    let t = use_texts();
    view! {
        <nav class="sub-nav" aria-label=move || t().admin_title>
            <a href="/admin/users">{move || t().admin_users}</a>
            <a href="/admin/payment-account" data-testid="nav-payment-account">{move || t().pay_account_title}</a>
            {system_admin.then(|| view! {
                <a href="/admin/services">{move || t().admin_services}</a>
                <a href="/admin/holidays">{move || t().admin_holidays}</a>
                <a href="/admin/notices" data-testid="nav-notice-templates">{move || t().notice_admin_title}</a>
            })}
        </nav>
    }
}
