//! The budget's writes, one function per verb (see `crate::operation` for the shape).

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry as AuditEntry},
    budget::{
        forms::{self, CONFIRM_OVER, GridForm, GridRow, NewLineForm, SubEntityForm},
        policy,
        repo::{self, EntryInput, Line, LineInput, SubEntityRow},
    },
    domain::{budget::OutcomeSource, budget_entry::OverAppropriation, money::Money},
    operation::{Actor, Refusal, Submission},
    projects::{load_visible, repo::Project},
    web::{AppError, form::FieldErrors},
};

/// An outcome entry to book on one budget line of a project.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub project: Uuid,
    pub line: Uuid,
    pub entry: EntryInput,
    pub source: OutcomeSource,
    /// The form's one-time id: a second post of the same form books nothing.
    pub submission: Submission,
    /// The line's version the caller last read (an API call's `If-Match`): refused when the
    /// line has moved since. The page sends none: a new entry adds to the line and overwrites
    /// nothing.
    pub line_version: Option<i32>,
}

/// Books an outcome entry and returns it with its id. The line's outcome and version move with it, and the
/// audit log gets both the line's outcome before and after and the entry itself.
pub async fn record_outcome(
    db: &PgPool,
    actor: &Actor,
    new: NewOutcome,
) -> Result<(Uuid, EntryInput), Refusal> {
    let mut tx = db.begin().await?;
    new.submission.claim(&mut tx, actor).await?;
    let project = load_visible(&mut tx, new.project, &actor.user, true).await?;
    policy::check_change(&project)?;
    policy::check_month(&project, new.entry.month)?;
    let line = repo::find_line_for_update(&mut tx, new.project, new.line)
        .await?
        .ok_or(AppError::NotFound)?;
    if new.line_version.is_some_and(|v| v != line.version) {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    let entry_id = repo::insert_entry(
        &mut tx,
        new.line,
        &new.entry,
        new.source,
        actor.user.id.into(),
    )
    .await
    .map_err(too_large)?;
    // A retry (the API's Idempotency-Key) is told which entry the first one booked.
    new.submission.created(&mut tx, entry_id).await?;

    let before = line.outcome.map(Money::from_stored);
    let after = before.unwrap_or(Money::ZERO) + new.entry.amount;
    let month = new.entry.month.format("%Y-%m");
    let entries = [
        AuditEntry::change(
            "outcome_entry_created",
            "budget_line",
            new.line.to_string(),
            "outcome",
            Some(before.map(Money::format_kr).unwrap_or_default()),
            Some(after.format_kr()),
        ),
        AuditEntry::change(
            "outcome_entry_created",
            "outcome_entry",
            entry_id.to_string(),
            "amount",
            None,
            Some(format!("{month}: {}", new.entry.amount.format_kr())),
        ),
    ];
    for entry in entries {
        audit::record(&mut tx, &actor.trail, entry.in_project(new.project)).await?;
    }
    tx.commit().await?;
    Ok((entry_id, new.entry))
}

/// An amount that fits an entry but not the totals kept with it (the line's and the project's
/// outcome, 12 integer digits): refused next to the amount instead of failing.
fn too_large(error: sqlx::Error) -> Refusal {
    match &error {
        sqlx::Error::Database(e) if e.code().as_deref() == Some("22003") => Refusal::invalid(
            "amount",
            "Belopp: med det här beloppet blir utfallet för stort (högst 12 siffror före decimalerna).",
        ),
        _ => Refusal::from(error),
    }
}

/// A save of budget lines that changed nothing, and what the page shows again.
#[derive(Debug)]
pub enum LinesRefusal {
    /// The grid (or one line's form) as typed: rows the user did not touch show what is saved
    /// now; per row, what is saved now when it moved meanwhile.
    Grid {
        rows: Vec<GridRow>,
        conflicts: Vec<Option<String>>,
        over: Option<OverAppropriation>,
        errors: FieldErrors,
    },
    /// The new-line form as typed.
    NewLine {
        row: GridRow,
        over: Option<OverAppropriation>,
        errors: FieldErrors,
    },
    /// Not found, not allowed, or a failure: answered with the error page.
    Failed(AppError),
    /// The new-line form was sent before and saved then (`Refusal::AlreadySent`).
    AlreadySent,
}

impl From<Refusal> for LinesRefusal {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::AlreadySent(_) => LinesRefusal::AlreadySent,
            refusal => LinesRefusal::Failed(refusal.into()),
        }
    }
}

impl From<AppError> for LinesRefusal {
    fn from(e: AppError) -> Self {
        LinesRefusal::Failed(e)
    }
}

impl From<sqlx::Error> for LinesRefusal {
    fn from(e: sqlx::Error) -> Self {
        LinesRefusal::Failed(e.into())
    }
}

/// What a save of lines did: how many lines changed, and the total above the appropriation the
/// user confirmed, if it went above.
pub struct SavedLines {
    pub count: usize,
    pub over: Option<OverAppropriation>,
}

