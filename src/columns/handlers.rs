//! The column chooser's form: stores the choice and returns to the page it was on.

use axum::{extract::State, response::Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use crate::{
    columns::{self, repo},
    paths,
    web::{AppError, AppState, CurrentUser, Page, access::is_local_path},
};

#[derive(Debug, Deserialize)]
pub struct ChooserForm {
    #[serde(default)]
    tabell: String,
    /// The keys of the columns to show (one field per ticked box).
    #[serde(default)]
    visa: Vec<String>,
    /// "alla" shows every column again.
    #[serde(default)]
    atgard: String,
    #[serde(default)]
    tillbaka: String,
}

pub async fn choose_columns(
    State(state): State<AppState>,
    page: Page,
    me: CurrentUser,
    Form(form): Form<ChooserForm>,
) -> Result<Response, AppError> {
    let table = columns::table(&form.tabell).ok_or(AppError::NotFound)?;
    let hidden = if form.atgard == "alla" {
        vec![]
    } else {
        columns::hidden_of(table, &form.visa)
    };
    repo::save(&state.db, me.id, table.key, &hidden).await?;
    let to = local_path(&form.tillbaka).unwrap_or_else(paths::start);
    let message = match hidden.len() {
        0 => "Alla kolumner visas.".to_owned(),
        1 => "Kolumnvalet är sparat: 1 kolumn dold.".to_owned(),
        n => format!("Kolumnvalet är sparat: {n} kolumner dolda."),
    };
    page.done(message, &to).await
}

/// `back` if it is a path on this site (the sign-in's rule for a return address): a form's
/// hidden field can be forged, and a redirect to another site must not follow from it.
fn local_path(back: &str) -> Option<String> {
    is_local_path(back).then(|| back.to_owned())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(
            local_path("/projekt?q=a&sida=2").as_deref(),
            Some("/projekt?q=a&sida=2")
        );
        for forged in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "",
            "projekt",
            "/a\nb",
        ] {
            assert_eq!(local_path(forged), None, "{forged}");
        }
    }
}
