//! Signing in and out.

pub mod login;