impl SavedLines {
    pub fn message(&self) -> String {
        let saved = match self.count {
            0 => "Inget var ändrat.".to_owned(),
            1 => "Budgetposten har sparats.".to_owned(),
            n => format!("{n} budgetposter har sparats."),
        };
        saved + &over_note(self.over)
    }
}

/// Saves the grid: every changed line whose version still matches, or nothing at all. A total
/// above the project's appropriation is saved only once the user has confirmed it on the same
/// form, and is audited with both figures.
pub async fn save_lines(
    db: &PgPool,
    actor: &Actor,
    project_id: Uuid,
    form: &GridForm,
) -> Result<SavedLines, LinesRefusal> {
    let rows = form.rows();
    let mut tx = db.begin().await?;
    let project = load_visible(&mut tx, project_id, &actor.user, true).await?;
    policy::check_change(&project).map_err(AppError::from)?;
    // The project row lock orders concurrent saves of its lines.
    let saved = repo::lines(&mut tx, project_id).await?;
    let subs = repo::sub_entities(&mut tx, project_id).await?;
    let mut errors = FieldErrors::new();
    let mut changes: Vec<(&Line, LineInput)> = Vec::new();
    let mut conflicts = vec![None; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        let Some(line) = forms::line_id(row).and_then(|lid| saved.iter().find(|l| l.id == lid))
        else {
            return Err(AppError::NotFound.into());
        };
        if !row.edited() {
            continue;
        }
        let prefix = format!("line-{i}-");
        let Some(input) = forms::parse_line(row, &subs, &prefix, &mut errors) else {
            continue;
        };
        let unchanged = input.category == line.category
            && input.sub_entity_id == line.sub_entity_id
            && input.budget == Money::from_stored(line.budget)
            && input.income == line.income;
        if unchanged {
            continue;
        }
        if line.version != row.version {
            conflicts[i] = Some(describe(line));
        }
        changes.push((line, input));
    }
    let before = total(&saved);
    let after = changes.iter().fold(before, |sum, (line, input)| {
        sum - Money::from_stored(line.budget) + input.budget
    });
    let refused = !errors.is_empty() || conflicts.iter().any(Option::is_some);
    // Asked only once everything else is right, so the question names the total that saves.
    let over = if refused {
        None
    } else {
        unconfirmed_over(&project, (before, after), form.confirm_over.as_deref())
    };
    if let Some(over) = over {
        errors.add(CONFIRM_OVER, over.question());
    }
    if refused || over.is_some() {
        let rows = shown_again(rows, &saved, &conflicts);
        return Err(LinesRefusal::Grid {
            rows,
            conflicts,
            over,
            errors,
        });
    }
    for (line, input) in &changes {
        if !repo::update_line(&mut tx, line.id, line.version, input).await? {
            return Err(AppError::Conflict(
                "Budgetposten ändrades samtidigt av någon annan.".into(),
            )
            .into());
        }
        let fields = audit::compared(line_fields(line, &subs), input_fields(input, &subs));
        audit::repo::record_changes(
            &mut tx,
            &actor.trail,
            "budget_line_updated",
            ("budget_line", &line.id.to_string()),
            Some(project_id),
            &fields,
        )
        .await?;
    }
    let over = audit_over(&mut tx, actor, &project, (before, after)).await?;
    tx.commit().await?;
    Ok(SavedLines {
        count: changes.len(),
        over,
    })
}

/// The rows of a refused grid: rows the user did not touch show what is saved now; a
/// conflicting row keeps what the user typed but is based on the saved version, so saving again
/// means "mine over theirs", having seen theirs.
fn shown_again(rows: Vec<GridRow>, saved: &[Line], conflicts: &[Option<String>]) -> Vec<GridRow> {
    rows.into_iter()
        .zip(conflicts)
        .map(|(row, conflict)| {
            let line = saved.iter().find(|l| l.id.to_string() == row.id);
            match (line, conflict) {
                (Some(line), _) if !row.edited() => GridRow::from_line(line),
                (Some(line), Some(_)) => GridRow {
                    version: line.version,
                    original: GridRow::from_line(line).original,
                    ..row
                },
                _ => row,
            }
        })
        .collect()
}

