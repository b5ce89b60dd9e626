//! The order gate: an order (beställning) of an item is registered only when the latest decided
//! round prioritised the item. Any other attempt is refused with the reason, written to the
//! audit log, and kept as an order waiting for prioritisation, which IT-center's start page lists.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use tower_sessions::Session;

use crate::{
    audit::{self, Actor, repo::Entry},
    domain::{
        portfolio::{Decision, ItemStatus, order_gate, order_refusal},
        text,
    },
    portfolio::{items, load_visible_item, round_repo},
    web::{
        AppError, AppState, Chrome, CurrentUser,
        client::Client,
        flash::{self, Flash},
        form::FieldErrors,
    },
};

/// An item's place in one round: rank and decision.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundDecision {
    pub round_id: Uuid,
    pub quarter: String,
    pub phase: String,
    pub rank: Option<i32>,
    pub decision: Option<String>,
    pub decision_quarter: Option<String>,
    pub decision_reason: String,
}

impl RoundDecision {
    pub fn decision_label(&self) -> &'static str {
        self.decision
            .as_deref()
            .and_then(Decision::from_code)
            .map_or("–", Decision::label)
    }
}

/// The rounds an item has been on, newest first.
pub async fn history(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Vec<RoundDecision>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id AS round_id, r.quarter, r.phase, ri.rank, ri.decision, ri.decision_quarter, \
         ri.decision_reason FROM round_item ri JOIN round r ON r.id = ri.round_id \
         WHERE ri.item_id = $1 ORDER BY r.quarter DESC",
    )
    .bind(item)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Order {
    pub id: Uuid,
    pub item_id: Uuid,
    pub item_number: i32,
    pub item_title: String,
    pub reference: String,
    pub note: String,
    pub requested_by: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub registered_at: Option<DateTime<Utc>>,
    pub round_quarter: Option<String>,
}

impl Order {
    pub fn item_reference(&self) -> String {
        crate::domain::portfolio::item_reference(self.item_number)
    }
    pub fn requested(&self) -> String {
        crate::web::format::date_time(self.requested_at)
    }
}

const ORDER_COLUMNS: &str = "o.id, o.item_id, i.number AS item_number, i.title AS item_title, \
     o.reference, o.note, u.display_name AS requested_by, o.requested_at, o.registered_at, \
     r.quarter AS round_quarter \
     FROM portfolio_order o JOIN portfolio_item i ON i.id = o.item_id \
     LEFT JOIN app_user u ON u.id = o.requested_by LEFT JOIN round r ON r.id = o.round_id";

pub async fn of_item(conn: &mut PgConnection, item: Uuid) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} WHERE o.item_id = $1 ORDER BY o.requested_at DESC"
    ))
    .bind(item)
    .fetch_all(conn)
    .await
}

/// Orders waiting for prioritisation, oldest first, for IT-center's start page.
pub async fn waiting(conn: &mut PgConnection) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} WHERE o.registered_at IS NULL ORDER BY o.requested_at"
    ))
    .fetch_all(conn)
    .await
}

/// What the gate judges by: the latest decided round (id, quarter) and its decision on `item`.
async fn latest_decision(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Option<(Uuid, String, Option<Decision>)>, AppError> {
    let Some(latest) = round_repo::latest_decided(conn).await? else {
        return Ok(None);
    };
    let decision: Option<String> =
        sqlx::query_scalar("SELECT decision FROM round_item WHERE round_id = $1 AND item_id = $2")
            .bind(latest.id)
            .bind(item)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    let decision = decision.as_deref().and_then(Decision::from_code);
    Ok(Some((latest.id, latest.quarter, decision)))
}

/// Checks the gate for `item`: the round that allows ordering it, or the refusal.
async fn check_gate(conn: &mut PgConnection, item: Uuid) -> Result<Result<Uuid, String>, AppError> {
    Ok(match latest_decision(conn, item).await? {
        Some((id, quarter, decision)) => order_gate(Some((&quarter, decision))).map(|()| id),
        None => Err(order_gate(None).err().unwrap_or_default()),
    })
}

/// Why the gate would refuse registering an order of `item` now (None: it would allow it), so
/// the item page offers "Registrera nu" only where it can succeed. Read only; a refusal is
/// audited when someone actually tries.
pub async fn waiting_reason(
    conn: &mut PgConnection,
    item: Uuid,
) -> Result<Option<String>, AppError> {
    let latest = latest_decision(conn, item).await?;
    Ok(order_refusal(
        latest.as_ref().map(|(_, q, d)| (q.as_str(), *d)),
    ))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub note: String,
}

impl OrderForm {
    fn parse(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let reference = e.check("reference", text::bounded(&self.reference, 100, true));
        let note = e.check("note", text::bounded(&self.note, 2000, false));
        match (reference, note) {
            (Some(r), Some(n)) => Ok((r, n)),
            _ => Err(e),
        }
    }
}

/// Registers an order of the item, if the gate allows it; otherwise records the refusal and
/// keeps the order waiting for prioritisation.
pub async fn create_order(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<OrderForm>,
) -> Result<Response, AppError> {
    let (reference, note) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return items::render_show(&state, chrome, &me, id, form, errors).await,
    };
    let mut tx = state.db.begin().await?;
    round_repo::lock_open(&mut tx).await?;
    let item = load_visible_item(&mut tx, id, &me, true).await?;
    let order_id = Uuid::now_v7();
    let actor = Actor::user(&me, &client);
    let gate = check_gate(&mut tx, id).await?;
    let round = gate.as_ref().ok().copied();
    sqlx::query(
        "INSERT INTO portfolio_order (id, item_id, reference, note, requested_by, round_id, registered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::uuid IS NULL THEN NULL ELSE now() END)",
    )
    .bind(order_id)
    .bind(id)
    .bind(&reference)
    .bind(&note)
    .bind(me.id)
    .bind(round)
    .execute(&mut *tx)
    .await?;
    let flash = match gate {
        Ok(_) => {
            mark_ordered(&mut tx, &actor, &item).await?;
            let entry = Entry::change(
                "order_registered",
                "portfolio_order",
                order_id.to_string(),
                "reference",
                None,
                Some(reference),
            );
            audit::repo::record(&mut tx, &actor, entry).await?;
            Flash::success(format!(
                "Beställningen av {} är registrerad.",
                item.reference()
            ))
        }
        Err(reason) => {
            let entry = Entry::change(
                "order_refused",
                "portfolio_order",
                order_id.to_string(),
                "reason",
                Some(reference),
                Some(reason.clone()),
            );
            audit::repo::record(&mut tx, &actor, entry).await?;
            Flash::error(format!(
                "{reason} Beställningen väntar nu på prioritering och visas på IT-centers startsida."
            ))
        }
    };
    tx.commit().await?;
    flash::push(&session, flash).await?;
    Ok(Redirect::to(&format!("/portfolj/{id}")).into_response())
}

