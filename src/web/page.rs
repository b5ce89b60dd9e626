//! The page context: what a handler needs to answer with a page or a redirect, extracted once.
//! It carries the session, the user and the request's path; the chrome (navigation, CSRF token,
//! flash messages) is built only when a page is rendered, so a POST that redirects neither takes
//! the flash messages nor issues a token it does not show.

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

use crate::{
    operation::Refusal,
    web::{
        AppError, AppState, Chrome, CurrentUser, csrf,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

#[derive(Debug, Clone)]
pub struct Page {
    session: Session,
    user: Option<CurrentUser>,
    path: String,
    demo: bool,
    visitor: Option<csrf::VisitorToken>,
}

impl Page {
    /// The chrome around a page's content.
    pub async fn chrome(&self) -> Result<Chrome, AppError> {
        Chrome::load(
            &self.session,
            self.user.clone(),
            &self.path,
            self.demo,
            self.visitor.as_ref(),
        )
        .await
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The end of every successful save: the message for the next page, then a redirect to it
    /// (303, so a reload does not post again).
    pub async fn done(&self, message: impl Into<String>, to: &str) -> Result<Response, AppError> {
        self.redirect_with(Flash::success(message), to).await
    }

    /// The end of a save that had nothing to change: the same redirect, with a notice rather
    /// than a success.
    pub async fn unchanged(
        &self,
        message: impl Into<String>,
        to: &str,
    ) -> Result<Response, AppError> {
        self.redirect_with(Flash::info(message), to).await
    }

    /// The end of a button's post that was refused (it has no form to show again): back to the
    /// page with the button, saying why.
    pub async fn refused(
        &self,
        message: impl Into<String>,
        to: &str,
    ) -> Result<Response, AppError> {
        self.redirect_with(Flash::error(message), to).await
    }

    /// A button's refused post: back to `to` with the refusal's messages (rule broken, or stale);
    /// a failure is answered with the error page.
    pub async fn refused_because(
        &self,
        refusal: crate::operation::Refusal,
        to: &str,
    ) -> Result<Response, AppError> {
        use crate::operation::Refusal;
        match refusal {
            Refusal::Invalid(errors) | Refusal::Conflict(errors) => {
                let message: Vec<&str> = errors.iter().map(|(_, m)| m).collect();
                self.refused(message.join(" "), to).await
            }
            refusal => Err(refusal.into()),
        }
    }

    /// The answer to a second post of a create form that was saved the first time
    /// ([`Refusal::AlreadySent`]): where the first post led, saying that nothing was saved twice.
    pub async fn sent_before(&self, to: &str) -> Result<Response, AppError> {
        self.unchanged(crate::operation::ALREADY_SENT, to).await
    }

    async fn redirect_with(&self, flash: Flash, to: &str) -> Result<Response, AppError> {
        flash::push(&self.session, flash).await?;
        Ok(Redirect::to(to).into_response())
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::Internal("session layer missing".into()))?;
        Ok(Self {
            session,
            user: parts.extensions.get::<CurrentUser>().cloned(),
            path: parts.uri.path().to_owned(),
            demo: state.config.demo,
            visitor: parts.extensions.get::<csrf::VisitorToken>().cloned(),
        })
    }
}

/// A form as the user typed it, with the messages next to its fields and, when someone else
/// saved first, what is saved now.
#[derive(Default)]
pub struct Typed<F> {
    pub form: F,
    pub errors: FieldErrors,
    pub conflict: Option<String>,
}

impl<F> Typed<F> {
    pub fn fresh(form: F) -> Self {
        Typed {
            form,
            errors: FieldErrors::new(),
            conflict: None,
        }
    }

    /// What the form shows: what was typed, or else `fresh()`, what is saved. After a conflict
    /// `rebase` moves the typed form onto what is saved now (its version, or the values it was
    /// read as), so that a second post means "mine", having seen the saved state.
    pub fn or_fresh(
        typed: Option<Self>,
        fresh: impl FnOnce() -> F,
        rebase: impl FnOnce(&mut F),
    ) -> Self {
        match typed {
            Some(mut typed) => {
                if typed.conflict.is_some() {
                    rebase(&mut typed.form);
                }
                typed
            }
            None => Typed::fresh(fresh()),
        }
    }

    /// The form again after `refusal`; a failure is answered with the error page.
    pub fn refused(form: F, refusal: Refusal) -> Result<Self, AppError> {
        let (errors, conflict) = refusal.for_form()?;
        Ok(Typed {
            form,
            errors,
            conflict,
        })
    }

    /// 409 after a conflict, 422 with messages, else 200.
    pub fn page_status(&self) -> axum::http::StatusCode {
        crate::web::form::status(&self.errors, self.conflict.is_some())
    }
}
