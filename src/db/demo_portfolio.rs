//! Demo digitalisation portfolio for Ludvika and Smedjebacken (seed 002): 44 items across the
//! four plans, among them the seed's projects 0003-0365, 0005 and 0010; a decided round 2026-Q3
//! that is the authority on orders; and the round 2026-Q4 at its prioritisation meeting, with
//! both strategy groups' submitted reviews and a ranking the coordination group has begun.

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// Who asked for an item.
#[derive(Clone, Copy)]
enum Asked {
    Ludvika,
    Smedjebacken,
    Both,
    /// Concerns every member; no municipality in particular.
    All,
}

struct DemoItem {
    title: &'static str,
    plan: &'static str,
    asked: Asked,
    unit: &'static str,
    kind: &'static str,
    complexity: (&'static str, &'static str),
    hours: i32,
    investment: i64,
    running_cost: i64,
    /// Citizen benefit, efficiency, legal/security necessity, strategic fit: 0–5.
    scores: [i16; 4],
    /// The project number of the investment project, when there is one.
    project: Option<&'static str>,
    /// Numbers (1-based positions in [`ITEMS`]) of the items this one depends on.
    depends_on: &'static [i32],
}

// One row of the demo table; the arguments are its columns.
#[allow(clippy::too_many_arguments)]
const fn item(
    title: &'static str,
    plan: &'static str,
    asked: Asked,
    unit: &'static str,
    kind: &'static str,
    complexity: (&'static str, &'static str),
    figures: (i32, i64, i64),
    scores: [i16; 4],
    project: Option<&'static str>,
    depends_on: &'static [i32],
) -> DemoItem {
    DemoItem {
        title,
        plan,
        asked,
        unit,
        kind,
        complexity,
        hours: figures.0,
        investment: figures.1,
        running_cost: figures.2,
        scores,
        project,
        depends_on,
    }
}

const D: &str = "digitalisation";
const V: &str = "business_systems";
const T: &str = "service_catalogue";
const I: &str = "infrastructure";
const LOW: (&str, &str) = ("low", "");
const MEDIUM: (&str, &str) = ("medium", "");
use Asked::{All, Both, Ludvika as L, Smedjebacken as S};

