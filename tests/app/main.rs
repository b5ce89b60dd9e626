//! Integration tests: the real application over HTTP, a real PostgreSQL, a real browser.
//! One test binary, so the database cluster is started once per run.

// Test code may panic on anything unexpected: that is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod admin_users;
mod audit_log;
mod auditor_checks;
mod auth;
mod benefit_calculation;
mod benefit_pages;
mod benefit_register;
mod browser;
mod browser_benefits;
mod browser_follow_up;
mod browser_ledger;
mod browser_ranking;
mod budget;
mod budget_entry;
mod cli;
mod council_goals;
mod csrf;
mod dates;
mod drills;
mod embedded;
mod final_report;
mod final_report_exports;
mod follow_up;
mod follow_up_board_years;
mod follow_up_decision;
mod follow_up_entry;
mod follow_up_exports;
mod follow_up_kept;
mod follow_up_review;
mod follow_up_texts;
mod follow_up_word;
mod fund;
mod goals;
mod import;
mod ledger_import;
mod ledger_operating;
mod ledger_staging;
mod ledger_tables;
mod meeting_batch;
mod offered_actions;
mod platform;
mod portfolio;
mod projects;
mod projects_list;
mod protocol;
mod query_counts;
mod rounds;
mod submissions;
mod suggestion;
mod support;
mod sweeps;
