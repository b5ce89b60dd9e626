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
        operating::{self, ActivityMonth, Decided},
        repo::{
            self, ClassTotal, EntryPreview, Import, LeftOut, LineProblem, Overlap, SkippedLabel,
        },
        table::{Columns, Encoding, Separator, TableFormat},
        table_setting,
    },
    web::{
        AppError, AppState, Chrome, Page,
        form::FieldErrors,
        format::{self, count},
    },
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
    /// How a table is read: as typed, or as the chosen municipality remembers it.
    table: TableFormat,
    errors: FieldErrors,
    max_mb: u64,
}

/// The upload form as typed, when it was refused: the municipality, the table's fields and
/// the messages.
#[derive(Debug, Default)]
pub struct UploadTyped {
    pub errors: FieldErrors,
    pub typed: (Option<Uuid>, table_setting::Typed),
}

impl ImportsView {
    fn when(&self, import: &Import) -> String {
        format::date_time(import.created_at)
    }
    fn period(&self, import: &Import) -> String {
        period(import)
    }
    fn separators(&self) -> [Separator; 4] {
        Separator::ALL
    }
    fn encodings(&self) -> [Encoding; 3] {
        Encoding::ALL
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
    typed: UploadTyped,
) -> Result<Response, AppError> {
    let UploadTyped {
        errors,
        typed: (chosen, typed),
    } = typed;
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
    let mut conn = state.db.acquire().await?;
    let imports = repo::list(&mut conn, 200).await?;
    // The municipality typed, the only one, or the one of the latest import: a controller
    // mostly imports one ledger, whose remembered columns the form then shows.
    let chosen = chosen
        .or(only)
        .or_else(|| imports.first().map(|i| i.municipality_id));
    let base = match chosen {
        Some(m) => table_setting::remembered(&mut conn, m).await?,
        None => TableFormat {
            columns: Columns::default(),
            separator: Separator::Auto,
            encoding: Encoding::Auto,
        },
    };
    drop(conn);
    let status = crate::web::form::status(&errors, false);
    let view = ImportsView {
        chrome: page.chrome().await?,
        imports,
        municipalities,
        chosen,
        table: table_setting::typed_over(base, &typed),
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
    overlap: Overlap,
    unmapped: Vec<Unmapped>,
    operating: Vec<ActivityMonth>,
    decided: Vec<Decided>,
    any_keys: bool,
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
        kr(&(e.current.unwrap_or_default() + e.to_book()))
    }
    fn to_book(&self, e: &EntryPreview) -> String {
        kr(&e.to_book())
    }
    /// Whether the file has anything new to book (counted over all of it, not the rows shown;
    /// an activity's months are few).
    fn anything_to_book(&self) -> bool {
        self.overlap.to_book > 0 || self.operating.iter().any(|m| m.changed)
    }
    /// The activity months whose figures the save replaces though no import set them.
    fn operating_replaces(&self) -> i64 {
        let n = self.operating.iter().filter(|m| m.replaces).count();
        i64::try_from(n).unwrap_or(i64::MAX)
    }
    fn operating_unnumbered(&self) -> i64 {
        self.operating.iter().map(|m| m.unnumbered).sum()
    }
    fn months(&self, n: i64) -> String {
        count(n, "månad", "månader")
    }
    /// An activity month's figures after the save: (revenue, costs).
    fn operating_after(&self, m: &ActivityMonth) -> (String, String) {
        let (revenue, costs) = m.after();
        (kr(&revenue), kr(&costs))
    }
    /// Whether the preview shows only the first of its rows.
    fn cut_off(&self) -> bool {
        self.entries.len() >= usize::try_from(ENTRIES_SHOWN).unwrap_or(usize::MAX)
    }
    fn posts(&self, n: &i64) -> String {
        count(*n, "post", "poster")
    }
    /// "1 rad", "3 rader".
    fn rows(&self, n: &i64) -> String {
        count(*n, "rad", "rader")
    }
    /// The file's company, when it is not the municipality it is read for ("Ludvika",
    /// "Ludvika kommun", "Smedjebackens kommun").
    fn other_company(&self) -> Option<&str> {
        let company = self.import.company.trim();
        let name = self.import.municipality.to_lowercase();
        let same = [
            name.clone(),
            format!("{name} kommun"),
            format!("{name}s kommun"),
        ]
        .contains(&company.to_lowercase());
        (!company.is_empty() && !same).then_some(company)
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
    /// The sum of every row read: zero when every voucher balances.
    fn sum_of_all(&self) -> String {
        kr(&self.totals.iter().map(|t| t.amount).sum())
    }
    /// The rows whose account is not mapped, as they are now.
    fn unmapped_rows(&self) -> i64 {
        self.unmapped.iter().map(|u| u.rows).sum()
    }
    fn can_save(&self) -> bool {
        self.open()
            && self.problems.is_empty()
            && self.unmapped_rows() == 0
            && self.anything_to_book()
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

/// What an import's page shows besides the import: nothing while it is read (or failed), the
/// preview computed now while it is open, the batch's report once saved.
#[derive(Debug, Default)]
struct Figures {
    totals: Vec<ClassTotal>,
    entries: Vec<EntryPreview>,
    left_out: Vec<LeftOut>,
    overlap: Overlap,
    unmapped: Vec<Unmapped>,
    operating: Vec<ActivityMonth>,
    decided: Vec<Decided>,
}

async fn figures(db: &sqlx::PgPool, import: &Import) -> Result<Figures, AppError> {
    let id = import.id;
    Ok(match import.status {
        ImportStatus::Reading | ImportStatus::Failed => Figures::default(),
        ImportStatus::Read => Figures {
            totals: repo::class_totals(db, id, true).await?,
            entries: repo::entry_preview(db, id, ENTRIES_SHOWN).await?,
            left_out: repo::left_out(db, id, (LEFT_OUT_SHOWN, true)).await?,
            overlap: repo::overlap(db, id).await?,
            unmapped: mapping::unmapped(db, id, UNMAPPED_SHOWN).await?,
            operating: operating::preview(db, id, ENTRIES_SHOWN).await?,
            decided: operating::decided(db, id, true).await?,
        },
        ImportStatus::Imported | ImportStatus::Undone => Figures {
            totals: repo::class_totals(db, id, false).await?,
            entries: repo::batch_entries(db, id, ENTRIES_SHOWN).await?,
            left_out: repo::left_out(db, id, (LEFT_OUT_SHOWN, false)).await?,
            operating: operating::batch_months(db, id, ENTRIES_SHOWN).await?,
            decided: operating::decided(db, id, false).await?,
            ..Figures::default()
        },
    })
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
    let figures = figures(&state.db, &import).await?;
    let any_keys = operating::any_keys(&state.db, import.municipality_id).await?;
    let status = crate::web::form::status(&typed.errors, false);
    let view = ImportView {
        chrome: page.chrome().await?,
        problems: import.problems(),
        skipped: import.skipped_labels(),
        totals: figures.totals,
        entries: figures.entries,
        left_out: figures.left_out,
        overlap: figures.overlap,
        unmapped: figures.unmapped,
        operating: figures.operating,
        decided: figures.decided,
        any_keys,
        import,
        typed,
    };
    Ok((status, Html(view.render()?)).into_response())
}
