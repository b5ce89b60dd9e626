//! Carry-over proposals at the year-end occasion: for each project of the board, the unspent
//! appropriation the controller proposes to carry into the next year. The proposals are decided
//! with the report (`decision::repo::decide`) and then appear in the next year's investment table
//! as "överfört från <year>", so the chain 4,9 + 7,7 = 12,6 is traceable.

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod page;
