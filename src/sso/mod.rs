//! Single sign-on with the municipality's OpenID provider (OpenID Connect, authorization code
//! flow with PKCE): the provider's groups give the roles, by a table the administrator keeps.
//! Local accounts keep working beside it (small municipalities, the break-glass administrator).

pub mod groups;
pub mod handlers;
pub mod operations;
pub mod provider;
pub mod repo;
