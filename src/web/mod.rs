//! The web layer shared by every feature: state, errors, access control, sessions, CSRF,
//! the page chrome and the middleware stack.

pub mod access;
pub mod assets;
pub mod chart_scale;
pub mod chrome;
pub mod client;
pub mod csrf;
pub mod current_user;
pub mod download;
pub mod error;
pub mod flash;
pub mod form;
pub mod format;
pub mod list;
pub mod middleware;
pub mod page;
pub mod paging;
pub mod replica;
pub mod state;
pub mod xlsx_table;

pub use access::{Access, Routes};
pub use chrome::Chrome;
pub use current_user::CurrentUser;
pub use error::AppError;
pub use page::{Page, Typed};
pub use state::AppState;
