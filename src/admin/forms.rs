//! The user form: what the administrator typed, parsed into a checked [`UserInput`].

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::password,
    domain::{
        email::Email,
        role::{Role, Scope},
    },
    operation::Submission,
    web::form::FieldErrors,
};

/// The form as posted; kept as typed so it can be shown again with the messages.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserForm {
    /// A new user's one-time id (not used when editing).
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub strategy_municipality: String,
    #[serde(default)]
    pub boards: Vec<String>,
    /// The version the form was based on (edits only).
    #[serde(default)]
    pub version: i32,
}

/// A role with what it is bound to, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GrantInput {
    pub role: Role,
    pub municipality_id: Option<Uuid>,
    pub board_id: Option<Uuid>,
}

/// What a role may be bound to: the municipalities and boards that exist
/// (`admin::repo::Reference`).
pub trait Bindings {
    /// The id of the municipality whose id is `text`, if it exists.
    fn municipality(&self, text: &str) -> Option<Uuid>;
    /// The id of the board whose id is `text`, if it exists.
    fn board(&self, text: &str) -> Option<Uuid>;
}

/// A checked user form.
#[derive(Debug, Clone)]
pub struct UserInput {
    pub email: Email,
    pub display_name: String,
    pub title: String,
    /// A new password; required when creating, optional when editing.
    pub password: Option<String>,
    pub grants: Vec<GrantInput>,
}

impl UserForm {
    pub fn has_role(&self, role: &Role) -> bool {
        self.roles.iter().any(|r| r == role.code())
    }

    pub fn has_board(&self, id: &Uuid) -> bool {
        self.boards.iter().any(|b| b == &id.to_string())
    }

    pub fn parse(
        &self,
        reference: &impl Bindings,
        creating: bool,
    ) -> Result<UserInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", Email::parse(&self.email));
        let display_name = errors.text("display_name", "Namn", &self.display_name, (200, true));
        let title = errors.text("title", "Titel", &self.title, (200, false));
        let password = if creating || !self.password.is_empty() {
            errors
                .check("password", password::check_new(&self.password))
                .map(|()| Some(self.password.clone()))
        } else {
            Some(None)
        };
        let grants = self.parse_grants(reference, &mut errors);
        match (email, display_name, title, password) {
            (Some(email), Some(display_name), Some(title), Some(password)) if errors.is_empty() => {
                Ok(UserInput {
                    email,
                    display_name,
                    title,
                    password,
                    grants,
                })
            }
            _ => Err(errors),
        }
    }

    fn parse_grants(&self, reference: &impl Bindings, errors: &mut FieldErrors) -> Vec<GrantInput> {
        if self.roles.is_empty() {
            errors.add(
                "roles",
                "Välj minst en roll: utan roll kan användaren inte göra något i Portfolj.",
            );
        }
        let mut grants = Vec::new();
        for code in &self.roles {
            let Some(role) = errors.check("roles", code.parse::<Role>()) else {
                continue;
            };
            match role.scope() {
                Scope::None => grants.push(GrantInput {
                    role,
                    municipality_id: None,
                    board_id: None,
                }),
                Scope::Municipality => match reference.municipality(&self.strategy_municipality) {
                    Some(id) => grants.push(GrantInput {
                        role,
                        municipality_id: Some(id),
                        board_id: None,
                    }),
                    None => errors.add(
                        "strategy_municipality",
                        "Välj vilken kommuns IT-strategigrupp användaren tillhör.",
                    ),
                },
                Scope::Board => {
                    let boards: Vec<Uuid> = self
                        .boards
                        .iter()
                        .filter_map(|b| reference.board(b))
                        .collect();
                    if boards.is_empty() || boards.len() != self.boards.len() {
                        errors.add(
                            "boards",
                            "Välj minst en nämnd som nämndsekreteraren eller förvaltningschefen arbetar för.",
                        );
                    }
                    grants.extend(boards.into_iter().map(|b| GrantInput {
                        role,
                        municipality_id: None,
                        board_id: Some(b),
                    }));
                }
            }
        }
        grants.sort();
        grants.dedup();
        grants
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::repo::{BoardRef, MunicipalityRef, Reference};

    fn reference() -> Reference {
        let ludvika = Uuid::now_v7();
        Reference {
            municipalities: vec![MunicipalityRef {
                id: ludvika,
                name: "Ludvika".into(),
            }],
            boards: vec![BoardRef {
                id: Uuid::now_v7(),
                name: "Kommunstyrelsen".into(),
                municipality: "Ludvika".into(),
            }],
        }
    }

    fn form() -> UserForm {
        UserForm {
            email: "anna@ludvika.se".into(),
            display_name: "Anna".into(),
            password: "ett långt lösenord".into(),
            roles: vec!["controller".into()],
            ..UserForm::default()
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let input = form().parse(&reference(), true).unwrap();
        assert_eq!(
            input.grants,
            vec![GrantInput {
                role: Role::Controller,
                municipality_id: None,
                board_id: None
            }]
        );
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let bad = UserForm {
            email: "inte en adress".into(),
            display_name: "x".repeat(201),
            password: "kort".into(),
            roles: vec![
                "strategy_group".into(),
                "superuser".into(),
                "secretary".into(),
            ],
            ..UserForm::default()
        };
        let errors = bad.parse(&reference(), true).unwrap_err();
        for field in [
            "email",
            "display_name",
            "password",
            "roles",
            "strategy_municipality",
            "boards",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("roles").unwrap().contains("superuser"));
    }

    #[test]
    fn editing_keeps_the_password_when_left_empty() {
        let edit = UserForm {
            password: String::new(),
            ..form()
        };
        assert_eq!(edit.parse(&reference(), false).unwrap().password, None);
        assert!(edit.parse(&reference(), true).is_err());
    }

    #[test]
    fn a_board_that_does_not_exist_is_refused() {
        let r = reference();
        let ok = UserForm {
            roles: vec!["secretary".into()],
            boards: vec![r.boards[0].id.to_string()],
            ..form()
        };
        assert_eq!(ok.parse(&r, true).unwrap().grants.len(), 1);
        let bad = UserForm {
            boards: vec![r.boards[0].id.to_string(), Uuid::now_v7().to_string()],
            ..ok
        };
        assert!(bad.parse(&r, true).unwrap_err().get("boards").is_some());
    }
}
