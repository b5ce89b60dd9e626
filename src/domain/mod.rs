//! Pure types and rules of the domain: no web framework, database or runtime in here.

pub mod benefit;
pub mod budget;
pub mod budget_entry;
pub mod coded;
pub mod effect_goal;
pub mod email;
pub mod final_report;
pub mod follow_up;
pub mod fund;
pub mod ledger;
pub mod money;
pub mod number;
pub mod optimiser;
pub mod portfolio;
pub mod project;
pub mod ranking;
pub mod role;
pub mod round_diff;
pub mod scoring;
pub mod text;
