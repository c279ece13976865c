//! Leadership pages: the statistics dashboard.

pub mod chart_card;
pub mod dashboard;
pub mod filters;
