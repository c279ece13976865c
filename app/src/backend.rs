//! Server-side services: database access and the business rules behind the server functions and
//! the JSON API. Compiled only with the `ssr` feature.

pub mod audit;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod catalogue_admin;
pub mod complaints;
pub mod csp;
pub mod db;
pub mod entities;
pub mod flash;
pub mod geo;
pub mod inbox;
pub mod local_reads;
pub mod metrics;
pub mod notices;
pub mod offices;
pub mod payments;
pub mod public;
pub mod quality_audits;
pub mod rate_limit;
pub mod reference_cache;
pub mod reports;
pub mod scorecard;
pub mod secrets;
pub mod settings;
pub mod state;
pub mod stats;
pub mod track;
pub mod users;
pub mod workflow;
