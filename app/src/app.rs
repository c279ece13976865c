//! The HTML shell, the root component and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    components::layout::Layout,
    i18n::{page_locale, use_texts},
    pages::{
        admin::{
            holidays::HolidaysPage, service::ServiceAdminPage, services::ServicesAdminPage,
            users::UsersPage,
        },
        audits::{audit::AuditPage, checklist::ChecklistPage, list::AuditsPage, new::NewAuditPage},
        auth::login::LoginPage,
        not_found::NotFound,
        public::{
            apply::ApplyPage,
            complaints::{new::NewComplaintPage, track::TrackComplaintPage},
            home::HomePage,
            office::OfficePageView,
            offices::OfficesPage,
            scorecard::ScorecardPage,
            service::ServicePageView,
            services::ServicesPage,
            track::TrackPage,
        },
        reports::{index::ReportsPage, period::ReportPage},
        staff::{
            case::CasePage, complaints::StaffComplaintsPage, inbox::InboxPage,
            new_case::NewCasePage, receipt::ReceiptPage,
        },
        stats::dashboard::StatsPage,
    },
};

/// The document around the app. Runs on the server only, once per page load.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_locale().code();
    #[cfg(feature = "ssr")]
    crate::backend::csp::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b4f8a" />
                <link rel="preload" href="/fonts/noto-sans-khmer-khmer-400-normal.woff2" r#as="font" r#type="font/woff2" crossorigin="" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(RwSignal::new(page_locale()));
    let t = use_texts();

    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { t().app_name.to_string() } else { format!("{page} · {}", t().app_name) }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("offices") view=OfficesPage ssr=SsrMode::Async />
                    <Route path=path!("offices/:code") view=OfficePageView ssr=SsrMode::Async />
                    <Route path=path!("scorecard") view=ScorecardPage ssr=SsrMode::Async />
                    <Route path=path!("services") view=ServicesPage ssr=SsrMode::Async />
                    <Route path=path!("services/:key") view=ServicePageView ssr=SsrMode::Async />
                    <Route path=path!("track") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("track/:code") view=TrackPage ssr=SsrMode::Async />
                    <Route path=path!("apply") view=ApplyPage ssr=SsrMode::Async />
                    <Route path=path!("complaints/new") view=NewComplaintPage ssr=SsrMode::Async />
                    <Route path=path!("complaints/track") view=TrackComplaintPage ssr=SsrMode::Async />
                    <Route path=path!("staff/complaints") view=StaffComplaintsPage ssr=SsrMode::Async />
                    <Route path=path!("stats") view=StatsPage ssr=SsrMode::Async />
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("staff/inbox") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("staff/cases/new") view=NewCasePage ssr=SsrMode::Async />
                    <Route path=path!("staff/cases/:code") view=CasePage ssr=SsrMode::Async />
                    <Route path=path!("staff/cases/:code/receipt") view=ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("reports/:period") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("admin/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("admin/services") view=ServicesAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/services/:id") view=ServiceAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/holidays") view=HolidaysPage ssr=SsrMode::Async />
                    <Route path=path!("audits") view=AuditsPage ssr=SsrMode::Async />
                    <Route path=path!("audits/new") view=NewAuditPage ssr=SsrMode::Async />
                    <Route path=path!("audits/:id") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("audits/:id/cases/:code") view=ChecklistPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
