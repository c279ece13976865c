use serde::{Deserialize, Serialize};

use super::{DistrictCode, ProvinceCode};

crate::domain::stored_enum! {
    /// What a user may do. Office roles are bound to one office; viewers to a province or the nation.
    pub enum Role {
        FrontDesk,
        Cashier,
        OfficeChief,
        TechnicalOfficer,
        AdminDirector,
        DecisionMaker,
        OfficeAdmin,
        ProvinceViewer,
        NationalViewer,
        SystemAdmin,
    }
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::FrontDesk,
        Role::Cashier,
        Role::OfficeChief,
        Role::TechnicalOfficer,
        Role::AdminDirector,
        Role::DecisionMaker,
        Role::OfficeAdmin,
        Role::ProvinceViewer,
        Role::NationalViewer,
        Role::SystemAdmin,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Role::FrontDesk => "front_desk",
            Role::Cashier => "cashier",
            Role::OfficeChief => "office_chief",
            Role::TechnicalOfficer => "technical_officer",
            Role::AdminDirector => "admin_director",
            Role::DecisionMaker => "decision_maker",
            Role::OfficeAdmin => "office_admin",
            Role::ProvinceViewer => "province_viewer",
            Role::NationalViewer => "national_viewer",
            Role::SystemAdmin => "system_admin",
        }
    }

    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }

    /// Leadership roles that read statistics and the quarterly reports: office leadership for
    /// their office, province viewers for their province, the national viewer and the system
    /// administrator for the country.
    pub fn reads_stats(self) -> bool {
        matches!(
            self,
            Role::OfficeChief
                | Role::AdminDirector
                | Role::DecisionMaker
                | Role::OfficeAdmin
                | Role::ProvinceViewer
                | Role::NationalViewer
                | Role::SystemAdmin
        )
    }

    pub fn is_office_role(self) -> bool {
        !matches!(
            self,
            Role::ProvinceViewer | Role::NationalViewer | Role::SystemAdmin
        )
    }
}

/// The part of the country a user acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Jurisdiction {
    Office(DistrictCode),
    Province(ProvinceCode),
    National,
}

impl Jurisdiction {
    /// The jurisdiction a role needs: office roles an office, province viewers a province.
    pub fn for_role(
        role: Role,
        office: Option<DistrictCode>,
        province: Option<ProvinceCode>,
    ) -> Result<Jurisdiction, &'static str> {
        match (role, office, province) {
            (r, Some(o), None) if r.is_office_role() => Ok(Jurisdiction::Office(o)),
            (r, _, _) if r.is_office_role() => {
                Err("an office role needs --office and no --province")
            }
            (Role::ProvinceViewer, None, Some(p)) => Ok(Jurisdiction::Province(p)),
            (Role::ProvinceViewer, _, _) => Err("province_viewer needs --province and no --office"),
            (_, None, None) => Ok(Jurisdiction::National),
            _ => Err("national roles take neither --office nor --province"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_bind_jurisdiction() {
        for r in Role::ALL {
            assert_eq!(Role::from_id(r.id()), Some(r));
        }
        let office = DistrictCode::parse("1201").ok();
        let province = ProvinceCode::parse("12").ok();
        assert!(matches!(
            Jurisdiction::for_role(Role::Cashier, office.clone(), None),
            Ok(Jurisdiction::Office(_))
        ));
        assert!(Jurisdiction::for_role(Role::Cashier, None, province.clone()).is_err());
        assert!(matches!(
            Jurisdiction::for_role(Role::ProvinceViewer, None, province.clone()),
            Ok(Jurisdiction::Province(_))
        ));
        assert!(Jurisdiction::for_role(Role::NationalViewer, office, None).is_err());
        assert_eq!(
            Jurisdiction::for_role(Role::SystemAdmin, None, None),
            Ok(Jurisdiction::National)
        );
    }
}
