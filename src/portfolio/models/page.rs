//! The pages of prioritisation models: every model with the form that copies one, and a model
//! with its criteria, how a value is computed, the rounds that used it and its form.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use crate::{
    domain::scoring::{Ranking, Source},
    portfolio::models::{
        forms::{ModelForm, NewModelForm},
        policy::WRITERS,
        repo::{self, Record},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Typed},
};

#[derive(Template)]
#[template(path = "portfolio/models.html")]
struct ListView {
    chrome: Chrome,
    models: Vec<Record>,
    form: Typed<NewModelForm>,
    can_write: bool,
}

pub async fn render_list(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    form: Typed<NewModelForm>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let status = form.page_status();
    let view = ListView {
        chrome,
        models: repo::all(&mut conn).await?,
        form,
        can_write: WRITERS.allows(Some(me)),
    };
    Ok((status, Html(view.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "portfolio/model.html")]
struct ShowView {
    chrome: Chrome,
    record: Record,
    form: Typed<ModelForm>,
    can_write: bool,
}

impl ShowView {
    fn rankings(&self) -> &'static [Ranking] {
        &Ranking::ALL
    }
    fn sources(&self) -> &'static [Source] {
        &Source::ALL
    }
    fn error(&self, field: &str, i: &usize) -> Option<&str> {
        self.form.errors.get(&format!("{field}_{i}"))
    }
}

pub async fn render_model(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    form: Option<Typed<ModelForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let record = repo::find(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut form = form.unwrap_or_else(|| Typed::fresh(ModelForm::from_record(&record)));
    if form.conflict.is_some() {
        form.form.version = record.version;
    }
    let status = form.page_status();
    let view = ShowView {
        chrome,
        can_write: WRITERS.allows(Some(me)) && !record.is_frozen(),
        record,
        form,
    };
    Ok((status, Html(view.render()?)).into_response())
}
