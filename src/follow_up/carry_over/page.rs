//! The carry-over form beside the year-end report.

use std::borrow::Borrow;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::money::Money,
    follow_up::{
        carry_over::forms::CarryOverForm,
        policy,
        report::{self, Report},
    },
    web::{AppError, AppState, Chrome, Page, Typed, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "follow_up/carry_over.html")]
struct CarryOverView {
    chrome: Chrome,
    report: Report,
    form: CarryOverForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl CarryOverView {
    fn mnkr(&self, amount: impl Borrow<Money>) -> String {
        amount.borrow().format_mnkr()
    }

    fn error(&self, field: impl AsRef<str>) -> Option<&str> {
        self.errors.get(field.as_ref())
    }
}

pub async fn render(
    state: &AppState,
    page: &Page,
    (occasion, board): (Uuid, Uuid),
    typed: Option<Typed<CarryOverForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let report = report::load(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    if !report.header.occasion.is_year_end() || !policy::editable(report.header.status) {
        return Err(AppError::Conflict(
            "Överföring föreslås vid årets sista uppföljningstillfälle, medan rapporten pågår."
                .to_owned(),
        ));
    }
    let typed = Typed::or_fresh(
        typed,
        || CarryOverForm::from_report(&report),
        |f| f.version = report.header.version.to_string(),
    );
    let status = typed.page_status();
    let form = typed.form;
    let view = CarryOverView {
        chrome: page.chrome().await?,
        report,
        form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}
