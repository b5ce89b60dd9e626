//! The follow-up's data entry (underlag): the activities of a board, their operating budget per
//! month and their outcome per month, the occasions of a year, the members' key of a board and
//! the projects' appropriations per year, and the keys by which a ledger import finds an
//! activity's operating outcome. Controllers enter them; the report reads them.
//! Occasions may also be set by administrators.

pub mod forms;
pub mod grid;
pub mod handlers;
pub mod keys;
pub mod keys_page;
pub mod months_repo;
pub mod operations;
pub mod outcome;
pub mod page;
pub mod policy;
pub mod repo;
