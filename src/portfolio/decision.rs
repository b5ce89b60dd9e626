//! Deciding a round: a decision per item (prioritised with place and quarter, postponed or
//! rejected, with a reason), the meeting date and who decided. A decided round never changes
//! again; it is the authority on what may be ordered until the next one is decided.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{
        portfolio::{Decision, Phase, Quarter},
        text,
    },
    portfolio::{
        board::Rows,
        board_repo::{self, BoardRow},
        round_repo::Round,
        rounds::load_round,
    },
    projects::forms::optional_date,
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::{FieldErrors, nth},
    },
};

/// The figures a decision freezes into `round_item.snapshot`, from the agenda row `a` (the view
/// `round_agenda` reads them back under the same names).
pub const SNAPSHOT: &str = "jsonb_build_object('title', a.title, 'plan', a.plan, 'kind', a.kind, \
     'effort_hours', a.effort_hours, 'investment', a.investment, 'running_cost', a.running_cost, \
     'score_citizen', a.score_citizen, 'score_efficiency', a.score_efficiency, \
     'score_necessity', a.score_necessity, 'score_strategy', a.score_strategy, \
     'municipalities', a.municipalities)";

pub fn decision_label(code: &str) -> &'static str {
    Decision::from_code(code).map_or("–", Decision::label)
}

/// The decision form: per item in the board's order, and the meeting.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub item: Vec<String>,
    #[serde(default)]
    pub decision: Vec<String>,
    #[serde(default)]
    pub quarter: Vec<String>,
    #[serde(default)]
    pub reason: Vec<String>,
    #[serde(default)]
    pub meeting_date: String,
    #[serde(default)]
    pub version: i32,
    #[serde(default)]
    pub ranking_version: i32,
    /// A fingerprint of the agenda's items as the form showed them (see [`agenda_fingerprint`]).
    #[serde(default)]
    pub agenda: String,
    /// The box that says the group has taken these decisions: deciding cannot be undone.
    #[serde(default)]
    pub confirm: Option<String>,
}

/// One checked decision.
#[derive(Debug, Clone)]
pub struct ItemDecision {
    pub item_id: Uuid,
    pub decision: Decision,
    pub quarter: Option<Quarter>,
    pub reason: String,
}

impl DecisionForm {
    /// The proposal the board makes: above the cut line prioritised this quarter, the rest
    /// postponed because it does not fit.
    fn proposed(round: &Round, rows: &Rows) -> Self {
        let mut form = DecisionForm {
            meeting_date: round
                .meeting_date
                .unwrap_or_else(crate::web::format::today)
                .to_string(),
            version: round.version,
            ranking_version: round.ranking_version,
            ..DecisionForm::default()
        };
        for line in &rows.lines {
            let prioritised = !line.below;
            form.item.push(line.row.item_id.to_string());
            form.decision.push(
                if prioritised {
                    Decision::Prioritised
                } else {
                    Decision::Postponed
                }
                .code()
                .to_owned(),
            );
            form.quarter.push(if prioritised {
                round.quarter.clone()
            } else {
                String::new()
            });
            form.reason.push(if prioritised {
                String::new()
            } else if let (None, Some(q)) = (line.row.rank, &line.row.prioritised_in) {
                format!("Prioriterat {q} men inte beställt; inte rangordnat i omgången.")
            } else if line.row.rank.is_none() {
                "Inte rangordnat i omgången.".to_owned()
            } else {
                "Ryms inte inom omgångens ramar.".to_owned()
            });
        }
        form
    }

    fn at(&self, item: &Uuid) -> Option<usize> {
        let key = item.to_string();
        self.item.iter().position(|x| *x == key)
    }

    /// What was typed for an item: (decision, quarter, reason).
    pub fn typed(&self, item: &Uuid) -> (&str, &str, &str) {
        let i = self.at(item);
        (
            nth(&self.decision, i),
            nth(&self.quarter, i),
            nth(&self.reason, i),
        )
    }

