//! Personal API tokens: a user creates one on "API-nycklar" to call `/api/v1` as themselves,
//! sees it once, and may revoke it. A token carries its user's roles of the moment and no more;
//! a read token only reads. Creation and revocation are audited; every call with a token is
//! logged with the token's id (`api::auth`).

pub mod forms;
pub mod handlers;
pub mod operations;
pub mod repo;
pub mod secret;
