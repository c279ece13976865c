//! The lazily loaded parts of the app. `cargo leptos build --split` cuts each area (its pages,
//! server-function stubs and the decoding of their types) out of the entry wasm into chunks that
//! are fetched on the first visit to the area, so a phone opening the status lookup downloads
//! only the layout and the citizen entry pages (`/`, `/track`).
//!
//! The split is per area, not per page: code shared by split points lands in chunks of its own,
//! one per combination of points that use it, and 25 points made several hundred chunks and
//! 80 requests for the dashboard. With one point per area, the pages of an area share theirs.

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages;

/// A page of the citizen pages beyond the status lookup.
#[derive(Clone, Copy, Debug)]
pub enum CitizenPage {
    Offices,
    Office,
    Scorecard,
    Services,
    Service,
    Apply,
    NewComplaint,
    TrackComplaint,
}

/// The split point of the citizen pages beyond the status lookup.
#[lazy]
fn citizen_area(page: CitizenPage) -> AnyView {
    use pages::public::apply::ApplyPage;
    use pages::public::complaints::new::NewComplaintPage;
    use pages::public::complaints::track::TrackComplaintPage;
    use pages::public::office::OfficePageView;
    use pages::public::offices::OfficesPage;
    use pages::public::scorecard::ScorecardPage;
    use pages::public::service::ServicePageView;
    use pages::public::services::ServicesPage;
    match page {
        CitizenPage::Offices => view! { <OfficesPage /> }.into_any(),
        CitizenPage::Office => view! { <OfficePageView /> }.into_any(),
        CitizenPage::Scorecard => view! { <ScorecardPage /> }.into_any(),
        CitizenPage::Services => view! { <ServicesPage /> }.into_any(),
        CitizenPage::Service => view! { <ServicePageView /> }.into_any(),
        CitizenPage::Apply => view! { <ApplyPage /> }.into_any(),
        CitizenPage::NewComplaint => view! { <NewComplaintPage /> }.into_any(),
        CitizenPage::TrackComplaint => view! { <TrackComplaintPage /> }.into_any(),
    }
}

pub struct OfficesRoute;

impl LazyRoute for OfficesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::Offices).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct OfficeRoute;

impl LazyRoute for OfficeRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::Office).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct ScorecardRoute;

impl LazyRoute for ScorecardRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::Scorecard).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct ServicesRoute;

impl LazyRoute for ServicesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::Services).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct ServiceRoute;

impl LazyRoute for ServiceRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::Service).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct ApplyRoute;

impl LazyRoute for ApplyRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::Apply).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct NewComplaintRoute;

impl LazyRoute for NewComplaintRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::NewComplaint).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

pub struct TrackComplaintRoute;

impl LazyRoute for TrackComplaintRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        citizen_area(CitizenPage::TrackComplaint).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_citizen_area().await;
    }
}

/// A page of sign-in.
#[derive(Clone, Copy, Debug)]
pub enum LoginPageKind {
    Login,
}

/// The split point of sign-in.
#[lazy]
fn login_area(page: LoginPageKind) -> AnyView {
    use pages::auth::login::LoginPage;
    match page {
        LoginPageKind::Login => view! { <LoginPage /> }.into_any(),
    }
}

pub struct LoginRoute;

impl LazyRoute for LoginRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        login_area(LoginPageKind::Login).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_login_area().await;
    }
}

/// A page of the office staff's pages.
#[derive(Clone, Copy, Debug)]
pub enum StaffPage {
    Inbox,
    NewCase,
    Case,
    Receipt,
    Complaints,
    Payments,
    Notices,
}

/// The split point of the office staff's pages.
#[lazy]
fn staff_area(page: StaffPage) -> AnyView {
    use pages::staff::case::CasePage;
    use pages::staff::complaints::StaffComplaintsPage;
    use pages::staff::inbox::InboxPage;
    use pages::staff::new_case::NewCasePage;
    use pages::staff::notices::OfficeNoticesPage;
    use pages::staff::payments::ReconciliationPage;
    use pages::staff::receipt::ReceiptPage;
    match page {
        StaffPage::Inbox => view! { <InboxPage /> }.into_any(),
        StaffPage::NewCase => view! { <NewCasePage /> }.into_any(),
        StaffPage::Case => view! { <CasePage /> }.into_any(),
        StaffPage::Receipt => view! { <ReceiptPage /> }.into_any(),
        StaffPage::Complaints => view! { <StaffComplaintsPage /> }.into_any(),
        StaffPage::Payments => view! { <ReconciliationPage /> }.into_any(),
        StaffPage::Notices => view! { <OfficeNoticesPage /> }.into_any(),
    }
}

pub struct ReconciliationRoute;

impl LazyRoute for ReconciliationRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::Payments).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

pub struct OfficeNoticesRoute;

impl LazyRoute for OfficeNoticesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::Notices).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

pub struct InboxRoute;

impl LazyRoute for InboxRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::Inbox).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

pub struct NewCaseRoute;

impl LazyRoute for NewCaseRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::NewCase).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

pub struct CaseRoute;

impl LazyRoute for CaseRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::Case).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

pub struct ReceiptRoute;

impl LazyRoute for ReceiptRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::Receipt).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

pub struct StaffComplaintsRoute;