const ITEMS: &[DemoItem] = &[
    item(
        "E-tjänst för ansökan om bygglov",
        D,
        L,
        "Samhällsbyggnadsförvaltningen",
        "new_need",
        MEDIUM,
        (320, 250_000, 40_000),
        [5, 4, 1, 3],
        None,
        &[],
    ),
    item(
        "Digital signering av avtal",
        D,
        Both,
        "Kommunledningsförvaltningarna",
        "new_need",
        LOW,
        (120, 60_000, 35_000),
        [2, 5, 1, 3],
        None,
        &[],
    ),
    item(
        "Chattbot för kontaktcenter",
        D,
        S,
        "Kontaktcenter",
        "new_need",
        (
            "high",
            "Integration med ärendesystemet och upphandling av AI-tjänst med personuppgifter.",
        ),
        (600, 400_000, 120_000),
        [4, 4, 0, 3],
        None,
        &[],
    ),
    item(
        "Digitala tillsynsbesök i hemtjänsten",
        D,
        L,
        "Vård- och omsorgsförvaltningen",
        "new_need",
        MEDIUM,
        (280, 180_000, 60_000),
        [5, 3, 1, 4],
        None,
        &[],
    ),
    item(
        "Öppna data-portal",
        D,
        S,
        "Kommunstyrelseförvaltningen",
        "change",
        LOW,
        (90, 40_000, 20_000),
        [3, 1, 1, 4],
        None,
        &[],
    ),
    item(
        "Automatiserad fakturahantering (RPA)",
        D,
        Both,
        "Ekonomiavdelningarna",
        "new_need",
        MEDIUM,
        (240, 150_000, 50_000),
        [0, 5, 0, 3],
        None,
        &[],
    ),
    item(
        "Vårdnadshavarapp i skolplattformen",
        D,
        L,
        "Barn- och utbildningsförvaltningen",
        "change",
        MEDIUM,
        (200, 90_000, 30_000),
        [4, 3, 1, 3],
        None,
        &[],
    ),
    item(
        "Självservice för lösenordsbyte",
        D,
        All,
        "IT-center",
        "new_need",
        LOW,
        (80, 30_000, 10_000),
        [1, 4, 2, 2],
        None,
        &[],
    ),
    item(
        "Tidsbokning för invånare",
        D,
        S,
        "Kontaktcenter",
        "new_need",
        LOW,
        (100, 45_000, 15_000),
        [4, 2, 0, 2],
        None,
        &[],
    ),
    item(
        "E-arkiv: anslutning av socialtjänstens system",
        D,
        Both,
        "Socialförvaltningarna",
        "change",
        (
            "high",
            "Många verksamhetssystem och gallringsregler per handlingstyp.",
        ),
        (450, 300_000, 60_000),
        [1, 3, 4, 3],
        None,
        &[14],
    ),
    item(
        "Uppgradering av ekonomisystemet",
        V,
        Both,
        "Ekonomiavdelningarna",
        "maintenance",
        MEDIUM,
        (300, 200_000, 0),
        [0, 3, 3, 2],
        None,
        &[],
    ),
    item(
        "Byte av verksamhetssystem för socialtjänsten",
        V,
        L,
        "Socialförvaltningen",
        "new_need",
        (
            "high",
            "Upphandling enligt LOU och migrering av tjugo års ärenden.",
        ),
        (900, 1_800_000, 450_000),
        [3, 4, 3, 3],
        None,
        &[],
    ),
    item(
        "Ny version av skoladministrativt system",
        V,
        S,
        "Barn- och utbildningsförvaltningen",
        "maintenance",
        MEDIUM,
        (160, 80_000, 0),
        [2, 2, 3, 1],
        None,
        &[],
    ),
    item(
        "Gemensamt e-arkiv – etapp 2",
        V,
        Both,
        "Arkiven",
        "change",
        (
            "high",
            "Leveranser från åtta system; mottagande arkiv i båda kommunerna.",
        ),
        (500, 600_000, 120_000),
        [2, 3, 4, 4],
        Some("0012"),
        &[],
    ),
    item(
        "Avveckling av det gamla lönesystemet",
        V,
        Both,
        "HR-avdelningarna",
        "maintenance",
        LOW,
        (120, 0, 0),
        [0, 3, 2, 1],
        None,
        &[],
    ),
    item(
        "Integration mellan HR-system och behörighetssystem",
        V,
        Both,
        "HR-avdelningarna",
        "change",
        MEDIUM,
        (220, 90_000, 25_000),
        [0, 4, 4, 2],
        None,
        &[],
    ),
    item(
        "Uppgradering av GIS-plattformen",
        V,
        L,
        "Samhällsbyggnadsförvaltningen",
        "maintenance",
        MEDIUM,
        (180, 120_000, 30_000),
        [2, 2, 1, 2],
        None,
        &[],
    ),
    item(
        "Säkerhetsuppdatering av elevhälsans journalsystem",
        V,
        S,
        "Elevhälsan",
        "mandatory",
        LOW,
        (60, 20_000, 0),
        [1, 1, 5, 1],
        None,
        &[],
    ),
    item(
        "Bibliotekssystem med ny leverantör",
        V,
        Both,
        "Biblioteken",
        "new_need",
        MEDIUM,
        (200, 150_000, 40_000),
        [3, 1, 1, 2],
        None,
        &[],
    ),
    item(
        "Gallring enligt dataskyddsförordningen i diariet",
        V,
        L,
        "Kommunledningsförvaltningen",
        "mandatory",
        (
            "medium",
            "Gallringsregler måste beslutas innan de kan byggas in.",
        ),
        (140, 50_000, 0),
        [1, 1, 5, 2],
        None,
        &[],
    ),
    item(
        "Digital arbetsplats (0003-0365): flytt till O365",
        T,
        Both,
        "IT-center",
        "change",
        (
            "high",
            "Flytten är pausad av dataskyddsskäl, som i flera andra kommuner; kräver ny riskbedömning.",
        ),
        (800, 2_000_000, 400_000),
        [2, 4, 1, 4],
        Some("0003-0365"),
        &[],
    ),
    item(
        "Mobil enhetshantering",
        T,
        All,
        "IT-center",
        "new_need",
        MEDIUM,
        (260, 150_000, 90_000),
        [1, 3, 4, 3],
        None,
        &[],
    ),
    item(
        "Utökad IT-support kvällstid",
        T,
        All,
        "IT-center",
        "change",
        LOW,
        (120, 0, 300_000),
        [4, 2, 0, 2],
        None,
        &[],
    ),
    item(
        "Skrivartjänst, ny avtalsperiod",
        T,
        All,
        "IT-center",
        "maintenance",
        LOW,
        (80, 0, 250_000),
        [1, 2, 2, 1],
        None,
        &[],
    ),
    item(
        "Självbetjäningsportal för IT-beställningar",
        T,
        All,
        "IT-center",
        "new_need",
        MEDIUM,
        (240, 120_000, 30_000),
        [1, 4, 0, 3],
        None,
        &[],
    ),
    item(
        "Videomöten för nämndsammanträden",
        T,
        Both,
        "Kansliavdelningarna",
        "new_need",
        LOW,
        (100, 80_000, 40_000),
        [3, 3, 1, 3],
        None,
        &[],
    ),
    item(
        "Elevdatorer 1:1, nytt avtal",
        T,
        S,
        "Barn- och utbildningsförvaltningen",
        "maintenance",
        MEDIUM,
        (200, 900_000, 0),
        [4, 2, 1, 3],
        None,
        &[],
    ),
    item(
        "Fiberstam kärnnätverk (0005): slutförande",
        I,
        Both,
        "IT-center",
        "maintenance",
        ("medium", "Försenat av leveransproblem för komponenter."),
        (300, 900_000, 0),
        [2, 3, 3, 3],
        Some("0005"),
        &[],
    ),
    item(
        "Utbyggnad trådlöst nät (0010): skolor etapp 3",
        I,
        Both,
        "IT-center",
        "change",
        MEDIUM,
        (260, 700_000, 20_000),
        [4, 2, 2, 3],
        Some("0010"),
        &[],
    ),
    item(
        "Flytt till nytt datacenter",
        I,
        All,
        "IT-center",
        "new_need",
        (
            "high",
            "Befintligt datacenter saknar kapacitet; flytten berör alla system.",
        ),
        (1200, 2_500_000, 300_000),
        [1, 3, 4, 4],
        None,
        &[],
    ),
    item(
        "Multifaktorautentisering för alla anställda",
        I,
        All,
        "IT-center",
        "mandatory",
        MEDIUM,
        (240, 150_000, 80_000),
        [1, 2, 5, 3],
        None,
        &[],
    ),
    item(
        "Oföränderliga säkerhetskopior",
        I,
        All,
        "IT-center",
        "mandatory",
        MEDIUM,
        (160, 300_000, 60_000),
        [0, 1, 5, 2],
        None,
        &[],
    ),
    item(
        "Logghantering och säkerhetsövervakning (SIEM)",
        I,
        All,
        "IT-center",
        "new_need",
        (
            "high",
            "Kräver loggkällor från alla system och bemanning av larm.",
        ),
        (400, 500_000, 150_000),
        [0, 2, 5, 3],
        None,
        &[],
    ),
    item(
        "Uppgradering av brandväggar",
        I,
        All,
        "IT-center",
        "maintenance",
        MEDIUM,
        (120, 400_000, 40_000),
        [0, 1, 4, 2],
        None,
        &[],
    ),
    item(
        "Segmentering av nätverket",
        I,
        All,
        "IT-center",
        "change",
        (
            "high",
            "Kräver inventering av alla system och deras kommunikation.",
        ),
        (500, 200_000, 0),
        [0, 1, 5, 3],
        None,
        &[34],
    ),
    item(
        "Livscykelbyte av servrar",
        I,
        All,
        "IT-center",
        "maintenance",
        LOW,
        (160, 600_000, 0),
        [0, 2, 3, 1],
        None,
        &[30],
    ),
    item(
        "Incidentrutiner enligt NIS2",
        I,
        All,
        "IT-center",
        "mandatory",
        LOW,
        (100, 0, 0),
        [1, 1, 5, 2],
        None,
        &[],
    ),
    item(
        "IPv6 i kärnnätet",
        I,
        All,
        "IT-center",
        "change",
        MEDIUM,
        (200, 100_000, 0),
        [0, 1, 2, 2],
        None,
        &[28],
    ),
    item(
        "Trådlöst nät i särskilda boenden",
        I,
        L,
        "Vård- och omsorgsförvaltningen",
        "new_need",
        MEDIUM,
        (180, 350_000, 15_000),
        [4, 3, 1, 3],
        None,
        &[29],
    ),
    item(
        "Reservkraft i nodhallar",
        I,
        S,
        "IT-center",
        "new_need",
        MEDIUM,
        (80, 250_000, 5_000),
        [2, 1, 4, 2],
        None,
        &[],
    ),
    // Decided in 2026-Q3.
    item(
        "Windows 11 på alla klienter",
        T,
        All,
        "IT-center",
        "maintenance",
        MEDIUM,
        (400, 0, 0),
        [1, 2, 4, 2],
        None,
        &[],
    ),
    item(
        "E-tjänst för skolskjuts",
        D,
        L,
        "Barn- och utbildningsförvaltningen",
        "new_need",
        LOW,
        (140, 70_000, 20_000),
        [5, 3, 1, 3],
        None,
        &[],
    ),
    item(
        "Trådlöst nät i Smedjebackens bibliotek",
        I,
        S,
        "Biblioteket",
        "new_need",
        LOW,
        (60, 120_000, 5_000),
        [4, 1, 0, 2],
        None,
        &[],
    ),
    item(
        "Ny telefonväxel",
        T,
        Both,
        "Kontaktcenter",
        "new_need",
        MEDIUM,
        (300, 800_000, 200_000),
        [2, 2, 1, 2],
        None,
        &[],
    ),
];

