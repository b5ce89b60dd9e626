//! Who reads and who writes which board's follow-up. Controllers, IT-center, the coordination
//! group and auditors read every board's; a secretary or a head of administration (with no other
//! reading role) only their own boards'. Controllers write the figures and text; the head of
//! administration of the board approves its action-plan measures; the board's secretary records
//! the decision. The route table admits the roles; this adds the board's scope, in one place.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::{follow_up::FollowUpStatus, role::Role},
    follow_up::report::{self, Report},
    web::{Access, AppError, CurrentUser},
};

/// The roles that read follow-ups (the route table's gate and the start page's panel).
pub const READERS: Access = Access::Roles(&[
    Role::Controller,
    Role::ItCenter,
    Role::CoordinationGroup,
    Role::Secretary,
    Role::HeadOfAdministration,
    Role::Auditor,
]);

/// The reading roles bound to boards; the others read every board's follow-up.
const BOARD_BOUND: [Role; 2] = [Role::Secretary, Role::HeadOfAdministration];

fn holds_for(me: &CurrentUser, role: Role, board: Uuid) -> bool {
    me.grants
        .iter()
        .any(|g| g.role == role && g.board_id == Some(board))
}

/// Whether every reading role `me` holds is bound to boards.
fn reads_only_own_boards(me: &CurrentUser) -> bool {
    !me.grants
        .iter()
        .any(|g| !BOARD_BOUND.contains(&g.role) && READERS.admits_role(g.role))
}

pub fn may_read(me: &CurrentUser, board: Uuid) -> bool {
    !reads_only_own_boards(me) || BOARD_BOUND.iter().any(|r| holds_for(me, *r, board))
}

pub fn check_read(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    allow(may_read(me, board))
}

/// The report of `board` at `occasion` for a user who may read it: an unknown one is not found
/// (404) before another board's is forbidden (403).
pub async fn readable_report(
    conn: &mut PgConnection,
    me: &CurrentUser,
    (occasion, board): (Uuid, Uuid),
) -> Result<Report, AppError> {
    let report = report::load(conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    check_read(me, board)?;
    Ok(report)
}

/// The boards a user's overview is limited to: their own when they read only those, else none
/// (all boards).
pub fn board_scope(me: &CurrentUser) -> Option<Vec<Uuid>> {
    reads_only_own_boards(me).then(|| me.grants.iter().filter_map(|g| g.board_id).collect())
}

/// Why a report that is submitted or decided cannot be edited.
pub const NOT_IN_PROGRESS: &str = "Rapporten är inlämnad eller beslutad och kan inte ändras. En inlämnad rapport kan återtas; i en beslutad rättas texten med angiven anledning.";

/// Whether a report with `status` (none: not started) is still being drafted: its forecasts,
/// text and action plan change only then.
pub fn editable(status: Option<FollowUpStatus>) -> bool {
    matches!(status, None | Some(FollowUpStatus::InProgress))
}

/// Controllers write the forecasts, comments, measures and text of every board's report.
pub fn may_write(me: &CurrentUser, _board: Uuid) -> bool {
    me.has_role(Role::Controller)
}

pub fn check_write(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    allow(may_write(me, board))
}

/// The board's head of administration approves its action-plan measures.
pub fn may_approve(me: &CurrentUser, board: Uuid) -> bool {
    holds_for(me, Role::HeadOfAdministration, board)
}

pub fn check_approve(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    allow(may_approve(me, board))
}

/// The board's secretary records the board's decision on the report.
pub fn may_decide(me: &CurrentUser, board: Uuid) -> bool {
    holds_for(me, Role::Secretary, board)
}

pub fn check_decide(me: &CurrentUser, board: Uuid) -> Result<(), AppError> {
    allow(may_decide(me, board))
}

fn allow(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}
