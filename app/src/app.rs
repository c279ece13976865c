//! The HTML shell, the root component and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

use crate::{
    components::layout::Layout,
    i18n::{use_texts, Locale},
    pages::{not_found::NotFound, public::home::HomePage, public::track::TrackPage},
    routes::*,
};

/// The document around the app. Runs on the server only, once per page load.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_locale().code();
    #[cfg(feature = "ssr")]
    crate::backend::csp::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b4f8a" />
                <link rel="icon" href="/favicon.ico" sizes="32x32" />
                <link rel="preload" href="/fonts/noto-sans-khmer-khmer-400-normal.woff2" r#as="font" r#type="font/woff2" crossorigin="" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The language of the current request (server) or of the hydrated page (browser).
fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use http::header::{ACCEPT_LANGUAGE, COOKIE};
        use_context::<http::request::Parts>()
            .map(|parts| {
                let header = |name| {
                    parts
                        .headers
                        .get(name)
                        .and_then(|v: &http::HeaderValue| v.to_str().ok())
                };
                crate::i18n::negotiate(header(COOKIE), header(ACCEPT_LANGUAGE))
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Locale::from_code(&code))
            .unwrap_or_default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = RwSignal::new(request_locale());
    provide_context(locale);
    let t = use_texts();

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let code = locale.get().code();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
    });

    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { t().app_name.to_string() } else { format!("{page} · {}", t().app_name) }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("offices") view={Lazy::<OfficesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("offices/:code") view={Lazy::<OfficeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("scorecard") view={Lazy::<ScorecardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("services") view={Lazy::<ServicesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("services/:key") view={Lazy::<ServiceRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("track") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("track/:code") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("apply") view={Lazy::<ApplyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("complaints/new") view={Lazy::<NewComplaintRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("complaints/track") view={Lazy::<TrackComplaintRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/complaints") view={Lazy::<StaffComplaintsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("stats") view={Lazy::<StatsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/inbox") view={Lazy::<InboxRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/cases/new") view={Lazy::<NewCaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/cases/:code") view={Lazy::<CaseRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/cases/:code/receipt") view={Lazy::<ReceiptRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reports") view={Lazy::<ReportsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("reports/:period") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/services") view={Lazy::<ServicesAdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/services/:id") view={Lazy::<ServiceAdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/holidays") view={Lazy::<HolidaysRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/payment-account") view={Lazy::<PaymentAccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/payments") view={Lazy::<ReconciliationRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/notices") view={Lazy::<NoticeTemplatesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("staff/notices") view={Lazy::<OfficeNoticesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("audits") view={Lazy::<AuditsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("audits/new") view={Lazy::<NewAuditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("audits/:id") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("audits/:id/cases/:code") view={Lazy::<ChecklistRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
