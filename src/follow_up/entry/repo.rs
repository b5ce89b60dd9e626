//! Every statement of the follow-up's data entry. Rows a save changes are locked first
//! (`FOR NO KEY UPDATE`, which lets other tables' foreign keys to them be checked meanwhile), so
//! the saved values a save compares the form with cannot move before it writes.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::follow_up::repo::Occasion;

/// A board with its municipality, for headings and the list of boards.
#[derive(Debug, Clone)]
pub struct Board {
    pub id: Uuid,
    pub name: String,
    pub municipality: String,
}

pub async fn boards(conn: &mut PgConnection) -> Result<Vec<Board>, sqlx::Error> {
    sqlx::query_as!(
        Board,
        "SELECT b.id, b.name, m.name AS municipality FROM board b \
         JOIN municipality m ON m.id = b.municipality_id \
         ORDER BY m.name COLLATE sv, b.name COLLATE sv"
    )
    .fetch_all(conn)
    .await
}

pub async fn board(conn: &mut PgConnection, id: Uuid) -> Result<Option<Board>, sqlx::Error> {
    sqlx::query_as!(
        Board,
        "SELECT b.id, b.name, m.name AS municipality FROM board b \
         JOIN municipality m ON m.id = b.municipality_id WHERE b.id = $1",
        id
    )
    .fetch_optional(conn)
    .await
}

/// The board, locked while its key or its projects' appropriations are saved.
pub async fn lock_board(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!("SELECT id FROM board WHERE id = $1 FOR NO KEY UPDATE", id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// An activity (verksamhet) of a board.
#[derive(Debug, Clone)]
pub struct Activity {
    pub id: Uuid,
    pub board_id: Uuid,
    pub code: String,
    pub name: String,
    pub active: bool,
}

impl Activity {
    /// "031 Digitalisering och innovation".
    pub fn title(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

pub async fn activities(
    conn: &mut PgConnection,
    board_id: Uuid,
) -> Result<Vec<Activity>, sqlx::Error> {
    sqlx::query_as!(
        Activity,
        "SELECT id, board_id, code, name, active FROM activity WHERE board_id = $1 ORDER BY code",
        board_id
    )
    .fetch_all(conn)
    .await
}

/// The board's activity `id`; locked for a save when `lock`.
pub async fn activity(
    conn: &mut PgConnection,
    board_id: Uuid,
    id: Uuid,
    lock: bool,
) -> Result<Option<Activity>, sqlx::Error> {
    if lock {
        sqlx::query_as!(
            Activity,
            "SELECT id, board_id, code, name, active FROM activity \
             WHERE board_id = $1 AND id = $2 FOR NO KEY UPDATE",
            board_id,
            id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            Activity,
            "SELECT id, board_id, code, name, active FROM activity \
             WHERE board_id = $1 AND id = $2",
            board_id,
            id
        )
        .fetch_optional(conn)
        .await
    }
}

pub async fn code_taken(
    conn: &mut PgConnection,
    board_id: Uuid,
    code: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM activity WHERE board_id = $1 AND code = $2) AS "taken!""#,
        board_id,
        code
    )
    .fetch_one(conn)
    .await
}

pub async fn insert_activity(
    conn: &mut PgConnection,
    board_id: Uuid,
    code: &str,
    name: &str,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO activity (id, board_id, code, name) VALUES ($1, $2, $3, $4)",
        id,
        board_id,
        code,
        name
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn update_activity(
    conn: &mut PgConnection,
    id: Uuid,
    name: &str,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE activity SET name = $2, active = $3 WHERE id = $1",
        id,
        name,
        active
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The occasion `id`; locked for a change when `lock`.
pub async fn occasion(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<Occasion>, sqlx::Error> {
    if lock {
        sqlx::query_as!(
            Occasion,
            "SELECT id, year, number, through_month, deadline FROM follow_up_occasion \
             WHERE id = $1 FOR NO KEY UPDATE",
            id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            Occasion,
            "SELECT id, year, number, through_month, deadline FROM follow_up_occasion WHERE id = $1",
            id
        )
        .fetch_optional(conn)
        .await
    }
}

/// The other occasions of `year` (all but `except`).
pub async fn other_occasions(
    conn: &mut PgConnection,
    year: i32,
    except: Option<Uuid>,
) -> Result<Vec<Occasion>, sqlx::Error> {
    sqlx::query_as!(
        Occasion,
        "SELECT id, year, number, through_month, deadline FROM follow_up_occasion \
         WHERE year = $1 AND ($2::uuid IS NULL OR id <> $2) ORDER BY number",
        year,
        except
    )
    .fetch_all(conn)
    .await
}

/// Whether a board's report at the occasion is decided.
pub async fn has_decided_report(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM follow_up WHERE occasion_id = $1 AND status = 'decided')
           AS "decided!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// Whether a board's report at the occasion holds its period: it is submitted or decided, or
/// has proposals to carry appropriations over to the next year.
pub async fn period_held(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM follow_up f WHERE f.occasion_id = $1
               AND (f.status <> 'in_progress'
                    OR EXISTS (SELECT 1 FROM carry_over c WHERE c.follow_up_id = f.id)))
           AS "held!""#,
        id
    )
    .fetch_one(conn)
    .await
}

/// An occasion's settings as typed: year, number, last month, deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccasionInput {
    pub year: i32,
    pub number: i32,
    pub through_month: i32,
    pub deadline: NaiveDate,
}

pub async fn insert_occasion(
    conn: &mut PgConnection,
    o: &OccasionInput,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO follow_up_occasion (id, year, number, through_month, deadline) \
         VALUES ($1, $2, $3, $4, $5)",
        id,
        o.year,
        o.number,
        o.through_month,
        o.deadline
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn update_occasion(
    conn: &mut PgConnection,
    id: Uuid,
    o: &OccasionInput,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE follow_up_occasion SET year = $2, number = $3, through_month = $4, deadline = $5 \
         WHERE id = $1",
        id,
        o.year,
        o.number,
        o.through_month,
        o.deadline
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A municipality that may be in the board's key for a year, with its saved percent.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    pub percent: Option<Decimal>,
}

/// The board's members and their percent of `year`. A board has no member list of its own: its
/// members are its (host) municipality and the municipalities its projects serve (their
/// allocation keys), plus any municipality already in a key of the year.
pub async fn members(
    conn: &mut PgConnection,
    board_id: Uuid,
    year: i32,
) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as!(
        Member,
        r#"WITH ids AS (
               SELECT municipality_id AS id FROM board WHERE id = $1
               UNION SELECT pm.municipality_id FROM project_municipality pm
                     JOIN project p ON p.id = pm.project_id WHERE p.board_id = $1
               UNION SELECT municipality_id FROM member_key WHERE board_id = $1 AND year = $2)
           SELECT m.id, m.name, k.percent AS "percent?"
           FROM ids JOIN municipality m ON m.id = ids.id
           LEFT JOIN member_key k ON k.board_id = $1 AND k.year = $2 AND k.municipality_id = m.id
           ORDER BY m.name COLLATE sv"#,
        board_id,
        year
    )
    .fetch_all(conn)
    .await
}

/// Whether the board is joint: shared by more than one municipality, so its result is split by
/// a members' key. Its members are as on the key's form: its own municipality, those its
/// projects serve and any in a key of any year.
pub async fn is_joint(conn: &mut PgConnection, board_id: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) > 1 AS "joint!" FROM (
               SELECT municipality_id FROM board WHERE id = $1
               UNION SELECT pm.municipality_id FROM project_municipality pm
                     JOIN project p ON p.id = pm.project_id WHERE p.board_id = $1
               UNION SELECT municipality_id FROM member_key WHERE board_id = $1) members"#,
        board_id
    )
    .fetch_one(conn)
    .await
}