/// The Q3 agenda: (item number, rank, decision, reason).
const Q3: &[(i32, Option<i32>, &str, &str)] = &[
    (
        41,
        Some(1),
        "prioritised",
        "Windows 10 saknar säkerhetsuppdateringar efter oktober 2025.",
    ),
    (42, Some(2), "prioritised", ""),
    (43, Some(3), "prioritised", ""),
    (
        12,
        Some(4),
        "postponed",
        "Förstudien blir klar först under hösten; tas upp igen i 2026-Q4.",
    ),
    (30, Some(5), "postponed", "Ryms inte inom omgångens ramar."),
    (3, Some(6), "postponed", "Ryms inte inom omgångens ramar."),
    (
        44,
        None,
        "rejected",
        "Ersätts av den gemensamma upphandlingen av kommunikationstjänster 2027.",
    ),
];

/// The coordination group's ranking so far in 2026-Q4, by item number; the rest are unranked.
const Q4_RANKING: &[i32] = &[
    31, 32, 37, 18, 20, 28, 14, 1, 4, 29, 12, 2, 16, 11, 22, 10, 6, 7, 34, 35, 33, 30, 26, 9, 21,
    13, 23, 8, 36, 39, 40, 25, 15, 5, 17,
];

/// Submitted review notes: (municipality, item, recommended rank, must have, comment).
const NOTES: &[(&str, i32, Option<i32>, bool, &str)] = &[
    (
        "Ludvika",
        12,
        Some(1),
        true,
        "Nuvarande avtal löper ut 2027-12-31; upphandlingen måste starta nu.",
    ),
    (
        "Ludvika",
        1,
        Some(2),
        false,
        "Stor efterfrågan från invånare och företag; minskar kompletteringar.",
    ),
    (
        "Ludvika",
        4,
        Some(3),
        false,
        "Ger kortare restider för hemtjänsten.",
    ),
    (
        "Ludvika",
        31,
        Some(4),
        true,
        "Krav från försäkringsbolaget efter incidenten i våras.",
    ),
    (
        "Ludvika",
        20,
        None,
        true,
        "Dataskyddsombudet bedömer att gallringen är ett lagkrav.",
    ),
    (
        "Ludvika",
        21,
        None,
        false,
        "Avvakta den nationella vägledningen om molntjänster innan flytten återupptas.",
    ),
    (
        "Ludvika",
        39,
        Some(5),
        false,
        "Personalen på boendena saknar täckning i dag.",
    ),
    ("Ludvika", 3, None, false, "Inte aktuellt för Ludvika i år."),
    (
        "Smedjebacken",
        27,
        Some(1),
        true,
        "Elevdatorerna är fyra år gamla; garantin har gått ut.",
    ),
    ("Smedjebacken", 31, Some(2), true, "Stöds fullt ut."),
    (
        "Smedjebacken",
        3,
        Some(3),
        false,
        "Kontaktcentret vill pröva i liten skala först.",
    ),
    (
        "Smedjebacken",
        40,
        Some(4),
        false,
        "Två strömavbrott i vintras slog ut nätet i Söderbärke.",
    ),
    (
        "Smedjebacken",
        14,
        Some(5),
        false,
        "Arkivet behöver etapp 2 för att kunna ta emot leveranser.",
    ),
    (
        "Smedjebacken",
        21,
        None,
        false,
        "Samma bedömning som Ludvika: avvakta.",
    ),
];

