//! The OWSO server: HTTP service, command line, demo data and the synthetic-case generator.

pub mod api_v1;
pub mod assets;
pub mod backup;
pub mod bakong;
pub mod cli;
pub mod exports;
pub mod generate;
pub mod kept;
pub mod metrics;
pub mod names;
pub mod notices;
pub mod payment_samples;
pub mod render_arena;
pub mod reports;
pub mod security;
pub mod seed;
pub mod serve;
pub mod session;
pub mod stats;
pub mod users;
