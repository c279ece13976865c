//! Domain vocabulary shared by the server and the browser: parsed-once newtypes for codes and
//! money, and the workflow's stages, statuses and roles.

pub mod access;
pub mod calendar;
mod codes;
pub mod password;
mod role;
mod stage;
pub mod workflow;

pub use access::Area;
pub use calendar::Holidays;
pub use codes::{DistrictCode, ParseError, Phone, Pin, ProvinceCode, RegistrationCode, Riel};
pub use role::{Jurisdiction, Role};
pub use stage::{CaseStatus, Channel, Stage};
