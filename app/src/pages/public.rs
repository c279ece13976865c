//! Pages anyone can open without signing in.

pub mod home;
pub mod offices;
