//! Pages anyone can open without signing in.

pub mod apply;
pub mod complaints;
pub mod home;
pub mod office;
pub mod offices;
pub mod scorecard;
pub mod service;
pub mod services;
pub mod track;
