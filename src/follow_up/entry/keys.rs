//! The keys by which a ledger import finds an activity's operating outcome: a responsibility
//! centre, an account range, or both. The keys of one municipality never overlap, so a ledger
//! row is the outcome of at most one activity; adding a key that would take rows another key
//! takes is refused with that key named.

use serde::Deserialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit,
    follow_up::entry::{
        policy,
        repo::{self as entry_repo, Activity},
    },
    imports::batch::{lock_municipality, outdate_open_imports},
    operation::{Actor, Refusal, Submission},
    web::{AppError, form::FieldErrors},
};

/// A key as saved, with the activity it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub cost_centre: Option<String>,
    pub account_from: Option<String>,
    pub account_to: Option<String>,
}

impl Key {
    /// "ansvar 310, konto 4000–4999", as a controller reads it.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.cost_centre {
            parts.push(format!("ansvar {c}"));
        }
        match (&self.account_from, &self.account_to) {
            (Some(from), Some(to)) if from == to => parts.push(format!("konto {from}")),
            (Some(from), Some(to)) => parts.push(format!("konto {from}–{to}")),
            _ => {}
        }
        parts.join(", ")
    }

    /// Whether a ledger row could match both keys: the responsibility centres are the same or
    /// either is any, and the account ranges meet when both are read to the shorter bound's
    /// number of digits (every account with a prefix in both ranges matches both).
    pub fn overlaps(&self, other: &Key) -> bool {
        let centres = match (&self.cost_centre, &other.cost_centre) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let ranges = match (
            (&self.account_from, &self.account_to),
            (&other.account_from, &other.account_to),
        ) {
            ((Some(a_from), Some(a_to)), (Some(b_from), Some(b_to))) => {
                let n = a_from.len().min(b_from.len());
                let cut = |s: &str| s[..n].to_owned();
                cut(a_from) <= cut(b_to) && cut(b_from) <= cut(a_to)
            }
            _ => true,
        };
        centres && ranges
    }
}

/// The form that adds a key.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    pub submission: Submission,
    #[serde(default)]
    pub cost_centre: String,
    #[serde(default)]
    pub account_from: String,
    #[serde(default)]
    pub account_to: String,
}

impl KeyForm {
    /// The key typed, for `activity`: a responsibility centre, an account or range, or both.
    pub fn parse(&self, activity: Uuid) -> Result<Key, FieldErrors> {
        let mut errors = FieldErrors::new();
        let centre = self.cost_centre.trim();
        // As a ledger writes an object number: a–z, å, ä, ö, digits and . - _ / (no spaces, no
        // invisible, control or look-alike characters such as full-width digits, which no one
        // could tell apart on the page and no ledger row would match).
        let centre_ok = centre.chars().count() <= 40
            && centre
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "åäöÅÄÖ._-/".contains(c));
        if !centre_ok {
            errors.add(
                "cost_centre",
                "Ansvar: högst 40 tecken, bokstäver, siffror och . - _ /, som i huvudboken.",
            );
        }
        let account = |typed: &str, field: &str, errors: &mut FieldErrors| {
            let typed = typed.trim().replace(' ', "");
            let ok = typed.is_empty()
                || ((1..=10).contains(&typed.len()) && typed.chars().all(|c| c.is_ascii_digit()));
            if !ok {
                errors.add(field, "Konto: bara siffror, högst 10.");
            }
            (!typed.is_empty()).then_some(typed)
        };
        let from = account(&self.account_from, "account_from", &mut errors);
        let to = account(&self.account_to, "account_to", &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let (from, to) = match (from, to) {
            (Some(from), None) => (Some(from.clone()), Some(from)),
            (None, Some(_)) => {
                errors.add("account_from", "Ange kontot som intervallet börjar med.");
                return Err(errors);
            }
            (from, to) => (from, to),
        };
        if let (Some(f), Some(t)) = (&from, &to) {
            if f.len() != t.len() {
                errors.add(
                    "account_to",
                    "Konto från och till ska ha lika många siffror, till exempel 4000 och 4999.",
                );
            } else if f > t {
                errors.add("account_to", "Konto till kan inte vara före konto från.");
            }
        }
        if centre.is_empty() && from.is_none() {
            errors.add(
                "cost_centre",
                "Ange ansvar, konto eller båda: annars skulle nyckeln ta varje rad i huvudboken.",
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Key {
            id: Uuid::now_v7(),
            activity_id: activity,
            cost_centre: (!centre.is_empty()).then(|| centre.to_owned()),
            account_from: from,
            account_to: to,
        })
    }
}

/// The keys of an activity, in the order they were added.
pub async fn of_activity(conn: &mut PgConnection, activity: Uuid) -> sqlx::Result<Vec<Key>> {
    sqlx::query_as!(
        Key,
        "SELECT id, activity_id, cost_centre, account_from, account_to FROM operating_key \
         WHERE activity_id = $1 ORDER BY created_at, id",
        activity
    )
    .fetch_all(conn)
    .await
}

/// Every key of the municipality of `board`, with its activity's board and title.
async fn of_municipality(conn: &mut PgConnection, board: Uuid) -> sqlx::Result<Vec<(Key, String)>> {
    let rows = sqlx::query!(
        r#"SELECT k.id, k.activity_id, k.cost_centre, k.account_from, k.account_to,
                  b.name || ', vht ' || a.code || ' ' || a.name AS "owner!"
           FROM operating_key k
           JOIN activity a ON a.id = k.activity_id
           JOIN board b ON b.id = a.board_id
           WHERE b.municipality_id = (SELECT municipality_id FROM board WHERE id = $1)"#,
        board
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let key = Key {
                id: r.id,
                activity_id: r.activity_id,
                cost_centre: r.cost_centre,
                account_from: r.account_from,
                account_to: r.account_to,
            };
            (key, r.owner)
        })
        .collect())
}

