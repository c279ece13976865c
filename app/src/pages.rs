//! One module per area, one file per page.

pub mod admin;
pub mod audits;
pub mod auth;
pub mod not_found;
pub mod public;
pub mod reports;
pub mod staff;
pub mod stats;
