//! Where a request came from, for the audit log and rate limits.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};

/// The client's address and the request id, as recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: String,
    pub request_id: Option<String>,
}

impl Client {
    /// "ip" as the audit log's `source`.
    pub fn source(&self) -> &str {
        &self.ip
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(
                || "okänd".to_owned(),
                |ConnectInfo(addr)| addr.ip().to_string(),
            );
        let request_id = parts
            .headers
            .get(&crate::web::middleware::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Self { ip, request_id })
    }
}
