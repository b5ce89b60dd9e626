//! The administrator's page of single sign-on: the provider in use, and the table from the
//! provider's groups to roles in Portfolj, with a row added or removed at a time.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    admin::{
        forms::{Bindings, GrantInput},
        repo::Reference,
    },
    domain::role::{Role, Scope},
    operation::{Actor, Refusal},
    paths,
    sso::{
        operations,
        repo::{self, Mapping},
    },
    web::{AppError, AppState, Chrome, Page, Typed, form::FieldErrors},
};

/// The add form as posted; kept as typed so it can be shown again with the messages.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MappingForm {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub board: String,
}

impl MappingForm {
    /// The group's name and the role with what it is bound to, checked.
    pub fn parse(&self, reference: &impl Bindings) -> Result<(String, GrantInput), FieldErrors> {
        let mut errors = FieldErrors::new();
        let group = errors.text("group", "Grupp", &self.group, (200, true));
        let role = if self.role.is_empty() {
            errors.add("role", "Välj vilken roll gruppen ger.");
            None
        } else {
            errors.check("role", self.role.parse::<Role>())
        };
        let grant = role.and_then(|role| {
            let (municipality_id, board_id) = match role.scope() {
                Scope::None => (None, None),
                Scope::Municipality => {
                    let found = reference.municipality(&self.municipality);
                    if found.is_none() {
                        errors.add(
                            "municipality",
                            "Välj vilken kommuns IT-strategigrupp gruppen ger.",
                        );
                    }
                    (Some(found?), None)
                }
                Scope::Board => {
                    let found = reference.board(&self.board);
                    if found.is_none() {
                        errors.add("board", "Välj vilken nämnd rollen gäller.");
                    }
                    (None, Some(found?))
                }
            };
            Some(GrantInput {
                role,
                municipality_id,
                board_id,
            })
        });
        match (group, grant) {
            (Some(group), Some(grant)) if errors.is_empty() => Ok((group, grant)),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "sso/groups.html")]
struct GroupsView {
    chrome: Chrome,
    /// The provider's issuer, when single sign-on is configured.
    issuer: Option<String>,
    return_url: String,
    rows: Vec<(Mapping, String)>,
    reference: Reference,
    roles: Vec<Role>,
    form: MappingForm,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    page: &Page,
    typed: Typed<MappingForm>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let reference = Reference::load(&mut *conn).await?;
    let rows = repo::list_mappings(&mut conn)
        .await?
        .into_iter()
        .map(|m| {
            let bound = reference.describe(std::slice::from_ref(&m.grant));
            (m, bound)
        })
        .collect();
    drop(conn);
    let status = typed.page_status();
    let view = GroupsView {
        chrome: page.chrome().await?,
        issuer: state.sso.as_ref().map(|p| p.issuer().to_owned()),
        return_url: format!("{}{}", state.config.public_url, paths::sso_return()),
        rows,
        reference,
        roles: Role::ALL.to_vec(),
        form: typed.form,
        errors: typed.errors,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn show_groups(State(state): State<AppState>, page: Page) -> Result<Response, AppError> {
    render(&state, &page, Typed::fresh(MappingForm::default())).await
}

pub async fn add_group(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Form(form): Form<MappingForm>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    let added = match form.parse(&reference) {
        Ok((group, grant)) => {
            operations::add_mapping(&state.db, &actor, &reference, (&group, &grant))
                .await
                .map(|_| group)
        }
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    match added {
        Ok(group) => {
            let message = format!(
                "Gruppen {group} ger nu rollen. Den gäller vid gruppmedlemmarnas nästa inloggning."
            );
            page.done(message, &paths::sso_groups()).await
        }
        Err(refusal) => render(&state, &page, Typed::refused(form, refusal)?).await,
    }
}

pub async fn remove_group(
    State(state): State<AppState>,
    page: Page,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let reference = Reference::load(&state.db).await?;
    match operations::remove_mapping(&state.db, &actor, &reference, id).await {
        Ok(group) => {
            let message = format!(
                "Raden för gruppen {group} är borttagen. Rollen försvinner vid gruppmedlemmarnas \
                 nästa inloggning."
            );
            page.done(message, &paths::sso_groups()).await
        }
        Err(Refusal::Failed(AppError::NotFound)) => {
            let message = "Raden var redan borttagen, kanske av någon annan.";
            page.refused(message, &paths::sso_groups()).await
        }
        Err(refusal) => page.refused_because(refusal, &paths::sso_groups()).await,
    }
}