impl LazyRoute for StaffComplaintsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        staff_area(StaffPage::Complaints).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_staff_area().await;
    }
}

/// A page of the dashboard and its charts.
#[derive(Clone, Copy, Debug)]
pub enum StatsPageKind {
    Dashboard,
}

/// The split point of the dashboard and its charts.
#[lazy]
fn stats_area(page: StatsPageKind) -> AnyView {
    use pages::stats::dashboard::StatsPage;
    match page {
        StatsPageKind::Dashboard => view! { <StatsPage /> }.into_any(),
    }
}

pub struct StatsRoute;

impl LazyRoute for StatsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        stats_area(StatsPageKind::Dashboard).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_stats_area().await;
    }
}

/// A page of the quarterly reports.
#[derive(Clone, Copy, Debug)]
pub enum ReportPageKind {
    Index,
    Period,
}

/// The split point of the quarterly reports.
#[lazy]
fn reports_area(page: ReportPageKind) -> AnyView {
    use pages::reports::index::ReportsPage;
    use pages::reports::period::ReportPage;
    match page {
        ReportPageKind::Index => view! { <ReportsPage /> }.into_any(),
        ReportPageKind::Period => view! { <ReportPage /> }.into_any(),
    }
}

pub struct ReportsRoute;

impl LazyRoute for ReportsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        reports_area(ReportPageKind::Index).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_reports_area().await;
    }
}

pub struct ReportRoute;

impl LazyRoute for ReportRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        reports_area(ReportPageKind::Period).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_reports_area().await;
    }
}

/// A page of the administration screens.
#[derive(Clone, Copy, Debug)]
pub enum AdminPage {
    Users,
    Services,
    Service,
    Holidays,
    PaymentAccount,
    NoticeTemplates,
}

/// The split point of the administration screens.
#[lazy]
fn admin_area(page: AdminPage) -> AnyView {
    use pages::admin::holidays::HolidaysPage;
    use pages::admin::notices::NoticeTemplatesPage;
    use pages::admin::payment_account::PaymentAccountAdminPage;
    use pages::admin::service::ServiceAdminPage;
    use pages::admin::services::ServicesAdminPage;
    use pages::admin::users::UsersPage;
    match page {
        AdminPage::Users => view! { <UsersPage /> }.into_any(),
        AdminPage::Services => view! { <ServicesAdminPage /> }.into_any(),
        AdminPage::Service => view! { <ServiceAdminPage /> }.into_any(),
        AdminPage::Holidays => view! { <HolidaysPage /> }.into_any(),
        AdminPage::PaymentAccount => view! { <PaymentAccountAdminPage /> }.into_any(),
        AdminPage::NoticeTemplates => view! { <NoticeTemplatesPage /> }.into_any(),
    }
}

pub struct PaymentAccountRoute;

impl LazyRoute for PaymentAccountRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_area(AdminPage::PaymentAccount).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_area().await;
    }
}

pub struct NoticeTemplatesRoute;

impl LazyRoute for NoticeTemplatesRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_area(AdminPage::NoticeTemplates).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_area().await;
    }
}

pub struct UsersRoute;

impl LazyRoute for UsersRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_area(AdminPage::Users).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_area().await;
    }
}

pub struct ServicesAdminRoute;

impl LazyRoute for ServicesAdminRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_area(AdminPage::Services).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_area().await;
    }
}

pub struct ServiceAdminRoute;

impl LazyRoute for ServiceAdminRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_area(AdminPage::Service).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_area().await;
    }
}

pub struct HolidaysRoute;

impl LazyRoute for HolidaysRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        admin_area(AdminPage::Holidays).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_admin_area().await;
    }
}

/// A page of the quality audits.
#[derive(Clone, Copy, Debug)]
pub enum AuditPage {
    List,
    New,
    Audit,
    Checklist,
}

/// The split point of the quality audits.
#[lazy]
fn audits_area(page: AuditPage) -> AnyView {
    use pages::audits::audit::AuditPage;
    use pages::audits::checklist::ChecklistPage;
    use pages::audits::list::AuditsPage;
    use pages::audits::new::NewAuditPage;
    match page {
        AuditPage::List => view! { <AuditsPage /> }.into_any(),
        AuditPage::New => view! { <NewAuditPage /> }.into_any(),
        AuditPage::Audit => view! { <AuditPage /> }.into_any(),
        AuditPage::Checklist => view! { <ChecklistPage /> }.into_any(),
    }
}

pub struct AuditsRoute;

impl LazyRoute for AuditsRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        audits_area(AuditPage::List).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_audits_area().await;
    }
}

pub struct NewAuditRoute;

impl LazyRoute for NewAuditRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        audits_area(AuditPage::New).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_audits_area().await;
    }
}

pub struct AuditRoute;

impl LazyRoute for AuditRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        audits_area(AuditPage::Audit).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_audits_area().await;
    }
}

pub struct ChecklistRoute;

impl LazyRoute for ChecklistRoute {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        audits_area(AuditPage::Checklist).await
    }
    // The router awaits this before hydrating a page loaded directly, so the area's chunk is
    // there when its view hydrates; without it the page hydrates against a missing view.
    async fn preload() {
        #[cfg(feature = "hydrate")]
        __preload_audits_area().await;
    }
}
