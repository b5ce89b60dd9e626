//! The static files (CSS, scripts, fonts) compiled into the binary, so that a copy of the binary
//! alone is a complete server: nothing is read from the directory it was built in.

use axum::{
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;

use crate::web::AppError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

/// `GET /static/{*path}`: the file with its type and an `ETag`. Browsers check back with the
/// tag (`no-cache`) and get 304 while the file is unchanged, so a new release's CSS is seen at
/// once without serving every file in full on every page.
pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Result<Response, AppError> {
    let file = Assets::get(&path).ok_or(AppError::NotFound)?;
    let tag: String = file
        .metadata
        .sha256_hash()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    let etag = format!("\"{tag}\"");
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let etag_header =
        HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.to_string()))?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sent| sent.split(',').any(|t| t.trim() == etag));
    if unchanged {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [cache, (header::ETAG, etag_header)],
        )
            .into_response());
    }
    let content_type = HeaderValue::from_str(file.metadata.mimetype())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            cache,
            (header::ETAG, etag_header),
        ],
        file.data.into_owned(),
    )
        .into_response())
}

/// Every embedded file's path under `/static/`, for tests and the deploy check.
pub fn paths() -> impl Iterator<Item = String> {
    Assets::iter().map(|p| p.into_owned())
}
