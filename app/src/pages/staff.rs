//! Office staff pages; every one needs a signed-in user.

pub mod case;
pub mod complaints;
pub mod inbox;
pub mod new_case;
pub mod notices;
pub mod payments;
pub mod receipt;