    fn parse(
        &self,
        rows: &[BoardRow],
    ) -> Result<(Vec<ItemDecision>, chrono::NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        let meeting = e.check("meeting_date", optional_date(&self.meeting_date));
        if meeting == Some(None) {
            e.add("meeting_date", "Ange prioriteringsmötets datum.");
        }
        if self.confirm.is_none() {
            e.add(
                "confirm",
                "Bekräfta att samordningsgruppen har fattat besluten: omgången går inte att ändra efteråt.",
            );
        }
        let mut decisions = Vec::new();
        for row in rows {
            let (decision, quarter, reason) = self.typed(&row.item_id);
            let key = |field: &str| format!("{field}-{}", row.item_id);
            let reference = row.reference();
            let Some(decision) = Decision::from_code(decision) else {
                e.add(key("decision"), format!("{reference}: välj ett beslut."));
                continue;
            };
            let quarter = match (decision, quarter.trim()) {
                (Decision::Prioritised, "") => {
                    e.add(
                        key("quarter"),
                        format!("{reference}: ange kvartal för genomförandet."),
                    );
                    None
                }
                (_, "") => None,
                (_, q) => e
                    .check(
                        key("quarter"),
                        q.parse::<Quarter>()
                            .map_err(|m| format!("{reference}: {m}")),
                    )
                    .map(Some)
                    .unwrap_or(None),
            };
            if decision == Decision::Prioritised && row.rank.is_none() {
                e.add(
                    key("decision"),
                    format!("{reference}: bara rangordnade objekt kan prioriteras. Ge det en plats på tavlan först."),
                );
            }
            let reason = e
                .check(key("reason"), text::bounded(reason, 2000, false))
                .unwrap_or_default();
            if decision != Decision::Prioritised && reason.is_empty() {
                e.add(
                    key("reason"),
                    format!(
                        "{reference}: motivera varför objektet {}.",
                        match decision {
                            Decision::Rejected => "avslås",
                            _ => "skjuts upp",
                        }
                    ),
                );
            }
            decisions.push(ItemDecision {
                item_id: row.item_id,
                decision,
                quarter,
                reason,
            });
        }
        match meeting {
            Some(Some(meeting)) if e.is_empty() => Ok((decisions, meeting)),
            _ => Err(e),
        }
    }
}

/// A fingerprint of the agenda's items and their versions: a decision freezes the figures, so
/// they must be the ones the group saw when it filled in the form.
async fn agenda_fingerprint(conn: &mut PgConnection, round: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coalesce(md5(string_agg(i.id::text || ':' || i.version, ',' ORDER BY i.id)), '') \
         FROM round_item ri JOIN portfolio_item i ON i.id = ri.item_id WHERE ri.round_id = $1",
    )
    .bind(round)
    .fetch_one(conn)
    .await
}

#[derive(Template)]
#[template(path = "portfolio/decide.html")]
struct DecideView {
    chrome: Chrome,
    rows: Rows,
    form: DecisionForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl DecideView {
    fn decisions(&self) -> &'static [Decision] {
        &Decision::ALL
    }
}

