//! The operating figures of an activity per month: the budget (typed per month or a year's
//! amounts spread evenly) and the outcome. Outcome has one way in,
//! [`record_operating_outcome`], for hand entry and the ledger import alike.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit,
    domain::{
        budget::OutcomeSource,
        follow_up::{spread, text::month_name},
        money::Money,
    },
    follow_up::entry::{
        grid::{self, GridForm},
        months_repo::{self as months, MonthRow, Replaced, StoredMonth},
        policy,
        repo::{self, Activity},
    },
    operation::{Actor, Refusal},
    web::{AppError, form::FieldErrors},
};

/// A year's months as saved: January first, `None` for a month without a row.
pub type Months = [Option<(Money, Money)>; 12];

/// The stored rows of a year as twelve months.
pub fn months(rows: &[MonthRow]) -> Months {
    let mut months = [None; 12];
    for r in rows {
        if let Some(slot) = months.get_mut(r.month.month0() as usize) {
            *slot = Some((Money::from_stored(r.revenue), Money::from_stored(r.costs)));
        }
    }
    months
}

/// The grid's saved cells: key "1"–"12", (revenue, costs) as shown.
pub fn cells(months: &Months) -> Vec<(String, (String, String))> {
    months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let key = (i + 1).to_string();
            (
                key,
                (grid::shown(m.map(|m| m.0)), grid::shown(m.map(|m| m.1))),
            )
        })
        .collect()
}

fn first_day(year: i32, month: usize) -> Result<NaiveDate, AppError> {
    u32::try_from(month)
        .ok()
        .and_then(|m| NaiveDate::from_ymd_opt(year, m, 1))
        .ok_or(AppError::NotFound)
}

/// The month of a posted row: 1–12.
fn month_of(key: &str) -> Result<usize, Refusal> {
    key.parse::<usize>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| Refusal::invalid("year", "Formuläret är inaktuellt. Ladda om sidan."))
}

