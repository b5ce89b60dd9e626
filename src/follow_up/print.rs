//! The period report's print view: the document the exports write, as a page of its own
//! without the navigation, each attachment starting a new printed page and bilaga 2 printed in
//! landscape.

use askama::Template;
use axum::response::Html;

use crate::{
    follow_up::document::{Block, Document, RowKind},
    web::AppError,
};

#[derive(Template)]
#[template(path = "follow_up/print.html")]
struct PrintView {
    document: Document,
    /// The report page.
    back: String,
}

pub fn render_print(document: Document, back: String) -> Result<Html<String>, AppError> {
    Ok(Html(PrintView { document, back }.render()?))
}
