//! Building blocks shared by pages.

pub mod language_switch;
pub mod layout;
