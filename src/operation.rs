//! The shape every feature's writes share. An operation is one function per verb in the
//! feature's `operations` module (`budget::operations::record_outcome`). It owns the transaction
//! boundary, asks the feature's policy, applies the state transition, checks the optimistic
//! version and writes the audit entries; it returns what was done or a [`Refusal`]. Handlers
//! only extract, call one operation, then render or redirect, so the HTML pages and the JSON API
//! go through the same checks.

pub mod submission;

pub use submission::Submission;

use axum::{extract::FromRequestParts, http::request::Parts};
use uuid::Uuid;

use crate::{
    audit,
    web::{AppError, AppState, CurrentUser, client::Client, form::FieldErrors},
};

/// Who acts: the signed-in user, for the policy, and how the audit log names them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: CurrentUser,
    pub trail: audit::Actor,
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let Ok(client) = Client::from_request_parts(parts, state).await;
        let mut trail = audit::Actor::user(&user, &client);
        // A call with an API token names the token where the log names the client.
        if let Some(caller) = parts
            .extensions
            .get::<crate::web::current_user::ApiCaller>()
        {
            trail.source = format!("{} (API-nyckel {})", trail.source, caller.token_id);
        }
        Ok(Self { user, trail })
    }
}

/// Why an operation changed nothing.
#[derive(Debug)]
pub enum Refusal {
    /// The input breaks a rule: the messages by field, shown next to the fields (422).
    Invalid(FieldErrors),
    /// Someone else saved first: by field, what is saved now (409).
    Conflict(FieldErrors),
    /// Not found, not allowed, or a failure: answered with the error page.
    Failed(AppError),
    /// The same create form was posted before and saved then ([`Submission`]): nothing is saved
    /// twice. Carries what the first post created, when the operation noted it, so the answer
    /// can lead where the first one did.
    AlreadySent(Option<Uuid>),
}

/// What a second post of a create form is told.
pub const ALREADY_SENT: &str = "Det här formuläret var redan skickat; inget sparades två gånger.";

impl Refusal {
    /// A refusal with one message under one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Refusal::Invalid(errors)
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Failed(e)
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(e: sqlx::Error) -> Self {
        Refusal::Failed(e.into())
    }
}

/// A refusal that reaches the error page: a form that cannot be shown again (a JSON call, or a
/// handler with no form) still answers with the status that fits.
impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        let messages =
            |errors: FieldErrors| errors.iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ");
        match refusal {
            Refusal::Invalid(errors) => AppError::BadRequest(messages(errors)),
            Refusal::Conflict(errors) => AppError::Conflict(messages(errors)),
            Refusal::Failed(e) => e,
            Refusal::AlreadySent(_) => AppError::Conflict(ALREADY_SENT.into()),
        }
    }
}

/// The field a [`Refusal::Conflict`] carries what is saved now under, for the pages that show
/// it in one box above the form.
pub const SAVED: &str = "saved";

impl Refusal {
    /// Someone else saved first; `saved` says what is saved now.
    pub fn conflict(saved: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(SAVED, saved);
        Refusal::Conflict(errors)
    }

    /// A violated constraint a user can cause (a duplicate name) as the message next to its
    /// field (`db::constraints`); any other database error stays a failure.
    pub fn from_constraint(error: sqlx::Error) -> Self {
        match crate::db::constraints::field_message(&error) {
            Some((field, message)) => Refusal::invalid(field, message),
            None => Refusal::Failed(error.into()),
        }
    }

    /// What a form page shows again: the messages by field and, after a conflict, what is saved
    /// now. A failure is answered with the error page instead.
    pub fn for_form(self) -> Result<(FieldErrors, Option<String>), AppError> {
        match self {
            Refusal::Invalid(errors) => Ok((errors, None)),
            Refusal::Conflict(errors) => {
                Ok((FieldErrors::new(), errors.get(SAVED).map(str::to_owned)))
            }
            refusal => Err(refusal.into()),
        }
    }
}
