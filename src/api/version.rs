//! Optimistic versions over HTTP: a resource's `ETag` is its row version (`"7"`); a write sends
//! it back in `If-Match`, and a stale one is refused with 412 before anything is saved.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
};

use crate::api::problem::Problem;

pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The version an `If-Match` names, if the request has one.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i32>);

impl IfMatch {
    /// The version, or 428 for a write that must name the version it changes.
    pub fn required(self) -> Result<i32, Box<Problem>> {
        self.0.ok_or_else(|| {
            Box::new(Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Version saknas",
                "Ange resursens ETag i huvudet If-Match, så att ingen annans ändring skrivs över.",
            ))
        })
    }
}

/// A version no row has: what a weak ETag compares as, since If-Match compares strongly
/// (RFC 9110 §13.1.1) and a weak tag therefore never matches.
const NEVER: i32 = i32::MIN;

fn parse(headers: &HeaderMap) -> Result<Option<i32>, Box<Problem>> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        // "Any version" would overwrite whatever someone else saved: a write here names the
        // version it changes.
        return Err(Box::new(Problem::new(
            StatusCode::PRECONDITION_REQUIRED,
            "Version saknas",
            "If-Match: * godtas inte. Ange resursens ETag, så att ingen annans ändring skrivs över.",
        )));
    }
    let (weak, tag) = match text.strip_prefix("W/") {
        Some(tag) => (true, tag),
        None => (false, text),
    };
    let version = tag
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i32>().ok());
    match version {
        Some(_) if weak => Ok(Some(NEVER)),
        Some(v) => Ok(Some(v)),
        None => Err(Box::new(Problem::new(
            StatusCode::BAD_REQUEST,
            "Felaktig version",
            "If-Match ska innehålla en enda ETag som API:t gav, till exempel \"7\".",
        ))),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Box<Problem>;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse(&parts.headers).map(IfMatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn an_if_match_names_one_version() {
        assert_eq!(parse(&HeaderMap::new()).ok(), Some(None));
        assert_eq!(parse(&with("\"7\"")).ok(), Some(Some(7)));
        assert_eq!(parse(&with("W/\"7\"")).ok(), Some(Some(NEVER)));
        assert_eq!(parse(&with("*")).err().map(|p| p.status), Some(428));
        assert!(parse(&with("\"7\", \"8\"")).is_err());
        assert_eq!(etag(7), "\"7\"");
    }
}
