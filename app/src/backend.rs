//! Server-side services: database access and the business rules behind the server functions and
//! the JSON API. Compiled only with the `ssr` feature.

pub mod db;
pub mod entities;
pub mod offices;
pub mod settings;
pub mod state;