/// "mars: intäkter 1 000, kostnader 2 000; april: inget" for the months that moved.
fn describe(saved: &Months, stale: &[usize]) -> String {
    stale
        .iter()
        .map(|&m| {
            let name = month_name(u32::try_from(m).unwrap_or(1));
            match saved.get(m - 1).copied().flatten() {
                Some((r, c)) => format!(
                    "{name}: intäkter {}, kostnader {}",
                    r.format_kr(),
                    c.format_kr()
                ),
                None => format!("{name}: inget"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The changes a posted grid asks for, checked against what is saved: (month 1–12, revenue,
/// costs). `blank` is what a month with both cells blank becomes, or the message that refuses it
/// for a month with saved figures.
fn changes(
    form: &GridForm,
    saved: &Months,
    blank_saved: Option<&str>,
) -> Result<Vec<(usize, Money, Money)>, Refusal> {
    let cells = cells(saved);
    let mut errors = FieldErrors::new();
    let mut stale = Vec::new();
    let mut changes = Vec::new();
    for row in form.rows() {
        let month = month_of(row.key)?;
        if !row.edited() {
            continue;
        }
        let name = month_name(u32::try_from(month).unwrap_or(1));
        let what = (format!("Intäkter {name}"), format!("Kostnader {name}"));
        let typed = grid::pair(&row, (&what.0, &what.1), &mut errors);
        let before = saved[month - 1];
        let after = match (typed, before, blank_saved) {
            (None, ..) => continue,
            (Some(None), Some(_), Some(message)) => {
                errors.add(format!("left-{month}"), format!("{name}: {message}"));
                continue;
            }
            (Some(None), None, _) => continue,
            (Some(typed), ..) => typed.unwrap_or((Money::ZERO, Money::ZERO)),
        };
        if before == Some(after) || (before.is_none() && after == (Money::ZERO, Money::ZERO)) {
            continue;
        }
        if row.stale(&cells[month - 1].1) {
            stale.push(month);
        }
        changes.push((month, after.0, after.1));
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    if !stale.is_empty() {
        return Err(Refusal::conflict(describe(saved, &stale)));
    }
    Ok(changes)
}

/// The whole year spread evenly over its months. Every month is replaced, so the form must have
/// shown every month as it is saved now.
fn spread_changes(form: &GridForm, saved: &Months) -> Result<Vec<(usize, Money, Money)>, Refusal> {
    let mut errors = FieldErrors::new();
    let total = |typed: &str, field: &str, what: &str, errors: &mut FieldErrors| {
        let amount = grid::amount(typed, what)
            .and_then(|a| a.ok_or_else(|| format!("Ange {}.", what.to_lowercase())));
        errors.check(field, amount)
    };
    let revenue = total(
        &form.year_left,
        "year_left",
        "Intäkter för året",
        &mut errors,
    );
    let costs = total(
        &form.year_right,
        "year_right",
        "Kostnader för året",
        &mut errors,
    );
    let (Some(revenue), Some(costs)) = (revenue, costs) else {
        return Err(Refusal::Invalid(errors));
    };
    let cells = cells(saved);
    let stale: Vec<usize> = form
        .rows()
        .filter_map(|row| {
            let month = month_of(row.key).ok()?;
            row.stale(&cells[month - 1].1).then_some(month)
        })
        .collect();
    if !stale.is_empty() || form.rows().count() != 12 {
        return Err(Refusal::conflict(describe(saved, &stale)));
    }
    let (revenue, costs) = (spread::evenly(revenue), spread::evenly(costs));
    Ok((0..12)
        .filter(|&i| saved[i] != Some((revenue[i], costs[i])))
        .map(|i| (i + 1, revenue[i], costs[i]))
        .collect())
}

/// The activity, its year and what is saved, in a transaction that holds the activity.
async fn open(
    conn: &mut PgConnection,
    actor: &Actor,
    (board, activity): (Uuid, Uuid),
    year: &str,
) -> Result<(Activity, i32), Refusal> {
    policy::check_enter(&actor.user, board)?;
    let year = grid::year(year).map_err(|m| Refusal::invalid("year", m))?;
    let activity = repo::activity(conn, board, activity, true)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((activity, year))
}

/// Saves the operating budget of an activity's year from the grid, or with `spread` evenly from
/// the year's amounts. Returns how many months changed; each change is audited.
pub async fn save_budget(
    db: &PgPool,
    actor: &Actor,
    at: (Uuid, Uuid),
    form: &GridForm,
    spread: bool,
) -> Result<usize, Refusal> {
    let mut tx = db.begin().await?;
    let (activity, year) = open(&mut tx, actor, at, &form.year).await?;
    let saved = months(&months::budget_months(&mut tx, activity.id, year).await?);
    let changes = if spread {
        spread_changes(form, &saved)?
    } else {
        changes(form, &saved, None)?
    };
    for &(month, revenue, costs) in &changes {
        let day = first_day(year, month)?;
        months::set_budget_month(
            &mut tx,
            activity.id,
            day,
            (revenue.amount(), costs.amount()),
        )
        .await?;
        let before = saved[month - 1];
        let fields = [
            (
                "revenue",
                grid::shown(before.map(|b| b.0)),
                revenue.format_kr(),
            ),
            ("costs", grid::shown(before.map(|b| b.1)), costs.format_kr()),
        ];
        let entity_id = format!("{} {}", activity.title(), day.format("%Y-%m"));
        audit::repo::record_changes(
            &mut tx,
            &actor.trail,
            "operating_budget_saved",
            ("operating_budget", &entity_id),
            None,
            &fields,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changes.len())
}

/// Saves the months of an activity's outcome typed in the grid, each through
/// [`record_operating_outcome`] as hand entry. Returns how many months changed.
pub async fn save_outcome(
    db: &PgPool,
    actor: &Actor,
    at: (Uuid, Uuid),
    form: &GridForm,
) -> Result<usize, Refusal> {
    let mut tx = db.begin().await?;
    let (activity, year) = open(&mut tx, actor, at, &form.year).await?;
    let saved = months(&months::outcome_months(&mut tx, activity.id, year).await?);
    let blank = "en registrerad månad kan inte tömmas. Skriv 0 om utfallet är noll.";
    let changes = changes(form, &saved, Some(blank))?;
    for &(month, revenue, costs) in &changes {
        let outcome = MonthOutcome {
            activity: &activity,
            month: first_day(year, month)?,
            revenue,
            costs,
            source: OutcomeSource::Manual,
            batch: None,
        };
        record_operating_outcome(&mut tx, &actor.trail, &outcome).await?;
    }
    tx.commit().await?;
    Ok(changes.len())
}

/// One month's operating outcome of an activity and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct MonthOutcome<'a> {
    pub activity: &'a Activity,
    /// Any day of the month; the month's first day is stored.
    pub month: NaiveDate,
    pub revenue: Money,
    pub costs: Money,
    pub source: OutcomeSource,
    /// The ledger import that set it (source `import`): the month is then the sum of the
    /// operating entries the imports wrote.
    pub batch: Option<Uuid>,
}

/// THE one path by which operating outcome is written: hand entry (`save_outcome`, source
/// `manual`) calls it, and the ledger import calls it with source `import` and its batch inside
/// its own transaction, so both are stored, marked and audited alike. Sets the month's revenue
/// and costs (replacing what was there), records who (`trail.id`, none for a batch without a
/// user) and when, and audits every changed value with its old and new value. When a batch
/// first replaces a month that did not come from batches (typed by hand, or the demo's), the
/// replaced figures are kept with the month, for [`withdraw_imported_month`] to restore.
/// Returns whether anything changed. The caller holds the transaction and has checked that the
/// actor may write the activity's board.
pub async fn record_operating_outcome(
    conn: &mut PgConnection,
    trail: &audit::Actor,
    outcome: &MonthOutcome<'_>,
) -> Result<bool, sqlx::Error> {
    let month = outcome.month.with_day(1).unwrap_or(outcome.month);
    let before = months::outcome_month_for_update(conn, outcome.activity.id, month).await?;
    let replaced = match (outcome.batch, &before) {
        (None, _) | (Some(_), None) => None,
        (Some(batch), Some(b)) if b.batch.is_none() => b.source.map(|source| Replaced {
            revenue: b.revenue,
            costs: b.costs,
            source,
            by: batch,
        }),
        (Some(_), Some(b)) => b.replaced(),
    };
    let after = StoredMonth {
        revenue: outcome.revenue.amount(),
        costs: outcome.costs.amount(),
        source: outcome.source,
        batch: outcome.batch,
        replaced,
    };
    let at = (outcome.activity, month);
    write_month(
        conn,
        trail,
        at,
        (before, Some(after)),
        "operating_outcome_recorded",
    )
    .await
}

/// An imported month whose every batch was undone, or whose batch that replaced figures no batch
/// had set was: the replaced figures come back, or else the month is again without outcome (the ledger's figure is withdrawn, rather
/// than left as an "imported 0" nobody imported). A month typed by hand since the import is the
/// controller's and stays. Audited like every write. Returns whether anything changed.
pub async fn withdraw_imported_month(
    conn: &mut PgConnection,
    trail: &audit::Actor,
    (activity, month): (&Activity, NaiveDate),
) -> Result<bool, sqlx::Error> {
    let Some(before) = months::outcome_month_for_update(conn, activity.id, month).await? else {
        return Ok(false);
    };
    if before.batch.is_none() {
        return Ok(false);
    }
    let after = before.replaced().map(|r| StoredMonth {
        revenue: r.revenue,
        costs: r.costs,
        source: r.source,
        batch: None,
        replaced: None,
    });
    let at = (activity, month);
    write_month(
        conn,
        trail,
        at,
        (Some(before), after),
        "operating_outcome_withdrawn",
    )
    .await
}

/// Writes a month (or removes it, `after` none) and audits revenue, costs, source and batch with
/// their old and new values; nothing when nothing changes.
async fn write_month(
    conn: &mut PgConnection,
    trail: &audit::Actor,
    (activity, month): (&Activity, NaiveDate),
    (before, after): (Option<MonthRow>, Option<StoredMonth>),
    action: &str,
) -> Result<bool, sqlx::Error> {
    let kr = |d: Decimal| Money::from_stored(d).format_kr();
    let kept = |r: Option<Replaced>| {
        r.map(|r| {
            format!(
                "intäkter {}, kostnader {} ({})",
                kr(r.revenue),
                kr(r.costs),
                r.source.label()
            )
        })
        .unwrap_or_default()
    };
    let shown = |m: Option<(Decimal, Decimal, Option<OutcomeSource>, Option<Uuid>)>| {
        m.map_or_else(Default::default, |(revenue, costs, source, batch)| {
            [
                kr(revenue),
                kr(costs),
                source.map(|s| s.label().to_owned()).unwrap_or_default(),
                batch.map(|b| b.to_string()).unwrap_or_default(),
            ]
        })
    };
    let old = shown(
        before
            .as_ref()
            .map(|b| (b.revenue, b.costs, b.source, b.batch)),
    );
    let new = shown(
        after
            .as_ref()
            .map(|a| (a.revenue, a.costs, Some(a.source), a.batch)),
    );
    // What a batch set aside, to give back when it is undone.
    let (old_kept, new_kept) = (
        kept(before.as_ref().and_then(MonthRow::replaced)),
        kept(after.as_ref().and_then(|a| a.replaced)),
    );
    if old == new && old_kept == new_kept {
        return Ok(false);
    }
    match &after {
        Some(after) => months::set_outcome_month(conn, activity.id, month, after, trail.id).await?,
        None => months::delete_outcome_month(conn, activity.id, month).await?,
    }
    let [o_revenue, o_costs, o_source, o_batch] = old;
    let [n_revenue, n_costs, n_source, n_batch] = new;
    let fields = [
        ("revenue", o_revenue, n_revenue),
        ("costs", o_costs, n_costs),
        ("source", o_source, n_source),
        ("batch", o_batch, n_batch),
        ("replaced", old_kept, new_kept),
    ];
    let entity_id = format!("{} {}", activity.title(), month.format("%Y-%m"));
    audit::repo::record_changes(
        conn,
        trail,
        action,
        ("operating_outcome", &entity_id),
        None,
        &fields,
    )
    .await?;
    Ok(true)
}
