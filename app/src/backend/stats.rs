//! Leadership statistics: rollups kept with every case action, and the dashboard, charts,
//! exports and reports read from them.

pub mod charts;
pub mod dashboard;
pub mod figures;
pub mod rollup;
pub mod selection;
