//! The data entry's writes besides the monthly figures (`outcome`), one function per verb (see
//! `crate::operation` for the shape): each owns its transaction, asks the policy, compares what
//! the form showed with what is saved, and audits every changed value with old and new.

use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit,
    domain::{follow_up::text::month_name, money::Money, number},
    follow_up::entry::{
        forms::{ActivityForm, NewActivityForm, OccasionForm, fingerprint},
        grid::{self, GridForm},
        policy,
        repo::{self, OccasionInput},
    },
    operation::{Actor, Refusal},
    web::{AppError, form::FieldErrors},
};

const CODE_TAKEN: &str = "Nämnden har redan en verksamhet med den koden.";
const STALE_FORM: &str = "Formuläret är inaktuellt. Ladda om sidan.";
const PERIOD_HELD: &str = "Perioden kan inte ändras: en nämnds rapport vid tillfället är inlämnad eller har förslag om överföring till nästa år. Återta rapporten och ta bort förslagen först.";

/// Adds an activity to a board; returns its id.
pub async fn create_activity(
    db: &PgPool,
    actor: &Actor,
    board: Uuid,
    form: &NewActivityForm,
) -> Result<Uuid, Refusal> {
    policy::check_enter(&actor.user, board)?;
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    if !repo::lock_board(&mut tx, board).await? {
        return Err(AppError::NotFound.into());
    }
    let (code, name) = form.parse().map_err(Refusal::Invalid)?;
    if repo::code_taken(&mut tx, board, &code).await? {
        return Err(Refusal::invalid("code", CODE_TAKEN));
    }
    let id = repo::insert_activity(&mut tx, board, &code, &name)
        .await
        .map_err(Refusal::from_constraint)?;
    form.submission.created(&mut tx, id).await?;
    let fields = audit::created([
        ("code", code),
        ("name", name),
        ("active", audit::yes_no(true)),
    ]);
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "activity_created",
        ("activity", &id.to_string()),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames an activity or (de)activates it; an inactive activity keeps its figures and is no
/// longer listed in a report where it has none. Returns whether anything changed.
pub async fn update_activity(
    db: &PgPool,
    actor: &Actor,
    (board, id): (Uuid, Uuid),
    form: &ActivityForm,
) -> Result<bool, Refusal> {
    policy::check_enter(&actor.user, board)?;
    let (name, active) = form.parse().map_err(Refusal::Invalid)?;
    let mut tx = db.begin().await?;
    let saved = repo::activity(&mut tx, board, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if saved.name == name && saved.active == active {
        return Ok(false);
    }
    if form.stale(&saved) {
        let state = if saved.active { "aktiv" } else { "inaktiv" };
        return Err(Refusal::conflict(format!("namn ”{}”, {state}", saved.name)));
    }
    repo::update_activity(&mut tx, id, &name, active).await?;
    let fields = audit::compared(
        [
            ("name", saved.name.clone()),
            ("active", audit::yes_no(saved.active)),
        ],
        [("name", name), ("active", audit::yes_no(active))],
    );
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "activity_updated",
        ("activity", &id.to_string()),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Refuses an occasion that repeats another's number or period in its year.
async fn check_unique(
    conn: &mut sqlx::PgConnection,
    input: &OccasionInput,
    except: Option<Uuid>,
) -> Result<(), Refusal> {
    let mut errors = FieldErrors::new();
    for other in repo::other_occasions(conn, input.year, except).await? {
        if other.number == input.number {
            errors.add(
                "number",
                format!("{} har redan ett tillfälle {}.", input.year, input.number),
            );
        }
        if other.through_month == input.through_month {
            errors.add(
                "through_month",
                format!(
                    "Tillfälle {} {} gäller redan samma period.",
                    other.number, input.year
                ),
            );
        } else if let Some(message) = out_of_order(input, &other) {
            errors.add("through_month", message);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Invalid(errors))
    }
}

/// Why `input`'s period does not fit the year's order next to `other` (a lower number ends
/// earlier, a higher one later); none when it does.
fn out_of_order(input: &OccasionInput, other: &crate::follow_up::repo::Occasion) -> Option<String> {
    let month = |m: i32| month_name(u32::try_from(m).unwrap_or(1));
    let period = format!("januari–{}", month(other.through_month));
    if other.number < input.number && other.through_month > input.through_month {
        Some(format!(
            "Perioden måste sluta senare än tillfälle {}s ({period}): tillfällena numreras i årets ordning.",
            other.number
        ))
    } else if other.number > input.number && other.through_month < input.through_month {
        Some(format!(
            "Perioden måste sluta tidigare än tillfälle {}s ({period}): tillfällena numreras i årets ordning.",
            other.number
        ))
    } else {
        None
    }
}

fn occasion_fields(o: &OccasionInput) -> [(&'static str, String); 4] {
    [
        ("year", o.year.to_string()),
        ("number", o.number.to_string()),
        ("through_month", o.through_month.to_string()),
        ("deadline", o.deadline.to_string()),
    ]
}

/// Adds an occasion; returns its year.
pub async fn create_occasion(
    db: &PgPool,
    actor: &Actor,
    form: &OccasionForm,
) -> Result<i32, Refusal> {
    policy::check_occasions(&actor.user)?;
    let input = form.parse().map_err(Refusal::Invalid)?;
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    check_unique(&mut tx, &input, None).await?;
    let id = repo::insert_occasion(&mut tx, &input)
        .await
        .map_err(Refusal::from_constraint)?;
    form.submission.created(&mut tx, id).await?;
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "occasion_created",
        ("follow_up_occasion", &id.to_string()),
        None,
        &audit::created(occasion_fields(&input)),
    )
    .await?;
    tx.commit().await?;
    Ok(input.year)
}

/// Changes an occasion; refused once a board's report at it is decided. Returns its year.
pub async fn update_occasion(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &OccasionForm,
) -> Result<i32, Refusal> {
    policy::check_occasions(&actor.user)?;
    let mut tx = db.begin().await?;
    let saved = repo::occasion(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if repo::has_decided_report(&mut tx, id).await? {
        return Err(Refusal::invalid(
            "number",
            "En nämnds rapport vid tillfället är beslutad; tillfället kan inte längre ändras.",
        ));
    }
    let input = form.parse().map_err(Refusal::Invalid)?;
    if input.through_month != saved.through_month && repo::period_held(&mut tx, id).await? {
        return Err(Refusal::invalid("through_month", PERIOD_HELD));
    }
    let before = OccasionInput {
        year: saved.year,
        number: saved.number,
        through_month: saved.through_month,
        deadline: saved.deadline,
    };
    if before == input {
        return Ok(input.year);
    }
    if form.was != fingerprint(&saved) {
        return Err(Refusal::conflict(format!(
            "år {}, tillfälle {}, till och med månad {}, sista dag {}",
            saved.year, saved.number, saved.through_month, saved.deadline
        )));
    }
    check_unique(&mut tx, &input, Some(id)).await?;
    repo::update_occasion(&mut tx, id, &input)
        .await
        .map_err(Refusal::from_constraint)?;
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "occasion_updated",
        ("follow_up_occasion", &id.to_string()),
        None,
        &audit::compared(occasion_fields(&before), occasion_fields(&input)),
    )
    .await?;
    tx.commit().await?;
    Ok(input.year)
}

/// A percent of a key: above 0, at most 100, at most two decimals.
pub fn percent(typed: &str, who: &str) -> Result<Option<Decimal>, String> {
    let typed = typed.trim().trim_end_matches('%').trim_end();
    if typed.is_empty() {
        return Ok(None);
    }
    let refused = || {
        format!(
            "Andel för {who}: ”{typed}” är ingen andel. Skriv en procentsats över 0 och högst 100 med högst två decimaler, till exempel 70 eller 33,33."
        )
    };
    let value = number::parse(typed, 3).map_err(|_| refused())?.normalize();
    if value.scale() > 2 || value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(refused());
    }
    Ok(Some(value))
}

/// A percent as the key's cells show it: "70", "33,33".
pub fn shown_percent(value: Option<Decimal>) -> String {
    value
        .map(|v| v.normalize().to_string().replace('.', ","))
        .unwrap_or_default()
}

/// The year of a board's grid, checked, with the board held for the save.
async fn open_board_grid(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    board: Uuid,
    form: &GridForm,
) -> Result<i32, Refusal> {
    policy::check_enter(&actor.user, board)?;
    let year = grid::year(&form.year).map_err(|m| Refusal::invalid("year", m))?;
    if !repo::lock_board(conn, board).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(year)
}

/// A grid's refusal, if any: the messages next to the cells, else the rows someone else changed
/// since the page was loaded, as they are saved now.
fn refused(errors: FieldErrors, stale: &[String]) -> Result<(), Refusal> {
    if !errors.is_empty() {
        Err(Refusal::Invalid(errors))
    } else if !stale.is_empty() {
        Err(Refusal::conflict(stale.join("; ")))
    } else {
        Ok(())
    }
}

/// The field the key's sum is refused under: the key's table.
pub const KEY_FIELD: &str = "key";

/// Saves a board's key of a year: the members' percents, summing to exactly 100 (or none at
/// all, for no key). Returns how many members' percents changed.
pub async fn save_member_key(
    db: &PgPool,
    actor: &Actor,
    board: Uuid,
    form: &GridForm,
) -> Result<usize, Refusal> {
    let mut tx = db.begin().await?;
    let year = open_board_grid(&mut tx, actor, board, form).await?;
    let members = repo::members(&mut tx, board, year).await?;
    let mut errors = FieldErrors::new();
    let mut stale = Vec::new();
    let mut key = Vec::new();
    for row in form.rows() {
        let Some(member) = members.iter().find(|m| m.id.to_string() == row.key) else {
            return Err(Refusal::invalid(
                KEY_FIELD,
                "Kommunen är inte medlem i nämnden. Ladda om sidan.",
            ));
        };
        let typed = errors.check(format!("left-{}", row.key), percent(row.left, &member.name));
        let Some(typed) = typed else { continue };
        if typed != member.percent {
            let saved = (shown_percent(member.percent), String::new());
            if row.stale(&saved) {
                stale.push(format!(
                    "{} {}",
                    member.name,
                    describe_percent(member.percent)
                ));
            }
            key.push((member, typed));
        }
    }
    refused(errors, &stale)?;
    let after: Vec<Option<Decimal>> = members
        .iter()
        .map(|m| {
            key.iter()
                .find(|(k, _)| k.id == m.id)
                .map_or(m.percent, |k| k.1)
        })
        .collect();
    let sum: Decimal = after.iter().flatten().sum();
    if after.iter().any(Option::is_some) && sum != Decimal::ONE_HUNDRED {
        return Err(Refusal::invalid(
            KEY_FIELD,
            format!(
                "Andelarna måste tillsammans bli exakt 100,00 procent; nu blir de {} procent.",
                format!("{sum:.2}").replace('.', ",")
            ),
        ));
    }
    for (member, percent) in &key {
        repo::set_member_percent(&mut tx, (board, year), member.id, *percent).await?;
        let entity_id = format!("{board} {year} {}", member.name);
        audit::repo::record_changes(
            &mut tx,
            &actor.trail,
            "member_key_saved",
            ("member_key", &entity_id),
            None,
            &[(
                "percent",
                shown_percent(member.percent),
                shown_percent(*percent),
            )],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(key.len())
}

fn describe_percent(value: Option<Decimal>) -> String {
    value.map_or_else(
        || "ingen andel".to_owned(),
        |v| format!("{} %", shown_percent(Some(v))),
    )
}

/// Saves the board's projects' own appropriations of a year: the annual budget and what was
/// granted in addition. Both blank removes the year's appropriation. Returns how many projects
/// changed.
///
/// A grid per board and year on the follow-up's pages rather than a field on each project's
/// tabs: the investment table these figures make is per board and year, the controller enters
/// the year's appropriations of all the board's projects at once when the budget is set, and
/// the project's tabs are about one project over its whole life (its decided appropriation is
/// on *Ekonomi*). Each change is still filed under its project, so the project's *Historik*
/// shows it.
pub async fn save_project_years(
    db: &PgPool,
    actor: &Actor,
    board: Uuid,
    form: &GridForm,
) -> Result<usize, Refusal> {
    let mut tx = db.begin().await?;
    let year = open_board_grid(&mut tx, actor, board, form).await?;
    let projects = repo::project_years(&mut tx, board, year).await?;
    let mut errors = FieldErrors::new();
    let mut stale = Vec::new();
    let mut changes = Vec::new();
    for row in form.rows() {
        let Some(p) = projects.iter().find(|p| p.id.to_string() == row.key) else {
            return Err(Refusal::invalid("year", STALE_FORM));
        };
        if !row.edited() {
            continue;
        }
        let title = p.title();
        let what = (
            format!("Årsbudget för {title}"),
            format!("Extra beviljat för {title}"),
        );
        let Some(typed) = grid::pair(&row, (&what.0, &what.1), &mut errors) else {
            continue;
        };
        if let Some((annual, _)) = typed
            && annual.is_negative()
        {
            errors.add(
                format!("left-{}", row.key),
                format!("Årsbudgeten för {title} kan inte vara negativ."),
            );
            continue;
        }
        let before = p
            .annual_budget
            .zip(p.extra_granted)
            .map(|(a, e)| (Money::from_stored(a), Money::from_stored(e)));
        if typed == before {
            continue;
        }
        let saved = (
            grid::shown(before.map(|b| b.0)),
            grid::shown(before.map(|b| b.1)),
        );
        if row.stale(&saved) {
            stale.push(format!(
                "{title}: årsbudget {}, extra beviljat {}",
                empty_as_none(&saved.0),
                empty_as_none(&saved.1)
            ));
        }
        changes.push((p, saved, typed));
    }
    refused(errors, &stale)?;
    for (p, (old_annual, old_extra), typed) in &changes {
        repo::set_project_year(
            &mut tx,
            p.id,
            year,
            typed.map(|(a, e)| (a.amount(), e.amount())),
        )
        .await?;
        let fields = [
            (
                "annual_budget",
                old_annual.clone(),
                grid::shown(typed.map(|t| t.0)),
            ),
            (
                "extra_granted",
                old_extra.clone(),
                grid::shown(typed.map(|t| t.1)),
            ),
        ];
        let entity_id = format!("{} {year}", p.id);
        audit::repo::record_changes(
            &mut tx,
            &actor.trail,
            "project_year_saved",
            ("project_year", &entity_id),
            Some(p.id),
            &fields,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changes.len())
}

fn empty_as_none(shown: &str) -> &str {
    if shown.is_empty() { "inget" } else { shown }
}