/// The decision form: proposed from the board, or as typed (with the current versions, so a
/// refused save can be sent again on purpose) and its messages.
async fn render(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    form: Option<DecisionForm>,
    (errors, conflict): (FieldErrors, Option<String>),
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let round = open_for_decision(&mut conn, id, me, false).await?;
    let rows = Rows::new(
        round.clone(),
        board_repo::rows(&mut conn, id).await?,
        None,
        false,
    );
    let agenda = agenda_fingerprint(&mut conn, id).await?;
    let status = crate::web::form::status(&errors, conflict.is_some());
    let form = match form {
        Some(typed) => DecisionForm {
            version: round.version,
            ranking_version: round.ranking_version,
            agenda,
            ..typed
        },
        None => DecisionForm {
            agenda,
            ..DecisionForm::proposed(&round, &rows)
        },
    };
    let view = DecideView {
        chrome,
        form,
        rows,
        errors,
        conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}

async fn open_for_decision(
    conn: &mut PgConnection,
    id: Uuid,
    me: &CurrentUser,
    lock: bool,
) -> Result<Round, AppError> {
    let round = load_round(conn, id, me, lock).await?;
    if round.phase() != Phase::Meeting {
        return Err(AppError::Conflict(format!(
            "Omgång {} beslutas under prioriteringsmötet (nu: {}).",
            round.quarter,
            round.phase().label().to_lowercase()
        )));
    }
    Ok(round)
}

pub async fn show_decision(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    render(&state, chrome, &me, id, None, (FieldErrors::new(), None)).await
}

pub async fn decide_round(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let round = open_for_decision(&mut tx, id, &me, true).await?;
    // The agenda's items are held still from the check until the figures are frozen.
    sqlx::query(
        "SELECT 1 FROM portfolio_item WHERE id IN (SELECT item_id FROM round_item WHERE round_id = $1) \
         FOR SHARE",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let agenda = agenda_fingerprint(&mut tx, id).await?;
    if round.version != form.version
        || round.ranking_version != form.ranking_version
        || agenda != form.agenda
    {
        drop(tx);
        let conflict = "Rangordningen, omgångens ramar eller objektens uppgifter ändrades efter \
             att du öppnade beslutet. Tabellen visar nu det aktuella underlaget med dina val \
             kvar; kontrollera dem och besluta igen."
            .to_owned();
        return render(
            &state,
            chrome,
            &me,
            id,
            Some(form),
            (FieldErrors::new(), Some(conflict)),
        )
        .await;
    }
    let rows = board_repo::rows(&mut tx, id).await?;
    let (decisions, meeting) = match form.parse(&rows) {
        Ok(parsed) => parsed,
        Err(errors) => {
            drop(tx);
            return render(&state, chrome, &me, id, Some(form), (errors, None)).await;
        }
    };
    save(&mut tx, &round, &decisions, meeting, &me).await?;
    let actor = Actor::user(&me, &client);
    let changes: Vec<(&str, String, String)> = rows
        .iter()
        .zip(&decisions)
        .map(|(row, d)| {
            let quarter = d.quarter.map(|q| format!(", {q}")).unwrap_or_default();
            let rank = row.rank.map(|r| format!(", plats {r}")).unwrap_or_default();
            (
                "decision",
                String::new(),
                format!(
                    "{}: {}{quarter}{rank}. {}",
                    row.reference(),
                    d.decision.label(),
                    d.reason
                ),
            )
        })
        .collect();
    audit::repo::record_changes(
        &mut tx,
        &actor,
        "round_item_decided",
        ("round", &id.to_string()),
        None,
        &changes,
    )
    .await?;
    let entry = Entry::change(
        "round_decided",
        "round",
        id.to_string(),
        "phase",
        Some(round.phase().label().to_owned()),
        Some(format!("{} (möte {meeting})", Phase::Decided.label())),
    );
    audit::repo::record(&mut tx, &actor, entry).await?;
    tx.commit().await?;
    let message = format!(
        "Omgång {} är beslutad och gäller nu för beställningar.",
        round.quarter
    );
    flash::push(&session, Flash::success(message)).await?;
    Ok(Redirect::to(&format!("/omgangar/{id}")).into_response())
}

/// Writes the decisions, freezes the items' figures into the round, moves the items to their
/// new status (an item ordered on an earlier round's authority meanwhile stays ordered) and
/// closes the round.
async fn save(
    conn: &mut PgConnection,
    round: &Round,
    decisions: &[ItemDecision],
    meeting: chrono::NaiveDate,
    me: &CurrentUser,
) -> Result<(), sqlx::Error> {
    let items: Vec<Uuid> = decisions.iter().map(|d| d.item_id).collect();
    let codes: Vec<&str> = decisions.iter().map(|d| d.decision.code()).collect();
    let quarters: Vec<Option<String>> = decisions
        .iter()
        .map(|d| d.quarter.map(|q| q.to_string()))
        .collect();
    let reasons: Vec<&str> = decisions.iter().map(|d| d.reason.as_str()).collect();
    let statuses: Vec<&str> = decisions
        .iter()
        .map(|d| d.decision.item_status().code())
        .collect();
    sqlx::query(&format!(
        "UPDATE round_item ri SET decision = d.decision, decision_quarter = d.quarter, \
                decision_reason = d.reason, snapshot = {SNAPSHOT} \
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS d(item_id, decision, quarter, reason), \
              round_agenda a \
         WHERE ri.round_id = $1 AND ri.item_id = d.item_id \
           AND a.round_id = ri.round_id AND a.item_id = ri.item_id"
    ))
    .bind(round.id)
    .bind(&items)
    .bind(codes)
    .bind(quarters)
    .bind(reasons)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE portfolio_item i SET status = d.status, version = version + 1, updated_at = now() \
         FROM unnest($1::uuid[], $2::text[]) AS d(item_id, status) \
         WHERE i.id = d.item_id AND i.status = 'in_round'",
    )
    .bind(&items)
    .bind(statuses)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE round SET phase = 'decided', decided_at = now(), decided_by = $2, \
                decided_by_label = $3, meeting_date = $4, version = version + 1 \
         WHERE id = $1",
    )
    .bind(round.id)
    .bind(me.id)
    .bind(me.label())
    .bind(meeting)
    .execute(conn)
    .await?;
    Ok(())
}
