//! Deciding a round (see `crate::operation` for the shape): the decisions are checked against
//! the agenda as the form showed it, written with the items' frozen figures, and audited.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, repo::Entry},
    benefits::{freeze, repo::Subject},
    domain::portfolio::{Decision, Phase},
    operation::{Actor, Refusal},
    portfolio::trail,
    portfolio::{
        board::repo::BoardRow,
        decision::{
            forms::{DecisionForm, ItemDecision},
            policy, repo,
        },
        scope::load_round,
    },
    web::form::FieldErrors,
};

/// The audited decisions: one line per item.
fn decision_changes(
    rows: &[BoardRow],
    decisions: &[ItemDecision],
) -> Vec<(&'static str, String, String)> {
    rows.iter()
        .zip(decisions)
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
        .collect()
}

/// The score of every criterion of the round's model as it read the item, by criterion (JSON):
/// what the decision freezes, so the decided round keeps its values even when a calculation or
/// a score changes later.
fn frozen_scores(rows: &[BoardRow], item: Uuid) -> String {
    let scores: std::collections::HashMap<Uuid, u8> = rows
        .iter()
        .find(|r| r.item_id == item)
        .map(|r| {
            r.valuation
                .parts
                .iter()
                .map(|p| (p.criterion, p.score))
                .collect()
        })
        .unwrap_or_default();
    serde_json::to_string(&scores).unwrap_or_else(|_| "{}".to_owned())
}

/// Decides round `id` as the form says, if the ranking, the frames and the items are still the
/// ones the form showed; returns the round's quarter.
pub async fn decide_round(
    db: &PgPool,
    actor: &Actor,
    id: Uuid,
    form: &DecisionForm,
) -> Result<String, Refusal> {
    let mut tx = db.begin().await?;
    let round = load_round(&mut tx, id, true).await?;
    policy::check_decide(&round)?;
    // The agenda's items are held still from the check until the figures are frozen.
    repo::hold_items(&mut tx, id).await?;
    let agenda = repo::agenda_fingerprint(&mut tx, id).await?;
    if round.version != form.version
        || round.ranking_version != form.ranking_version
        || agenda != form.agenda
    {
        return Err(Refusal::Conflict(FieldErrors::new()));
    }
    let rows = crate::portfolio::board::repo::rows(&mut tx, id).await?;
    let (decisions, meeting) = form.parse(&rows).map_err(Refusal::Invalid)?;
    let by = (actor.user.id, actor.user.label());
    let scores: Vec<String> = decisions
        .iter()
        .map(|d| frozen_scores(&rows, d.item_id))
        .collect();
    repo::save(&mut tx, &round, &decisions, &scores, meeting, (by.0, &by.1)).await?;
    for d in decisions
        .iter()
        .filter(|d| d.decision == Decision::Prioritised)
    {
        let decision = format!(
            "Prioriterad av samordningsgruppen i omgång {} (möte {meeting})",
            round.quarter
        );
        let subject = Subject::Item(d.item_id);
        freeze::freeze_for_decision(&mut tx, &actor.trail, subject, &decision).await?;
    }
    let changes = decision_changes(&rows, &decisions);
    trail::round_changes(&mut tx, actor, "round_item_decided", id, &changes).await?;
    let entry = Entry::change(
        "round_decided",
        "round",
        id.to_string(),
        "phase",
        Some(round.phase().label().to_owned()),
        Some(format!("{} (möte {meeting})", Phase::Decided.label())),
    );
    audit::record(&mut tx, &actor.trail, entry).await?;
    tx.commit().await?;
    Ok(round.quarter)
}
