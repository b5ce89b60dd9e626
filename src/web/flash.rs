//! One-time messages shown on the next page, e.g. "Användaren har sparats" after a redirect.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::web::AppError;

const SESSION_KEY: &str = "flash";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashKind {
    Success,
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

impl Flash {
    pub fn success(text: impl Into<String>) -> Self {
        Self {
            kind: FlashKind::Success,
            text: text.into(),
        }
    }

    pub fn info(text: impl Into<String>) -> Self {
        Self {
            kind: FlashKind::Info,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self {
            kind: FlashKind::Error,
            text: text.into(),
        }
    }

    /// The CSS class and the ARIA role: errors interrupt a screen reader, the rest wait.
    pub fn css_class(&self) -> &'static str {
        match self.kind {
            FlashKind::Success => "flash flash-success",
            FlashKind::Info => "flash flash-info",
            FlashKind::Error => "flash flash-error",
        }
    }

    pub fn aria_role(&self) -> &'static str {
        if self.kind == FlashKind::Error {
            "alert"
        } else {
            "status"
        }
    }
}

pub async fn push(session: &Session, flash: Flash) -> Result<(), AppError> {
    let mut all: Vec<Flash> = session.get(SESSION_KEY).await?.unwrap_or_default();
    all.push(flash);
    session.insert(SESSION_KEY, all).await?;
    Ok(())
}

pub async fn take(session: &Session) -> Result<Vec<Flash>, AppError> {
    // Look before removing: a removal marks the session modified, and a modified session is
    // written back to the database at the end of every request.
    let waiting: Option<Vec<Flash>> = session.get(SESSION_KEY).await?;
    if waiting.is_some() {
        session.remove_value(SESSION_KEY).await?;
    }
    Ok(waiting.unwrap_or_default())
}
