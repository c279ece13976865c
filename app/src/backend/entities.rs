//! sea-orm entities, one per table of `migrations/`. Server-only: they never reach the wasm.

pub mod api_token;
pub mod applicant;
pub mod audit_entry;
pub mod case;
pub mod case_event;
pub mod case_sequence;
pub mod commune;
pub mod complaint;
pub mod complaint_sequence;
pub mod district;
pub mod enterprise;
pub mod feedback;
pub mod holiday;
pub mod login_attempt;
pub mod office;
pub mod payment;
pub mod province;
pub mod receipt_sequence;
pub mod sector;
pub mod service;
pub mod session;
pub mod user;
pub mod user_sector;
pub mod village;
pub mod workflow_step;