/// Sets (or with `None` removes) a municipality's percent in the board's key of `year`.
pub async fn set_member_percent(
    conn: &mut PgConnection,
    (board_id, year): (Uuid, i32),
    municipality_id: Uuid,
    percent: Option<Decimal>,
) -> Result<(), sqlx::Error> {
    match percent {
        Some(percent) => sqlx::query!(
            "INSERT INTO member_key (board_id, year, municipality_id, percent) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (board_id, year, municipality_id) \
             DO UPDATE SET percent = EXCLUDED.percent",
            board_id,
            year,
            municipality_id,
            percent
        )
        .execute(conn)
        .await
        .map(|_| ()),
        None => sqlx::query!(
            "DELETE FROM member_key WHERE board_id = $1 AND year = $2 AND municipality_id = $3",
            board_id,
            year,
            municipality_id
        )
        .execute(conn)
        .await
        .map(|_| ()),
    }
}

/// A project of the board with its appropriation of a year, if it has one.
#[derive(Debug, Clone)]
pub struct ProjectYear {
    pub id: Uuid,
    pub name: String,
    pub project_number: Option<String>,
    pub annual_budget: Option<Decimal>,
    pub extra_granted: Option<Decimal>,
}

impl ProjectYear {
    /// "0003-0365 Nytt ekonomisystem", or the name alone.
    pub fn title(&self) -> String {
        match &self.project_number {
            Some(n) => format!("{n} {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Every project of the board, with its own appropriation of `year`.
pub async fn project_years(
    conn: &mut PgConnection,
    board_id: Uuid,
    year: i32,
) -> Result<Vec<ProjectYear>, sqlx::Error> {
    sqlx::query_as!(
        ProjectYear,
        r#"SELECT p.id, p.name, p.project_number,
                  y.annual_budget AS "annual_budget?", y.extra_granted AS "extra_granted?"
           FROM project p
           LEFT JOIN project_year y ON y.project_id = p.id AND y.year = $2
           WHERE p.board_id = $1
           ORDER BY p.project_number NULLS LAST, p.name COLLATE sv"#,
        board_id,
        year
    )
    .fetch_all(conn)
    .await
}

/// Sets (or with `None` removes) a project's appropriation of `year`.
pub async fn set_project_year(
    conn: &mut PgConnection,
    project_id: Uuid,
    year: i32,
    figures: Option<(Decimal, Decimal)>,
) -> Result<(), sqlx::Error> {
    match figures {
        Some((annual, extra)) => sqlx::query!(
            "INSERT INTO project_year (project_id, year, annual_budget, extra_granted) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, year) \
             DO UPDATE SET annual_budget = EXCLUDED.annual_budget, \
                           extra_granted = EXCLUDED.extra_granted",
            project_id,
            year,
            annual,
            extra
        )
        .execute(conn)
        .await
        .map(|_| ()),
        None => sqlx::query!(
            "DELETE FROM project_year WHERE project_id = $1 AND year = $2",
            project_id,
            year
        )
        .execute(conn)
        .await
        .map(|_| ()),
    }
}
