//! Building blocks shared by pages.

pub mod form_feedback;
pub mod language_switch;
pub mod layout;
