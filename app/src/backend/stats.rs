//! Leadership statistics: rollups kept with every case action, and the dashboard, charts,
//! exports and reports read from them.

pub mod rollup;
pub mod charts;
pub mod figures;
pub mod selection;
pub mod dashboard;
