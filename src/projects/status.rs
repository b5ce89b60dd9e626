//! Moving a project through its life: only the transitions the domain allows, each recorded
//! with its date, who made it and why.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{project::Status, text},
    projects::{forms::optional_date, handlers::render_show, load_visible, repo},
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub changed_on: String,
    /// Named for the page it is on, where "comment" would be ambiguous.
    #[serde(default, rename = "status_comment")]
    pub comment: String,
    #[serde(default)]
    pub version: i32,
}

/// A refused change shows the project page again with the reason next to the status field.
pub async fn change_status(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let project = load_visible(&mut tx, id, &me, true).await?;
    let from = Status::from_code(&project.status);
    let mut errors = FieldErrors::new();
    let to = match (from, Status::from_code(&form.status)) {
        (_, None) => {
            errors.add("status", "Välj en ny status.");
            None
        }
        (Some(from), Some(to)) if from == to => {
            errors.add(
                "status",
                format!(
                    "Projektet har redan status ”{}”. Välj den status det ska få.",
                    from.label()
                ),
            );
            None
        }
        (Some(from), Some(to)) if !from.may_become(to) => {
            errors.add(
                "status",
                format!(
                    "Ett projekt med status ”{}” kan inte få status ”{}”.",
                    from.label(),
                    to.label()
                ),
            );
            None
        }
        (_, to) => to,
    };
    if project.version != form.version {
        errors.add(
            "status",
            "Projektet har ändrats sedan du öppnade sidan. Kontrollera uppgifterna och försök igen.",
        );
    }
    let date = errors.check("changed_on", optional_date(&form.changed_on));
    let comment = errors.check("status_comment", text::bounded(&form.comment, 2000, false));
    let (Some(to), Some(date), Some(comment)) = (to, date, comment) else {
        drop(tx);
        return render_show(&state, chrome, &me, id, form, errors).await;
    };
    let today = crate::web::format::today();
    let date = date.unwrap_or(today);
    let previous = repo::latest_status_date(&mut tx, id).await?;
    if date > today {
        errors.add(
            "changed_on",
            "En statusändring registreras när den har skett: datumet ligger i framtiden.",
        );
    } else if let Some(previous) = previous.filter(|p| date < *p) {
        errors.add(
            "changed_on",
            format!("Datumet ligger före föregående statusändring ({previous})."),
        );
    }
    if !errors.is_empty()
        || !repo::change_status(&mut tx, &project, to.code(), date, &comment, me.id).await?
    {
        drop(tx);
        return render_show(&state, chrome, &me, id, form, errors).await;
    }
    let entry = Entry::change(
        "project_status_changed",
        "project",
        id.to_string(),
        "status",
        from.map(|s| s.label().to_owned()),
        Some(format!("{} ({date})", to.label())),
    )
    .in_project(id);
    audit::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("Projektets status är nu ”{}”.", to.label())),
    )
    .await?;
    Ok(Redirect::to(&format!("/projekt/{id}")).into_response())
}
