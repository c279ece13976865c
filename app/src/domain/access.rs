//! Who may see and do what: the one place the rules live. The navigation shows a link when
//! `Role::may` says so, and the server refuses by the same answer, so a screen and its server
//! function cannot disagree. Case transitions are decided by the workflow's state machine
//! (`domain::workflow`); this module says only who reaches an area and where they may act.

use super::{Jurisdiction, Role};
use crate::error::AppError;

/// The parts of the system a role may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The inbox and the case pages: the office's staff.
    CaseWork,
    /// Registering a case at the counter: the front desk.
    Registration,
    /// Answering the office's complaints: the office chief.
    Complaints,
    /// Statistics and quarterly reports: leadership.
    Stats,
    /// Staff accounts: the system and office administrators.
    Accounts,
    /// The service catalogue and the holiday calendar: the system administrator.
    Catalogue,
    /// Sample audits: province and national viewers.
    Audits,
    /// The office's KHQR payments: the cashier who takes fees, the chief who cancels them, the
    /// office administrator who sets the account.
    Payments,
    /// The office's messages to citizens that failed, to send again: the office administrator.
    /// (The system administrator edits the templates and may look at any office.)
    Notices,
}

impl Role {
    pub fn may(self, area: Area) -> bool {
        match area {
            Area::CaseWork => self.is_office_role(),
            Area::Registration => self == Role::FrontDesk,
            Area::Complaints => self == Role::OfficeChief,
            Area::Stats => self.reads_stats(),
            Area::Accounts => matches!(self, Role::SystemAdmin | Role::OfficeAdmin),
            Area::Catalogue => self == Role::SystemAdmin,
            Area::Audits => matches!(self, Role::ProvinceViewer | Role::NationalViewer),
            Area::Payments => matches!(self, Role::Cashier | Role::OfficeChief | Role::OfficeAdmin),
            Area::Notices => self == Role::OfficeAdmin,
        }
    }

    /// Where the role lands after signing in, and where a refused page sends it back: the
    /// office's staff to their inbox, the system administrator to the accounts, leadership outside
    /// an office to the charts.
    pub fn home(self) -> &'static str {
        if self.may(Area::CaseWork) {
            "/staff/inbox"
        } else if self.may(Area::Catalogue) {
            "/admin/users"
        } else if self.may(Area::Stats) {
            "/stats"
        } else {
            "/"
        }
    }

    /// `Forbidden` unless the role may reach `area`.
    pub fn require(self, area: Area) -> Result<(), AppError> {
        if self.may(area) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl Jurisdiction {
    /// Whether a record of office `office_code` is inside this jurisdiction, to be read.
    pub fn covers_office(&self, office_code: &str) -> bool {
        match self {
            Jurisdiction::Office(o) => o.as_str() == office_code,
            Jurisdiction::Province(p) => office_code.starts_with(p.as_str()),
            Jurisdiction::National => true,
        }
    }

    /// Whether its holder may act on a case of office `office_code`: only the office's own staff
    /// do; a province or the nation reads but never acts.
    pub fn acts_in_office(&self, office_code: &str) -> bool {
        matches!(self, Jurisdiction::Office(o) if o.as_str() == office_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DistrictCode, ProvinceCode};

    #[test]
    fn each_area_has_its_roles() {
        let who = |area| -> Vec<&str> {
            Role::ALL
                .into_iter()
                .filter(|r| r.may(area))
                .map(Role::id)
                .collect()
        };
        assert_eq!(who(Area::Registration), ["front_desk"]);
        assert_eq!(who(Area::Complaints), ["office_chief"]);
        assert_eq!(who(Area::Catalogue), ["system_admin"]);
        assert_eq!(who(Area::Accounts), ["office_admin", "system_admin"]);
        assert_eq!(who(Area::Audits), ["province_viewer", "national_viewer"]);
        assert_eq!(
            who(Area::Payments),
            ["cashier", "office_chief", "office_admin"]
        );
        assert_eq!(who(Area::Notices), ["office_admin"]);
        assert_eq!(Role::NationalViewer.home(), "/stats");
        assert_eq!(Role::ProvinceViewer.home(), "/stats");
        assert_eq!(Role::SystemAdmin.home(), "/admin/users");
        assert_eq!(Role::Cashier.home(), "/staff/inbox");
        assert!(!who(Area::CaseWork).contains(&"national_viewer"));
        assert_eq!(Role::Cashier.require(Area::Stats), Err(AppError::Forbidden));
    }

    #[test]
    fn reading_reaches_further_than_acting() {
        let office = Jurisdiction::Office(DistrictCode::parse("1201").unwrap());
        let province = Jurisdiction::Province(ProvinceCode::parse("12").unwrap());
        assert!(office.covers_office("1201") && office.acts_in_office("1201"));
        assert!(!office.covers_office("1202") && !office.acts_in_office("1202"));
        assert!(province.covers_office("1202") && !province.acts_in_office("1202"));
        assert!(Jurisdiction::National.covers_office("0203"));
        assert!(!Jurisdiction::National.acts_in_office("0203"));
    }
}
