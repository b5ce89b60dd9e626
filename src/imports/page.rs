//! The ledger import's pages: the list of imports with the upload form, and one import's page,
//! which shows what the import is at: the progress of the reading, the preview with the lines
//! that could not be read, the mapping step and the save, or the saved batch with its undo.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    domain::{
        ledger::{ImportStatus, RowClass},
        money::Money,
    },
    imports::{
        mapping::{self, EXCLUDE, Unmapped},
        repo::{
            self, ClassTotal, Earlier, EntryPreview, Import, LeftOut, LineProblem, SkippedLabel,
        },
    },
    web::{AppError, AppState, Chrome, Page, form::FieldErrors, format},
};

/// The longest lists a page shows; the counts say how many more there are.
const ENTRIES_SHOWN: i64 = 2000;
const LEFT_OUT_SHOWN: i64 = 500;
const UNMAPPED_SHOWN: i64 = 500;

fn kr(amount: &Decimal) -> String {
    Money::from_stored(*amount).format_kr()
}

#[derive(Template)]
#[template(path = "imports/list.html")]
struct ImportsView {
    chrome: Chrome,
    imports: Vec<Import>,
    municipalities: Vec<(Uuid, String)>,
    chosen: Option<Uuid>,
    errors: FieldErrors,
    max_mb: u64,
}

impl ImportsView {
    fn when(&self, import: &Import) -> String {
        format::date_time(import.created_at)
    }
    fn period(&self, import: &Import) -> String {
        period(import)
    }
}

fn period(import: &Import) -> String {
    match (import.date_from, import.date_to) {
        (Some(from), Some(to)) => format!("{from} – {to}"),
        _ => "–".to_owned(),
    }
}

pub async fn render_imports(
    state: &AppState,
    page: &Page,
    (errors, chosen): (FieldErrors, Option<Uuid>),
) -> Result<Response, AppError> {
    let municipalities = sqlx::query!("SELECT id, name FROM municipality ORDER BY name")
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect::<Vec<_>>();
    let only = match municipalities.as_slice() {
        [(only, _)] => Some(*only),
        _ => None,
    };
    let chosen = chosen.or(only);
    let status = crate::web::form::status(&errors, false);
    let view = ImportsView {
        chrome: page.chrome().await?,
        imports: repo::list(&mut *state.db.acquire().await?, 200).await?,
        municipalities,
        chosen,
        errors,
        max_mb: state.config.max_ledger_bytes >> 20,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// What the undo form had when it was refused.
#[derive(Debug, Default)]
pub struct Typed {
    pub reason: String,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "imports/show.html")]
struct ImportView {
    chrome: Chrome,
    import: Import,
    problems: Vec<LineProblem>,
    skipped: Vec<SkippedLabel>,
    totals: Vec<ClassTotal>,
    entries: Vec<EntryPreview>,
    left_out: Vec<LeftOut>,
    earlier: Vec<Earlier>,
    unmapped: Vec<Unmapped>,
    typed: Typed,
}

impl ImportView {
    fn kr(&self, amount: &Decimal) -> String {
        kr(amount)
    }
    fn kr_opt(&self, amount: &Option<Decimal>) -> String {
        amount.as_ref().map(kr).unwrap_or_default()
    }
    fn resulting(&self, e: &EntryPreview) -> String {
        kr(&(e.current.unwrap_or_default() + e.new))
    }
    fn period(&self) -> String {
        period(&self.import)
    }
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        format::date_time(*at)
    }
    fn reading(&self) -> bool {
        self.import.status == ImportStatus::Reading
    }
    fn open(&self) -> bool {
        self.import.status == ImportStatus::Read
    }
    fn saved(&self) -> bool {
        self.import.status == ImportStatus::Imported
    }
    fn total(&self, class: RowClass) -> Option<&ClassTotal> {
        self.totals.iter().find(|t| t.class == class)
    }
    /// The sum of every row read: zero when every voucher balances.
    fn sum_of_all(&self) -> String {
        kr(&self.totals.iter().map(|t| t.amount).sum())
    }
    fn unmapped_rows(&self) -> i64 {
        self.total(RowClass::Unmapped).map_or(0, |t| t.rows)
    }
    fn can_save(&self) -> bool {
        self.open() && self.problems.is_empty() && self.unmapped_rows() == 0
    }
    fn exclude(&self) -> &'static str {
        EXCLUDE
    }
    fn proposed(&self, u: &Unmapped, line: &Uuid) -> bool {
        u.proposal.as_ref() == Some(line)
    }
    fn left_out_of(&self, class: RowClass) -> Vec<&LeftOut> {
        self.left_out.iter().filter(|l| l.class == class).collect()
    }
    fn reason(&self, l: &LeftOut) -> &'static str {
        l.reason.map_or("", |r| r.label())
    }
}

pub async fn render_import(
    state: &AppState,
    page: &Page,
    id: Uuid,
    typed: Typed,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let import = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    let db = &state.db;
    let figures = !matches!(import.status, ImportStatus::Reading | ImportStatus::Failed);
    let status = crate::web::form::status(&typed.errors, false);
    let view = ImportView {
        chrome: page.chrome().await?,
        problems: import.problems(),
        skipped: import.skipped_labels(),
        totals: if figures {
            repo::class_totals(db, id).await?
        } else {
            Vec::new()
        },
        entries: if figures {
            repo::entry_preview(db, id, ENTRIES_SHOWN).await?
        } else {
            Vec::new()
        },
        left_out: if figures {
            repo::left_out(db, id, LEFT_OUT_SHOWN).await?
        } else {
            Vec::new()
        },
        earlier: if figures {
            repo::earlier(db, id).await?
        } else {
            Vec::new()
        },
        unmapped: if import.status == ImportStatus::Read {
            mapping::unmapped(db, id, UNMAPPED_SHOWN).await?
        } else {
            Vec::new()
        },
        import,
        typed,
    };
    Ok((status, Html(view.render()?)).into_response())
}
