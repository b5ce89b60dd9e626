//! The mapping step: which budget line a project's ledger account goes to. The accounts the
//! file has that a project has no mapping for are listed with a proposal; what the controller
//! chooses is kept for the next import.

use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{domain::ledger::propose, operation::Refusal, web::AppError};

/// The value of "leave this account out" in the form.
pub const EXCLUDE: &str = "undanta";
/// The form field name of a (project, account) pair: `konto:{project}:{account}`.
const PREFIX: &str = "konto:";

/// A project's account, chosen to go to a budget line (`None`: left out).
#[derive(Debug, Clone)]
pub struct Choice {
    pub project: Uuid,
    pub account: String,
    pub line: Option<Uuid>,
}

/// The form's choices; a pair left at "choose" is not a choice. A value that is neither a line
/// nor the exclusion is refused.
pub fn parse(fields: &[(String, String)]) -> Result<Vec<Choice>, Refusal> {
    let mut choices = Vec::new();
    for (name, value) in fields {
        let Some(pair) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let (project, account) = pair.split_at_checked(36).unwrap_or_default();
        let project = project.parse().map_err(|_| bad_field(name))?;
        let account = account.strip_prefix(':').ok_or_else(|| bad_field(name))?;
        if account.is_empty() || account.chars().count() > 40 {
            return Err(bad_field(name));
        }
        let line = match value.as_str() {
            "" => continue,
            EXCLUDE => None,
            id => Some(id.parse().map_err(|_| bad_field(name))?),
        };
        choices.push(Choice {
            project,
            account: account.to_owned(),
            line,
        });
    }
    Ok(choices)
}

fn bad_field(name: &str) -> Refusal {
    Refusal::Failed(AppError::BadRequest(format!("mapping field {name:?}")))
}

/// The form field of a pair.
pub fn field_name(project: Uuid, account: &str) -> String {
    format!("{PREFIX}{project}:{account}")
}

impl Choice {
    /// What the audit log says it was mapped to.
    pub async fn describe(&self, conn: &mut PgConnection) -> sqlx::Result<String> {
        let Some(line) = self.line else {
            return Ok(format!("konto {}: undantaget", self.account));
        };
        let category = sqlx::query_scalar!("SELECT category FROM budget_line WHERE id = $1", line)
            .fetch_one(conn)
            .await?;
        Ok(format!("konto {}: {category}", self.account))
    }
}

/// Keeps `choice`: the pair must be one the import lists as unmapped (so its project is one of
/// the municipality's) and the line one of the project's. A pair mapped meanwhile to the same
/// line is kept as it is; to another, it is a conflict.
pub async fn keep(conn: &mut PgConnection, import: Uuid, choice: &Choice) -> Result<(), Refusal> {
    let known = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM ledger_import_row_class g
           WHERE g.import_id = $1 AND g.class = 'unmapped' AND g.project_id = $2
             AND g.account = $3
             AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM budget_line l
                                             WHERE l.id = $4 AND l.project_id = $2))"#,
        import,
        choice.project,
        choice.account,
        choice.line
    )
    .fetch_one(&mut *conn)
    .await?;
    if known == 0 {
        return Err(Refusal::invalid(
            "mapping",
            format!("Kontot {} kan inte kopplas till den raden.", choice.account),
        ));
    }
    let kept = sqlx::query!(
        "INSERT INTO ledger_account_mapping (project_id, account, budget_line_id) \
         VALUES ($1, $2, $3) ON CONFLICT (project_id, account) DO NOTHING",
        choice.project,
        choice.account,
        choice.line
    )
    .execute(&mut *conn)
    .await?;
    if kept.rows_affected() == 0 {
        let saved = sqlx::query_scalar!(
            "SELECT budget_line_id FROM ledger_account_mapping WHERE project_id = $1 AND account = $2",
            choice.project,
            choice.account
        )
        .fetch_optional(conn)
        .await?;
        if saved != Some(choice.line) {
            return Err(Refusal::conflict(format!(
                "Kontot {} har redan kopplats på annat sätt sedan sidan visades. Sidan visar \
                 kopplingarna nu.",
                choice.account
            )));
        }
    }
    Ok(())
}

/// An account of a project that has no mapping yet, with the project's lines and a proposal.
#[derive(Debug, Clone)]
pub struct Unmapped {
    pub project_id: Uuid,
    pub project: String,
    pub project_number: String,
    pub account: String,
    pub account_name: String,
    pub rows: i64,
    pub amount: Decimal,
    pub lines: Vec<(Uuid, String)>,
    /// The form value proposed: a line's id.
    pub proposal: Option<Uuid>,
}

impl Unmapped {
    pub fn field(&self) -> String {
        field_name(self.project_id, &self.account)
    }
}

/// The unmapped accounts of `import`, per project (at most `limit`), as they are now: a
/// mapping kept through another import counts at once.
pub async fn unmapped(db: &PgPool, import: Uuid, limit: i64) -> sqlx::Result<Vec<Unmapped>> {
    let pairs = sqlx::query!(
        r#"SELECT g.project_id AS "project_id!", p.name::text AS "project!",
                  coalesce(p.project_number, '') AS "project_number!", g.account AS "account!",
                  coalesce(max(a.name), '') AS "account_name!",
                  count(*) AS "rows!", sum(g.amount) AS "amount!",
                  (SELECT l.category FROM ledger_account_mapping m
                   JOIN budget_line l ON l.id = m.budget_line_id
                   WHERE m.account = g.account
                   GROUP BY l.category ORDER BY count(*) DESC, l.category LIMIT 1) AS elsewhere
           FROM ledger_import_row_class g
           JOIN project p ON p.id = g.project_id
           LEFT JOIN ledger_import_account a ON a.import_id = g.import_id AND a.account = g.account
           WHERE g.import_id = $1 AND g.class = 'unmapped'
           GROUP BY g.project_id, p.name, p.project_number, g.account
           ORDER BY p.name, g.project_id, g.account
           LIMIT $2"#,
        import,
        limit
    )
    .fetch_all(db)
    .await?;
    let projects: Vec<Uuid> = pairs.iter().map(|p| p.project_id).collect();
    let lines = sqlx::query!(
        "SELECT id, project_id, category FROM budget_line WHERE project_id = ANY($1) \
         ORDER BY project_id, position",
        &projects
    )
    .fetch_all(db)
    .await?;
    Ok(pairs
        .into_iter()
        .map(|p| {
            let of_project: Vec<(Uuid, String)> = lines
                .iter()
                .filter(|l| l.project_id == p.project_id)
                .map(|l| (l.id, l.category.clone()))
                .collect();
            let proposal =
                propose(&p.account_name, &of_project, p.elsewhere.as_deref()).map(|l| l.0);
            Unmapped {
                project_id: p.project_id,
                project: p.project,
                project_number: p.project_number,
                account: p.account,
                account_name: p.account_name,
                rows: p.rows,
                amount: p.amount,
                lines: of_project,
                proposal,
            }
        })
        .collect())
}
