//! Domain vocabulary shared by the server and the browser: parsed-once newtypes for codes and
//! money, and the workflow's stages, statuses and roles.

/// Declares an enum stored in the database as its snake_case name, the same name serde gives
/// it, so a stage, status or role reads alike in a column, in JSON and in the CHECK constraint
/// that migration 9 derives from the same list.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[cfg_attr(
            feature = "ssr",
            derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
            sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
        )]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $($(#[$variant_meta])* $variant),+
        }
    };
}
pub(crate) use stored_enum;

pub mod access;
pub mod calendar;
mod codes;
pub mod khqr;
pub mod notice;
pub mod password;
mod role;
mod stage;
pub mod workflow;

pub use access::Area;
pub use calendar::Holidays;
pub use codes::{DistrictCode, ParseError, Phone, Pin, ProvinceCode, RegistrationCode, Riel};
pub use role::{Jurisdiction, Role};
pub use stage::{CaseStatus, Channel, Stage};
