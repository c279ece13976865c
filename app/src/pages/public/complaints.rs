//! Complaints and suggestions: a form anyone can file, and tracking with the number and PIN.

pub mod new;
pub mod track;
