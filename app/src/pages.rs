//! One module per area, one file per page.

pub mod not_found;
pub mod public;
