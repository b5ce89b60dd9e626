//! Where a request came from, for the audit log and sign-in throttling.
//!
//! Behind the reverse proxy every request arrives from the proxy's address. The client's own
//! address is then read from `X-Forwarded-For`, but only when the request really came through a
//! proxy we were told to trust (`PORTFOLJ_TRUSTED_PROXIES`): anyone can send that header.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

use crate::web::AppState;

/// The header carrying each request's id: set by the outermost layer unless a proxy set one,
/// returned to the client, and logged with every line of the request.
pub static REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

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

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let ip = peer.map_or_else(
            || "okänd".to_owned(),
            |peer| client_address(peer, &parts.headers, &state.config.trusted_proxies).to_string(),
        );
        let request_id = parts
            .headers
            .get(&REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Self { ip, request_id })
    }
}

/// The first address, counting from the server outwards, that is not a trusted proxy. Each
/// proxy appends the address it received the request from, so entries to the right of the last
/// trusted hop were written by proxies we trust and entries to its left by the client: an
/// address the client wrote itself is never believed.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            // A garbled entry: the nearest address we could read is the best we know.
            Err(_) => return client,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        let h = headers(&["203.0.113.7"]);
        assert_eq!(
            client_address(ip("198.51.100.2"), &h, &proxy),
            ip("198.51.100.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &proxy),
            ip("203.0.113.7")
        );
        assert_eq!(client_address(ip("10.0.0.1"), &h, &[]), ip("10.0.0.1"));
    }

    #[test]
    fn a_forged_entry_left_of_the_real_one_is_ignored() {
        let proxy = [ip("10.0.0.1")];
        let h = headers(&["1.2.3.4, 203.0.113.7"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &proxy),
            ip("203.0.113.7")
        );
        let two_headers = headers(&["1.2.3.4", "203.0.113.7"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &two_headers, &proxy),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn chained_proxies_are_skipped_and_garbage_stops_the_walk() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        let h = headers(&["203.0.113.7, 10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &proxies),
            ip("203.0.113.7")
        );
        let garbled = headers(&["evil, 10.0.0.2"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &garbled, &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &headers(&[]), &proxies),
            ip("10.0.0.1")
        );
    }
}