/// Registers a waiting order once its item has been prioritised.
pub async fn register_order(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(order_id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let item_id: Uuid = sqlx::query_scalar(
        "SELECT item_id FROM portfolio_order WHERE id = $1 AND registered_at IS NULL FOR UPDATE",
    )
    .bind(order_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    round_repo::lock_open(&mut tx).await?;
    let item = load_visible_item(&mut tx, item_id, &me, true).await?;
    let actor = Actor::user(&me, &client);
    let flash = match check_gate(&mut tx, item_id).await? {
        Ok(round) => {
            sqlx::query(
                "UPDATE portfolio_order SET round_id = $2, registered_at = now() WHERE id = $1",
            )
            .bind(order_id)
            .bind(round)
            .execute(&mut *tx)
            .await?;
            mark_ordered(&mut tx, &actor, &item).await?;
            let entry = Entry::change(
                "order_registered",
                "portfolio_order",
                order_id.to_string(),
                "registered",
                Some("väntar".into()),
                Some("registrerad".into()),
            );
            audit::repo::record(&mut tx, &actor, entry).await?;
            Flash::success(format!(
                "Beställningen av {} är registrerad.",
                item.reference()
            ))
        }
        Err(reason) => {
            let entry = Entry::change(
                "order_refused",
                "portfolio_order",
                order_id.to_string(),
                "reason",
                None,
                Some(reason.clone()),
            );
            audit::repo::record(&mut tx, &actor, entry).await?;
            Flash::error(reason)
        }
    };
    tx.commit().await?;
    flash::push(&session, flash).await?;
    Ok(Redirect::to(&format!("/portfolj/{item_id}")).into_response())
}

async fn mark_ordered(
    conn: &mut PgConnection,
    actor: &Actor,
    item: &crate::portfolio::item_repo::Item,
) -> Result<(), AppError> {
    let status = ItemStatus::from_code(&item.status);
    if status.is_some_and(ItemStatus::is_done_or_under_way) {
        // A further order of an ordered or delivered item does not move it back.
        return Ok(());
    }
    crate::portfolio::item_repo::set_status(conn, &[item.id], ItemStatus::Ordered.code()).await?;
    // Ordered on an earlier round's authority, it no longer competes for this quarter's hours
    // and budget.
    if let Some(quarter) = round_repo::withdraw_from_open(conn, item.id).await? {
        let entry = Entry::change(
            "round_item_withdrawn",
            "round",
            item.id.to_string(),
            "agenda",
            Some(format!(
                "{} på dagordningen för {quarter}",
                item.reference()
            )),
            Some("beställd, borttagen från dagordningen".to_owned()),
        );
        audit::repo::record(conn, actor, entry).await?;
    }
    let entry = Entry::change(
        "portfolio_item_status",
        "portfolio_item",
        item.id.to_string(),
        "status",
        Some(items::label_of(&item.status).to_owned()),
        Some(ItemStatus::Ordered.label().to_owned()),
    );
    audit::repo::record(conn, actor, entry).await?;
    Ok(())
}

/// Marks an ordered item delivered: the end of its way through the portfolio.
pub async fn mark_delivered(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    me: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let item = load_visible_item(&mut tx, id, &me, true).await?;
    if item.status != ItemStatus::Ordered.code() {
        return Err(AppError::Conflict(format!(
            "{} är inte beställt och kan inte markeras som levererat.",
            item.reference()
        )));
    }
    crate::portfolio::item_repo::set_status(&mut tx, &[id], ItemStatus::Delivered.code()).await?;
    let entry = Entry::change(
        "portfolio_item_status",
        "portfolio_item",
        id.to_string(),
        "status",
        Some(ItemStatus::Ordered.label().to_owned()),
        Some(ItemStatus::Delivered.label().to_owned()),
    );
    audit::repo::record(&mut tx, &Actor::user(&me, &client), entry).await?;
    tx.commit().await?;
    flash::push(
        &session,
        Flash::success(format!("{} är markerat som levererat.", item.reference())),
    )
    .await?;
    Ok(Redirect::to(&format!("/portfolj/{id}")).into_response())
}
