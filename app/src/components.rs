//! Building blocks shared by pages.

pub mod applicant_fields;
pub mod form_feedback;
pub mod khqr_card;
pub mod language_switch;
pub mod layout;
pub mod office_select;
pub mod page_error;