fn kr(amount: i64) -> Decimal {
    Decimal::from(amount)
}

/// Inserts the items, the decided round 2026-Q3 and the round 2026-Q4 at its meeting.
pub async fn load(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let mut ids = Vec::with_capacity(ITEMS.len());
    for item in ITEMS {
        ids.push(insert_item(conn, item).await?);
    }
    for (item, depends) in ITEMS.iter().zip(&ids) {
        for on in item.depends_on {
            sqlx::query(
                "INSERT INTO portfolio_item_dependency (item_id, depends_on_id) \
                 SELECT $1, id FROM portfolio_item WHERE number = $2",
            )
            .bind(depends)
            .bind(on)
            .execute(&mut *conn)
            .await?;
        }
    }
    let q3 = Uuid::now_v7();
    insert_round(
        conn,
        q3,
        "2026-Q3",
        (2_600, 3_200_000),
        ("2026-08-28", "2026-09-10"),
    )
    .await?;
    for (number, rank, _, _) in Q3 {
        add_to_round(conn, q3, *number, *rank).await?;
    }
    decide_q3(conn, q3).await?;
    insert_orders(conn, q3).await?;
    let q4 = Uuid::now_v7();
    insert_round(
        conn,
        q4,
        "2026-Q4",
        (3_000, 4_500_000),
        ("2026-11-20", "2026-12-03"),
    )
    .await?;
    sqlx::query(
        "INSERT INTO round_item (round_id, item_id) SELECT $1, id FROM portfolio_item \
         WHERE status IN ('proposed', 'postponed', 'prioritised')",
    )
    .bind(q4)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE portfolio_item SET status = 'in_round' \
         WHERE status IN ('proposed', 'postponed', 'prioritised')",
    )
    .execute(&mut *conn)
    .await?;
    for (rank, number) in (1..).zip(Q4_RANKING) {
        sqlx::query(
            "UPDATE round_item SET rank = $3 WHERE round_id = $1 \
             AND item_id = (SELECT id FROM portfolio_item WHERE number = $2)",
        )
        .bind(q4)
        .bind(number)
        .bind(rank)
        .execute(&mut *conn)
        .await?;
    }
    insert_reviews(conn, q4).await?;
    sqlx::query("UPDATE round SET phase = 'meeting', ranking_version = 2 WHERE id = $1")
        .bind(q4)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_item(conn: &mut PgConnection, item: &DemoItem) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO portfolio_item (id, title, plan, unit, contact, kind, complexity, \
         complexity_reason, effort_hours, investment, running_cost, score_citizen, \
         score_efficiency, score_necessity, score_strategy, project_id, description) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                 (SELECT id FROM project WHERE project_number = $16), $17)",
    )
    .bind(id)
    .bind(item.title)
    .bind(item.plan)
    .bind(item.unit)
    .bind(if item.unit == "IT-center" {
        "Anna Källsved"
    } else {
        ""
    })
    .bind(item.kind)
    .bind(item.complexity.0)
    .bind(item.complexity.1)
    .bind(item.hours)
    .bind(kr(item.investment))
    .bind(kr(item.running_cost))
    .bind(item.scores[0])
    .bind(item.scores[1])
    .bind(item.scores[2])
    .bind(item.scores[3])
    .bind(item.project)
    .bind(format!("Behov från {}.", item.unit))
    .execute(&mut *conn)
    .await?;
    let municipalities: &[&str] = match item.asked {
        Asked::Ludvika => &["Ludvika"],
        Asked::Smedjebacken => &["Smedjebacken"],
        Asked::Both => &["Ludvika", "Smedjebacken"],
        Asked::All => &[],
    };
    sqlx::query(
        "INSERT INTO portfolio_item_municipality (item_id, municipality_id) \
         SELECT $1, id FROM municipality WHERE name = ANY($2)",
    )
    .bind(id)
    .bind(municipalities)
    .execute(&mut *conn)
    .await?;
    // Items serve the council goal of the municipalities that asked (or of both, when shared).
    sqlx::query(
        "INSERT INTO portfolio_item_council_goal (item_id, council_goal_id) \
         SELECT $1, g.id FROM council_goal g JOIN municipality m ON m.id = g.municipality_id \
         WHERE m.name = ANY($2) AND $3 >= 3",
    )
    .bind(id)
    .bind(if municipalities.is_empty() {
        &["Ludvika", "Smedjebacken"][..]
    } else {
        municipalities
    })
    .bind(item.scores[3])
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

