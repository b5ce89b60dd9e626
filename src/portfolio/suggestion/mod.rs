//! The "suggest" action: the selection with the most benefit within the round's hours capacity
//! and budget (mandatory items in, dependencies respected), the efficient frontier of benefit
//! versus cost as an accessible chart, and a reason for every item being in or out. The group
//! may apply it as the ranking, edit it on the board, or ignore it; the tool never decides.

pub mod analysis;
pub mod handlers;
pub mod operations;
pub mod page;
