//! Demo data for the embedded database: the municipalities and boards of the seed documents and
//! one account per role, all with the password `demo`. Loaded once, into an empty database, and
//! only in demo mode.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    audit::{self, Actor, repo::Entry},
    auth::password,
    domain::role::Role,
};

pub const PASSWORD: &str = "demo";

/// A demo account and what it is for.
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub title: &'static str,
    pub role: Role,
    /// The municipality (strategy group) or board (secretary, head of administration) the role
    /// is bound to.
    pub bound_to: Option<&'static str>,
    /// How the sign-in page describes the account.
    pub role_text: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    account(
        "admin@demo.portfolj.se",
        "Alva Admin",
        "Systemförvaltare",
        Role::Admin,
        None,
        "Administratör",
    ),
    account(
        "itcenter@demo.portfolj.se",
        "Ivar Isaksson",
        "Portföljsamordnare, IT-center",
        Role::ItCenter,
        None,
        "IT-center",
    ),
    account(
        "controller@demo.portfolj.se",
        "Cecilia Carlsson",
        "Controller",
        Role::Controller,
        None,
        "Controller",
    ),
    account(
        "strategi.ludvika@demo.portfolj.se",
        "Lars Lindqvist",
        "IT-strategigruppen Ludvika",
        Role::StrategyGroup,
        Some("Ludvika"),
        "IT-strategigrupp Ludvika",
    ),
    account(
        "strategi.smedjebacken@demo.portfolj.se",
        "Sara Sjöberg",
        "IT-strategigruppen Smedjebacken",
        Role::StrategyGroup,
        Some("Smedjebacken"),
        "IT-strategigrupp Smedjebacken",
    ),
    account(
        "samordning@demo.portfolj.se",
        "Saga Svensson",
        "Samordningsgruppen",
        Role::CoordinationGroup,
        None,
        "Samordningsgrupp",
    ),
    account(
        "sekreterare@demo.portfolj.se",
        "Nils Nordin",
        "Nämndsekreterare",
        Role::Secretary,
        Some("Kommunstyrelsen, Norrtälje"),
        "Nämndsekreterare",
    ),
    account(
        "sekreterare.gsn@demo.portfolj.se",
        "Greta Gustafsson",
        "Nämndsekreterare",
        Role::Secretary,
        Some("Gemensamma servicenämnden, Ludvika"),
        "Nämndsekreterare Gemensamma servicenämnden",
    ),
    account(
        "forvaltningschef@demo.portfolj.se",
        "Fredrik Falk",
        "Förvaltningschef, IT-center",
        Role::HeadOfAdministration,
        Some("Gemensamma servicenämnden, Ludvika"),
        "Förvaltningschef Gemensamma servicenämnden",
    ),
    account(
        "revisor@demo.portfolj.se",
        "Rut Rydberg",
        "Förtroendevald revisor",
        Role::Auditor,
        None,
        "Revisor/läsare",
    ),
    account(
        "revisor.huddinge@demo.portfolj.se",
        "Hugo Holm",
        "Förtroendevald revisor, Huddinge",
        Role::Auditor,
        None,
        "Revisor Huddinge (revisionens kontroller)",
    ),
];

const fn account(
    email: &'static str,
    name: &'static str,
    title: &'static str,
    role: Role,
    bound_to: Option<&'static str>,
    role_text: &'static str,
) -> DemoAccount {
    DemoAccount {
        email,
        name,
        title,
        role,
        bound_to,
        role_text,
    }
}

/// Municipalities and, for each, its boards. Gemensamma servicenämnden is hosted by Ludvika and
/// serves Smedjebacken too.
const BOARDS: &[(&str, &[&str])] = &[
    ("Ludvika", &["Kommunstyrelsen", "Gemensamma servicenämnden"]),
    ("Smedjebacken", &["Kommunstyrelsen"]),
    (
        "Norrtälje",
        &["Kommunstyrelsen", "Kommunstyrelsens arbetsutskott"],
    ),
    // Seed 004: the auditors' review of Huddinge's digitalisation and its fund.
    (
        "Huddinge",
        &["Kommunstyrelsen", "Socialnämnden", "Grundskolenämnden"],
    ),
];

/// How many demo accounts can still sign in.
pub async fn active_accounts(db: &PgPool) -> Result<i64, sqlx::Error> {
    let emails: Vec<&str> = ACCOUNTS.iter().map(|a| a.email).collect();
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM app_user WHERE active AND email = ANY($1)"#,
        &emails as &[&str]
    )
    .fetch_one(db)
    .await
}

/// Loads the demo data unless the database already has municipalities. Returns whether it did.
pub async fn load_if_empty(db: &PgPool) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    // Two servers starting on one empty database must not both load.
    sqlx::query!("LOCK TABLE municipality IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let empty =
        sqlx::query_scalar!(r#"SELECT NOT EXISTS (SELECT 1 FROM municipality) AS "empty!""#)
            .fetch_one(&mut *tx)
            .await?;
    if !empty {
        return Ok(false);
    }
    for (municipality, boards) in BOARDS {
        let id = Uuid::now_v7();
        sqlx::query!(
            "INSERT INTO municipality (id, name) VALUES ($1, $2)",
            id,
            municipality
        )
        .execute(&mut *tx)
        .await?;
        for board in *boards {
            sqlx::query!(
                "INSERT INTO board (id, name, municipality_id) VALUES ($1, $2, $3)",
                Uuid::now_v7(),
                board,
                id
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    // One hash for all: the accounts share the password anyway, and each hash costs time.
    let hash = password::hash(PASSWORD.to_owned())
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    for account in ACCOUNTS {
        insert_account(&mut tx, account, &hash).await?;
    }
    super::demo_projects::load(&mut tx).await?;
    super::demo_portfolio::load(&mut tx).await?;
    super::demo_follow_up::load(&mut tx).await?;
    super::demo_benefits::load(&mut tx).await?;
    audit::record(
        &mut tx,
        &Actor::cli("demodata"),
        Entry::event("demo_loaded", "database", None),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn insert_account(
    conn: &mut PgConnection,
    account: &DemoAccount,
    hash: &str,
) -> Result<(), sqlx::Error> {
    let user_id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO app_user (id, email, display_name, title, password_hash) \
         VALUES ($1, $2, $3, $4, $5)",
        user_id,
        account.email,
        account.name,
        account.title,
        hash
    )
    .execute(&mut *conn)
    .await?;
    // Bound roles name their municipality, or their board as "<board>, <municipality>".
    sqlx::query!(
        "INSERT INTO user_role (id, user_id, role, municipality_id, board_id) \
         SELECT $1, $2, $3, \
                (SELECT id FROM municipality WHERE $3 = $5 AND name = $4), \
                (SELECT b.id FROM board b JOIN municipality m ON m.id = b.municipality_id \
                  WHERE $3 = ANY($6) AND b.name || ', ' || m.name = $4)",
        Uuid::now_v7(),
        user_id,
        account.role.code(),
        account.bound_to,
        Role::StrategyGroup.code(),
        &[Role::Secretary.code(), Role::HeadOfAdministration.code()] as &[&str]
    )
    .execute(conn)
    .await?;
    Ok(())
}
