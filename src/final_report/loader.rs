//! The report as every final-report page, export and operation reads it: the project, the saved
//! text (or a first draft from the project's data) and the document assembled from both, after
//! the policy has said the user may read it. Its own module, importing none of its users.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    budget,
    domain::final_report::ReportStatus,
    final_report::{
        content::Content,
        document::{self, Document, Imprint},
        policy,
        repo::{self, Version},
    },
    goals,
    projects::{load_visible, repo::Project},
    web::{AppError, CurrentUser},
};

pub struct Loaded {
    pub project: Project,
    pub document: Document,
    pub version: Option<Version>,
    pub content: Content,
}

impl Loaded {
    /// How an export made `at` is marked: with the board's municipality, and as a draft unless
    /// the report is ready for its meeting or decided.
    pub fn imprint(&self, at: chrono::DateTime<chrono::Utc>) -> Imprint {
        Imprint {
            municipality: self.project.board_municipality.clone(),
            at,
            draft: self
                .version
                .as_ref()
                .is_none_or(|v| v.status == ReportStatus::Draft),
        }
    }

    /// The version the saved text is at (0 before the first save), for the optimistic check.
    pub fn report_version(&self) -> i32 {
        self.version.as_ref().map_or(0, |v| v.report_version)
    }
}

/// The project's report, if `me` may read it.
pub async fn load(db: &PgPool, me: &CurrentUser, id: Uuid) -> Result<Loaded, AppError> {
    let mut conn = db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    policy::check_read(&mut conn, me, &project).await?;
    let lines = budget::repo::lines(&mut conn, id).await?;
    let goals = goals::repo::goals(&mut conn, id).await?;
    let version = repo::latest(&mut conn, id).await?;
    let content = version
        .as_ref()
        .map_or_else(|| starting_content(&project), |v| v.content.0.clone());
    let document = document::assemble(&project, &lines, &goals, &content);
    Ok(Loaded {
        project,
        document,
        version,
        content,
    })
}

/// A first draft's text, from what the project already knows.
fn starting_content(project: &Project) -> Content {
    Content {
        proposing_body: project.board.clone(),
        deciding_body: project.decision_body.clone().unwrap_or_default(),
        title: format!("Slutredovisning – {}", project.name),
        name_in_decision: project.name.clone(),
        governing_documents: project
            .council_goals
            .iter()
            .map(|g| g.title.clone())
            .collect::<Vec<_>>()
            .join("\n\n"),
        figures_as_of: project
            .actual_end
            .map(|d| d.to_string())
            .unwrap_or_default(),
        ..Content::default()
    }
}
