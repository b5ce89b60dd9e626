//! Where a request came from, for the audit log and sign-in throttling.
//!
//! Behind the reverse proxy every request arrives from the proxy's address. The client's own
//! address is then read from `X-Forwarded-For`, but only when the request really came through a
//! proxy we were told to trust (`PORTFOLJ_TRUSTED_PROXIES`): anyone can send that header.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, request::Parts},
    middleware::Next,
    response::Response,
};

use crate::web::AppState;

/// The header carrying each request's id: set by the outermost layer ([`assign_request_id`])
/// unless a trusted proxy set one, returned to the client, and logged with every line of the
/// request.
pub static REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");

/// The token of an `Authorization: Bearer <token>` header (the scheme in any case, RFC 9110).
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

/// The longest request id taken from a proxy.
const REQUEST_ID_MAX: usize = 64;

/// Gives the request its id. A proxy's id is kept, so that its log and ours can be matched, but
/// only from a proxy we trust (`PORTFOLJ_TRUSTED_PROXIES`) and only as one plain token of
/// letters, digits and `-_.:`. Anything else gets a new UUID: a client's own header would go
/// into the log and the audit log as it came (quotes and a second `user_id=` on a log line,
/// another request's id on a new write, a secret).
pub async fn assign_request_id(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let from_proxy = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| state.config.trusted_proxies.contains(&peer.ip()));
    if !(from_proxy && proxy_request_id(request.headers()).is_some()) {
        let id = uuid::Uuid::new_v4().hyphenated().to_string();
        if let Ok(value) = HeaderValue::from_str(&id) {
            request.headers_mut().insert(REQUEST_ID.clone(), value);
        }
    }
    next.run(request).await
}

/// The request id in `headers` when it is one well-formed value.
fn proxy_request_id(headers: &HeaderMap) -> Option<&str> {
    let mut values = headers.get_all(&REQUEST_ID).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return None;
    };
    let id = value.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.:".contains(c);
    (!id.is_empty() && id.len() <= REQUEST_ID_MAX && id.chars().all(plain)).then_some(id)
}

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

    fn request_ids(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(&REQUEST_ID, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_proxys_request_id_is_kept_only_as_one_plain_token() {
        let id = "0b9c2f5e-1d3a-4c7e-9f00-5a6b7c8d9e0f";
        assert_eq!(proxy_request_id(&request_ids(&[id])), Some(id));
        assert_eq!(
            proxy_request_id(&request_ids(&["lb-01:7f3a.22_x"])),
            Some("lb-01:7f3a.22_x")
        );
        for bad in [
            "",
            "x\" status=200 user_id=1",
            "two words",
            &"a".repeat(REQUEST_ID_MAX + 1),
        ] {
            assert_eq!(proxy_request_id(&request_ids(&[bad])), None, "{bad:?}");
        }
        assert_eq!(proxy_request_id(&request_ids(&[id, id])), None);
        assert_eq!(proxy_request_id(&HeaderMap::new()), None);
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
