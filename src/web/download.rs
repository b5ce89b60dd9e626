//! Responses that hand the user a file: the `Content-Disposition` header for any file name.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

/// A download of `bytes` named `file_name`. The name is given twice (RFC 6266): `filename*` in
/// UTF-8 for every browser of today, so "Gemensamma servicenämnden" keeps its ä, and a plain
/// ASCII `filename` for old clients, with å, ä and ö spelled without dots and anything that
/// could end the quoted string replaced.
pub fn attachment(
    content_type: &'static str,
    file_name: &str,
    body: impl IntoResponse,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&content_disposition(file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `attachment; filename="…"; filename*=UTF-8''…`
pub fn content_disposition(file_name: &str) -> String {
    let fallback = plain_file_name(file_name);
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// `file_name` in plain ASCII, as old clients get it: å, ä and ö spelled without dots, anything
/// that could end a quoted string replaced.
pub fn plain_file_name(file_name: &str) -> String {
    file_name
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' => 'o',
            'Ö' => 'O',
            'é' => 'e',
            '–' | '—' => '-',
            c if c.is_ascii_alphanumeric() || " .-_()+,".contains(c) => c,
            _ => '_',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_names_survive_and_the_fallback_is_plain() {
        assert_eq!(
            content_disposition("Protokoll 2026-Q4 nämnden.docx"),
            "attachment; filename=\"Protokoll 2026-Q4 namnden.docx\"; \
             filename*=UTF-8''Protokoll%202026-Q4%20n%C3%A4mnden.docx"
        );
    }

    #[test]
    fn nothing_can_break_out_of_the_header() {
        let value = content_disposition("a\"b\\c\r\nSet-Cookie: x;.pdf");
        assert!(!value.contains('\r') && !value.contains('\n'));
        assert!(value.starts_with("attachment; filename=\"a_b_c__Set-Cookie_ x_.pdf\";"));
        assert!(HeaderValue::from_str(&value).is_ok());
    }
}