/// Takes the municipality's import lock for a change of its keys: two keys added at once are
/// checked one after the other, no import is saved meanwhile, and the previews of its open
/// imports, computed with the keys as they were, are outdated.
async fn lock_keys(conn: &mut PgConnection, board: Uuid) -> Result<(), Refusal> {
    let municipality =
        sqlx::query_scalar!("SELECT municipality_id FROM board WHERE id = $1", board)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    lock_municipality(conn, municipality).await?;
    outdate_open_imports(conn, municipality).await?;
    Ok(())
}

/// How the log names a key: "Gemensamma servicenämnden, vht 033 Service och support: ansvar
/// 310, konto 3000–7999 (key id)".
async fn key_entity(
    conn: &mut PgConnection,
    activity: &Activity,
    key: &Key,
) -> sqlx::Result<String> {
    let board = sqlx::query_scalar!("SELECT name FROM board WHERE id = $1", activity.board_id)
        .fetch_one(conn)
        .await?;
    Ok(format!(
        "{board}, vht {}: {} ({})",
        activity.title(),
        key.describe(),
        key.id
    ))
}

/// Adds a key to a board's activity, unless it overlaps a key of the municipality. Audited.
pub async fn add(
    db: &PgPool,
    actor: &Actor,
    (board, activity): (Uuid, Uuid),
    form: &KeyForm,
) -> Result<Key, Refusal> {
    policy::check_enter(&actor.user, board)?;
    let mut tx = db.begin().await?;
    form.submission.claim(&mut tx, actor).await?;
    lock_keys(&mut tx, board).await?;
    let activity = entry_repo::activity(&mut tx, board, activity, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = form.parse(activity.id).map_err(Refusal::Invalid)?;
    let taken = of_municipality(&mut tx, board).await?;
    if let Some((other, owner)) = taken.iter().find(|(k, _)| k.overlaps(&key)) {
        let field = if key.cost_centre.is_some() {
            "cost_centre"
        } else {
            "account_from"
        };
        return Err(Refusal::invalid(
            field,
            format!(
                "Nyckeln tar rader som nyckeln ”{}” redan tar för {owner}. En rad i huvudboken \
                 kan bara höra till en verksamhet: ändra ansvar eller kontointervall.",
                other.describe()
            ),
        ));
    }
    sqlx::query!(
        "INSERT INTO operating_key (id, activity_id, cost_centre, account_from, account_to) \
         VALUES ($1, $2, $3, $4, $5)",
        key.id,
        key.activity_id,
        key.cost_centre,
        key.account_from,
        key.account_to
    )
    .execute(&mut *tx)
    .await?;
    form.submission.created(&mut tx, key.id).await?;
    let entity = key_entity(&mut tx, &activity, &key).await?;
    let fields = [("key", String::new(), key.describe())];
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "operating_key_added",
        ("operating_key", &entity),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}

/// Removes a key; the outcome already imported stays. Audited.
pub async fn remove(
    db: &PgPool,
    actor: &Actor,
    (board, activity): (Uuid, Uuid),
    key: Uuid,
) -> Result<Key, Refusal> {
    policy::check_enter(&actor.user, board)?;
    let mut tx = db.begin().await?;
    lock_keys(&mut tx, board).await?;
    let activity = entry_repo::activity(&mut tx, board, activity, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let removed = sqlx::query_as!(
        Key,
        "DELETE FROM operating_key WHERE id = $1 AND activity_id = $2 \
         RETURNING id, activity_id, cost_centre, account_from, account_to",
        key,
        activity.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Refusal::invalid("key", "Nyckeln finns inte längre."))?;
    let entity = key_entity(&mut tx, &activity, &removed).await?;
    let fields = [("key", removed.describe(), String::new())];
    audit::repo::record_changes(
        &mut tx,
        &actor.trail,
        "operating_key_removed",
        ("operating_key", &entity),
        None,
        &fields,
    )
    .await?;
    tx.commit().await?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(centre: Option<&str>, range: Option<(&str, &str)>) -> Key {
        Key {
            id: Uuid::nil(),
            activity_id: Uuid::nil(),
            cost_centre: centre.map(str::to_owned),
            account_from: range.map(|r| r.0.to_owned()),
            account_to: range.map(|r| r.1.to_owned()),
        }
    }

    #[test]
    fn keys_overlap_when_one_row_could_match_both() {
        let costs_310 = key(Some("310"), Some(("4000", "7999")));
        assert!(costs_310.overlaps(&key(Some("310"), Some(("7000", "8999")))));
        assert!(!costs_310.overlaps(&key(Some("311"), Some(("4000", "7999")))));
        assert!(!costs_310.overlaps(&key(Some("310"), Some(("3000", "3999")))));
        // A key without a centre takes every centre's rows in its range.
        assert!(costs_310.overlaps(&key(None, Some(("45", "46")))));
        assert!(!costs_310.overlaps(&key(None, Some(("80", "89")))));
        // A key without accounts takes every account of its centre.
        assert!(costs_310.overlaps(&key(Some("310"), None)));
        // Ranges of different lengths meet when their common prefixes do.
        assert!(key(None, Some(("4005", "4009"))).overlaps(&key(None, Some(("40", "40")))));
        assert!(!key(None, Some(("4100", "4199"))).overlaps(&key(None, Some(("40", "40")))));
    }

    #[test]
    fn the_form_needs_a_centre_or_an_account_and_a_range_in_order() {
        let form = |c: &str, f: &str, t: &str| KeyForm {
            cost_centre: c.to_owned(),
            account_from: f.to_owned(),
            account_to: t.to_owned(),
            ..KeyForm::default()
        };
        let id = Uuid::nil();
        assert!(form("", "", "").parse(id).is_err());
        assert!(form("3 10", "", "").parse(id).is_err());
        assert!(form("31\u{1c}0", "", "").parse(id).is_err());
        assert!(form("31\u{200b}0", "", "").parse(id).is_err());
        assert!(form("３１０", "", "").parse(id).is_err());
        assert!(form("IT-01/ä", "", "").parse(id).is_ok());
        assert!(form("", "4999", "4000").parse(id).is_err());
        assert!(form("", "400", "4999").parse(id).is_err());
        assert!(form("", "", "4999").parse(id).is_err());
        assert!(form("", "4a00", "").parse(id).is_err());
        let single = form(" 310 ", "5 410", "").parse(id).unwrap();
        assert_eq!(single.describe(), "ansvar 310, konto 5410");
        let range = form("", "4000", "4999").parse(id).unwrap();
        assert_eq!(range.describe(), "konto 4000–4999");
    }
}
