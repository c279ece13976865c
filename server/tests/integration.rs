//! Integration tests: each spawns the real app on 127.0.0.1:0 against a fresh database, once on
//! SQLite and once on PostgreSQL.

#[path = "integration/support.rs"]
mod support;

#[path = "integration/foundation.rs"]
mod foundation;

#[path = "integration/workflow.rs"]
mod workflow;

#[path = "integration/admin.rs"]
mod admin;

#[path = "integration/portal.rs"]
mod portal;

#[path = "integration/complaints.rs"]
mod complaints;

#[path = "integration/apply.rs"]
mod apply;

#[path = "integration/stats.rs"]
mod stats;

#[path = "integration/quality_audits.rs"]
mod quality_audits;

#[path = "integration/reports.rs"]
mod reports;

#[path = "integration/security.rs"]
mod security;

#[path = "integration/scale_out.rs"]
mod scale_out;

#[path = "integration/assets.rs"]
mod assets;

#[path = "integration/hardening.rs"]
mod hardening;

#[path = "integration/constraints.rs"]
mod constraints;

#[path = "integration/bank_stand_in.rs"]
mod bank_stand_in;

#[path = "integration/khqr.rs"]
mod khqr;

#[path = "integration/notice_stand_ins.rs"]
mod notice_stand_ins;

#[path = "integration/notice_gateways.rs"]
mod notice_gateways;

#[path = "integration/notices.rs"]
mod notices;

#[path = "integration/notice_screens.rs"]
mod notice_screens;

#[path = "integration/round_trips.rs"]
mod round_trips;

#[path = "integration/local_reads.rs"]
mod local_reads;