/// Adds a line to the project's budget; returns its category and the confirmed total above the
/// appropriation, if it went above.
pub async fn add_line(
    db: &PgPool,
    actor: &Actor,
    project_id: Uuid,
    form: &NewLineForm,
) -> Result<(String, Option<OverAppropriation>), LinesRefusal> {
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let project = load_visible(&mut tx, project_id, &actor.user, true).await?;
    policy::check_change(&project).map_err(AppError::from)?;
    let subs = repo::sub_entities(&mut tx, project_id).await?;
    let before = total(&repo::lines(&mut tx, project_id).await?);
    let row = form.row();
    let mut errors = FieldErrors::new();
    let input = forms::parse_line(&row, &subs, "new-", &mut errors).filter(|_| errors.is_empty());
    let over = input.as_ref().and_then(|input| {
        let after = before + input.budget;
        unconfirmed_over(&project, (before, after), form.confirm_over.as_deref())
    });
    if let Some(over) = over {
        errors.add(format!("new-{CONFIRM_OVER}"), over.question());
    }
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        return Err(LinesRefusal::NewLine { row, over, errors });
    };
    let line_id = repo::insert_line(&mut tx, project_id, &input).await?;
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "budget_line_created",
        ("budget_line", &line_id.to_string()),
        Some(project_id),
        &audit::created(input_fields(&input, &subs).map(|(field, value)| {
            // An ordinary line is the default; only the income marking is worth a log row.
            let unmarked = field == "income" && !input.income;
            (field, if unmarked { String::new() } else { value })
        })),
    )
    .await?;
    let after = before + input.budget;
    let over = audit_over(&mut tx, actor, &project, (before, after)).await?;
    tx.commit().await?;
    Ok((input.category, over))
}

/// Adds a sub-entity to the project; returns its name.
pub async fn add_sub_entity(
    db: &PgPool,
    actor: &Actor,
    project_id: Uuid,
    form: &SubEntityForm,
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    let project = load_visible(&mut tx, project_id, &actor.user, true).await?;
    policy::check_change(&project)?;
    let (name, short, excluded) = form.parse().map_err(Refusal::Invalid)?;
    let sub_id = repo::insert_sub_entity(&mut tx, project_id, &name, &short, excluded)
        .await
        .map_err(Refusal::from_constraint)?;
    let fields = audit::created([
        ("name", name.clone()),
        ("short_name", short),
        ("excluded", audit::yes_no(excluded)),
    ]);
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "sub_entity_created",
        ("sub_entity", &sub_id.to_string()),
        Some(project_id),
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(name)
}

/// The project's budget total now: every line, a sub-entity's included, as the appropriation
/// covers the whole project.
fn total(lines: &[Line]) -> Money {
    lines.iter().map(|l| Money::from_stored(l.budget)).sum()
}

/// The question to ask before a save that takes the total from `before` to `after`, unless
/// `confirmed` is the confirmation of exactly that total.
fn unconfirmed_over(
    project: &Project,
    (before, after): (Money, Money),
    confirmed: Option<&str>,
) -> Option<OverAppropriation> {
    let appropriation = project.appropriation.map(Money::from_stored);
    OverAppropriation::check(before, after, appropriation).filter(|o| !o.confirmed_by(confirmed))
}

/// Audits a confirmed save above the appropriation, with both figures, under the project.
async fn audit_over(
    conn: &mut PgConnection,
    actor: &Actor,
    project: &Project,
    (before, after): (Money, Money),
) -> Result<Option<OverAppropriation>, AppError> {
    let appropriation = project.appropriation.map(Money::from_stored);
    let Some(over) = OverAppropriation::check(before, after, appropriation) else {
        return Ok(None);
    };
    let entry = AuditEntry::change(
        "budget_over_appropriation",
        "project",
        project.id.to_string(),
        "budget",
        Some(before.format_kr()),
        Some(format!(
            "{} (anslag {})",
            after.format_kr(),
            over.appropriation.format_kr()
        )),
    )
    .in_project(project.id);
    audit::record(conn, &actor.trail, entry).await?;
    Ok(Some(over))
}

/// What a flash adds after a confirmed save above the appropriation.
pub fn over_note(over: Option<OverAppropriation>) -> String {
    over.map_or_else(String::new, |o| {
        format!(
            " Budgeten är {} kr, över anslaget {} kr.",
            o.total.format_kr(),
            o.appropriation.format_kr()
        )
    })
}

/// A saved line's audited fields.
fn line_fields<'a>(line: &Line, subs: &[SubEntityRow]) -> [(&'a str, String); 4] {
    [
        ("category", line.category.clone()),
        ("sub_entity", sub_name(subs, line.sub_entity_id)),
        ("budget", Money::from_stored(line.budget).format_kr()),
        ("income", audit::yes_no(line.income)),
    ]
}

/// A checked line's audited fields, in the order of [`line_fields`].
fn input_fields<'a>(input: &LineInput, subs: &[SubEntityRow]) -> [(&'a str, String); 4] {
    [
        ("category", input.category.clone()),
        ("sub_entity", sub_name(subs, input.sub_entity_id)),
        ("budget", input.budget.format_kr()),
        ("income", audit::yes_no(input.income)),
    ]
}

fn sub_name(subs: &[SubEntityRow], id: Option<Uuid>) -> String {
    id.and_then(|id| subs.iter().find(|s| s.id == id))
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn describe(line: &Line) -> String {
    let income = if line.income {
        ", intäkt/kreditering"
    } else {
        ""
    };
    format!(
        "{}: budget {} kr{income}",
        line.label(),
        Money::from_stored(line.budget).format_kr()
    )
}
