//! Who may read and change a benefit calculation. It is read by whoever may see its project or
//! item; IT-center and controllers prepare it, as they prepare the item and the appropriation.
//! A project whose final report is decided keeps its calculation as the record.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    benefits::repo::Subject,
    domain::role::Role,
    paths,
    portfolio::scope::load_visible_item,
    projects::{
        ensure_open, load_visible,
        views::{Heading, Tab},
    },
    web::{Access, AppError, CurrentUser},
};

/// The roles that prepare calculations (the route table admits them; this module checks the
/// object).
pub const WRITERS: Access = Access::Roles(&[Role::ItCenter, Role::Controller]);

/// The project or item a calculation is about, as its pages name and link it.
pub struct SubjectView {
    pub subject: Subject,
    /// "Projekt E-arkiv (KS 2026-12)", "Objekt P-014 Digital signering".
    pub title: String,
    pub href: String,
    /// The municipalities it serves, the one with the largest share first.
    pub municipalities: Vec<Uuid>,
    /// Why it may not change any more, if so.
    pub locked: Option<String>,
    /// A project's heading with its tabs, so its calculation reads as one of its pages.
    pub heading: Option<Heading>,
}

/// The subject, if `user` may see it.
pub async fn load_subject(
    conn: &mut PgConnection,
    subject: Subject,
    user: &CurrentUser,
) -> Result<SubjectView, AppError> {
    match subject {
        Subject::Project(id) => {
            let p = load_visible(conn, id, user, false).await?;
            let mut shares: Vec<_> = p.allocation.0.iter().collect();
            shares.sort_by_key(|a| std::cmp::Reverse(a.percent));
            Ok(SubjectView {
                subject,
                title: format!("Projekt {} ({})", p.name, p.case_number),
                href: paths::project(id),
                municipalities: shares.iter().map(|a| a.id).collect(),
                locked: match ensure_open(&p) {
                    Err(AppError::Conflict(reason)) => Some(reason),
                    _ => None,
                },
                heading: Some(Heading::new(&p, Tab::Benefits).for_reader(user, &p)),
            })
        }
        Subject::Application(id) => {
            let a = crate::fund::repo::application(conn, id, false)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::fund::policy::check_visible(user, a.municipality_id)?;
            Ok(SubjectView {
                subject,
                title: format!(
                    "Ansökan {} ({}, digitaliseringsfonden {} {})",
                    a.title, a.department, a.municipality, a.year
                ),
                href: paths::fund_application(id),
                municipalities: vec![a.municipality_id],
                locked: None,
                heading: None,
            })
        }
        Subject::Item(id) => {
            let i = load_visible_item(conn, id, user, false).await?;
            Ok(SubjectView {
                subject,
                title: format!("Objekt {} {}", i.reference(), i.title),
                href: paths::item(id),
                municipalities: i.municipalities.0.iter().map(|m| m.id).collect(),
                locked: None,
                heading: None,
            })
        }
    }
}

/// Whether `user` may change calculations at all (a page shows its forms only then).
pub fn may_edit(user: &CurrentUser) -> bool {
    user.has_role(Role::ItCenter) || user.has_role(Role::Controller)
}

/// Refuses a change by someone who may not make it, or to a locked subject.
pub fn check_edit(user: &CurrentUser, subject: &SubjectView) -> Result<(), AppError> {
    if !may_edit(user) {
        return Err(AppError::Forbidden);
    }
    match &subject.locked {
        Some(reason) => Err(AppError::Conflict(reason.clone())),
        None => Ok(()),
    }
}