async fn insert_round(
    conn: &mut PgConnection,
    id: Uuid,
    quarter: &str,
    (hours, budget): (i32, i64),
    (deadline, meeting): (&str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO round (id, quarter, hours_capacity, budget, review_deadline, meeting_date, \
         weight_citizen, weight_efficiency, weight_necessity, weight_strategy) \
         VALUES ($1, $2, $3, $4, $5::date, $6::date, 30, 25, 30, 15)",
    )
    .bind(id)
    .bind(quarter)
    .bind(hours)
    .bind(kr(budget))
    .bind(deadline)
    .bind(meeting)
    .execute(conn)
    .await?;
    Ok(())
}

async fn add_to_round(
    conn: &mut PgConnection,
    round: Uuid,
    number: i32,
    rank: Option<i32>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO round_item (round_id, item_id, rank) \
         SELECT $1, id, $3 FROM portfolio_item WHERE number = $2",
    )
    .bind(round)
    .bind(number)
    .bind(rank)
    .execute(conn)
    .await?;
    Ok(())
}

/// Decides 2026-Q3 the way the decision form does: decisions, frozen figures, item statuses.
async fn decide_q3(conn: &mut PgConnection, round: Uuid) -> Result<(), sqlx::Error> {
    for (number, _, decision, reason) in Q3 {
        let quarter = (*decision == "prioritised").then_some("2026-Q3");
        sqlx::query(&format!(
            "UPDATE round_item ri SET decision = $3, decision_quarter = $4, decision_reason = $5, \
                 snapshot = (SELECT {} FROM round_agenda a \
                             WHERE a.round_id = ri.round_id AND a.item_id = ri.item_id) \
             WHERE ri.round_id = $1 AND ri.item_id = (SELECT id FROM portfolio_item WHERE number = $2)",
            crate::portfolio::decision::repo::SNAPSHOT
        ))
        .bind(round)
        .bind(number)
        .bind(decision)
        .bind(quarter)
        .bind(reason)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE portfolio_item SET status = $2 WHERE number = $1")
            .bind(number)
            .bind(decision)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "UPDATE round SET phase = 'decided', decided_at = '2026-09-10 15:00+02', \
         decided_by_label = 'Saga Svensson <samordning@demo.portfolj.se>', \
         decided_by = (SELECT id FROM app_user WHERE email = 'samordning@demo.portfolj.se') \
         WHERE id = $1",
    )
    .bind(round)
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_reviews(conn: &mut PgConnection, round: Uuid) -> Result<(), sqlx::Error> {
    for (municipality, email, at) in [
        (
            "Ludvika",
            "strategi.ludvika@demo.portfolj.se",
            "2026-11-18 10:30+01",
        ),
        (
            "Smedjebacken",
            "strategi.smedjebacken@demo.portfolj.se",
            "2026-11-19 14:05+01",
        ),
    ] {
        sqlx::query(
            "INSERT INTO review (round_id, municipality_id, submitted_at, submitted_by) \
             SELECT $1, m.id, $3::timestamptz, u.id FROM municipality m, app_user u \
             WHERE m.name = $2 AND u.email = $4",
        )
        .bind(round)
        .bind(municipality)
        .bind(at)
        .bind(email)
        .execute(&mut *conn)
        .await?;
    }
    for (municipality, number, rank, must, comment) in NOTES {
        sqlx::query(
            "INSERT INTO review_note (round_id, municipality_id, item_id, comment, recommended_rank, must_have) \
             SELECT $1, m.id, i.id, $4, $5, $6 FROM municipality m, portfolio_item i \
             WHERE m.name = $2 AND i.number = $3",
        )
        .bind(round)
        .bind(municipality)
        .bind(number)
        .bind(comment)
        .bind(rank)
        .bind(must)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Windows 11 ordered and delivered, the school transport e-service ordered, and an order of
/// the paused digital workplace that the gate refused and that waits for prioritisation. The
/// library's wireless network, prioritised in 2026-Q3, is not ordered yet: it is on 2026-Q4's
/// agenda and may be ordered meanwhile.
async fn insert_orders(conn: &mut PgConnection, q3: Uuid) -> Result<(), sqlx::Error> {
    for (number, reference, registered, status) in [
        (41, "BE-2026-0412", true, Some("delivered")),
        (42, "BE-2026-0431", true, Some("ordered")),
        (21, "BE-2026-0467", false, None),
    ] {
        sqlx::query(
            "INSERT INTO portfolio_order (id, item_id, reference, requested_by, requested_at, round_id, registered_at) \
             SELECT $1, i.id, $3, u.id, '2026-10-05 09:00+02', \
                    CASE WHEN $4 THEN $5::uuid END, CASE WHEN $4 THEN '2026-10-05 09:00+02'::timestamptz END \
             FROM portfolio_item i, app_user u WHERE i.number = $2 AND u.email = 'itcenter@demo.portfolj.se'",
        )
        .bind(Uuid::now_v7())
        .bind(number)
        .bind(reference)
        .bind(registered)
        .bind(q3)
        .execute(&mut *conn)
        .await?;
        if let Some(status) = status {
            sqlx::query("UPDATE portfolio_item SET status = $2 WHERE number = $1")
                .bind(number)
                .bind(status)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}
