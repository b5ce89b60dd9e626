//! Demo investment projects. The first is seed 000 exactly (Norrtälje's "Nytt beslut- och
//! ledningsstödsystem", Dnr KS 2020-339): its five effect goals, its seven budget lines and
//! outcome entries that add up to the seed's figures. The others give the list something to
//! filter and sort, including a project shared between Ludvika and Smedjebacken.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// A budget line: category, sub-entity (name, short name, excluded), budget, outcome entries
/// (`YYYY-MM`, amount).
type DemoLine = (
    &'static str,
    Option<(&'static str, &'static str, bool)>,
    i64,
    &'static [(&'static str, i64)],
);

/// An effect goal: goal, indicator, target value and unit, assessment, result text.
type DemoGoal = (
    &'static str,
    &'static str,
    Option<(i64, &'static str)>,
    &'static str,
    &'static str,
);

struct DemoProject {
    name: &'static str,
    case_number: &'static str,
    project_number: Option<&'static str>,
    /// "<board>, <municipality>"
    board: &'static str,
    manager: Option<&'static str>,
    plan: &'static str,
    status: &'static str,
    /// planned start, planned end, actual start, actual end
    dates: [Option<&'static str>; 4],
    appropriation: Option<i64>,
    decision_body: Option<&'static str>,
    /// (municipality, percent)
    allocation: &'static [(&'static str, i64)],
    council_goals: &'static [&'static str],
    goals: &'static [DemoGoal],
    lines: &'static [DemoLine],
}

const RESULT_BUDGET: &str = "Projektet har resulterat i ett effektivare budget- och prognosarbete. Dock kvarstår utbildningar och anpassningar för att chefer självständigt ska arbeta i systemet.";

const PROJECTS: &[DemoProject] = &[
    DemoProject {
        name: "Nytt beslut- och ledningsstödsystem",
        case_number: "KS 2020-339",
        project_number: None,
        board: "Kommunstyrelsen, Norrtälje",
        manager: Some("Christian Hedborg"),
        plan: "digitalisation",
        status: "completed",
        dates: [
            Some("2021-01-01"),
            Some("2021-12-31"),
            Some("2021-03-01"),
            Some("2023-01-04"),
        ],
        appropriation: Some(3_200_000),
        decision_body: Some("Kommunstyrelsen"),
        allocation: &[("Norrtälje", 100)],
        council_goals: &["Mål och budget, styrmodell för Norrtälje kommun"],
        goals: &[
            (
                "Nytt beslut- och ledningsstöd kommer resultera i minskad tid för manuella uppgifter och ökad tid för uppföljning, analys, planering, budget och prognos.",
                "chefer, ledare och medarbetare lägger mer tid på analys än framtagande av underlag.",
                None,
                "partly_achieved",
                RESULT_BUDGET,
            ),
            (
                "Nytt beslut- och ledningsstöd kommer resultera i att investeringsverksamheten och projekten kan budgeteras och följas upp löpande.",
                "vi kan prioritera dynamiskt mellan projekten och se de ekonomiska konsekvenserna.",
                None,
                "partly_achieved",
                "Projektet har resulterat i ett effektivare verktyg för budget- och prognoser av investeringar. Dock kvarstår justeringar av systemleverantören och utbildningar och anpassningar för att chefer/projektledare självständigt ska arbeta i systemet.",
            ),
            (
                "Nytt beslut- och ledningsstöd kommer resultera i att ge ett helautomatiserat koncernperspektiv i realtid, där indikatorer och uppdrag kan rapporteras löpande.",
                "vi kan se den sammantagna uppdateringen av dessa löpande.",
                None,
                "partly_achieved",
                "Projektet har resulterat i ett effektivare verktyg för verksamhetsplanering och verksamhetsuppföljning än tidigare Word/Excel-verktyg. Dock kvarstår justeringar av systemleverantören och utbildningar och anpassningar för att chefer/projektledare självständigt ska arbeta i systemet. Systemet används inte i koncernen men inom kommunen, av nämnderna.",
            ),
            (
                "Nytt beslut- och ledningsstöd kommer resultera i ett decentraliserat budget och prognosarbete.",
                "fler än 80% av cheferna själva gör sin budget och prognos.",
                Some((80, "% av cheferna")),
                "partly_achieved",
                RESULT_BUDGET,
            ),
            (
                "Nytt beslut- och ledningsstöd kommer stödja en decentraliserad verksamhetsplanering där enheterna upplever att planering och uppföljning underlättas.",
                "fler än 80% av enheterna och 100% av nämnderna använder verksamhetsstödet i sin planering och uppföljning.",
                Some((80, "% av enheterna")),
                "partly_achieved",
                "Projektet har resulterat i ett effektivare verktyg för verksamhetsplanering och verksamhetsuppföljning än tidigare Word/Excel-verktyg. Dock kvarstår justeringar av systemleverantören och utbildningar och anpassningar för att chefer/projektledare självständigt ska arbeta i systemet. Systemet används inte av enheter i dagsläget, endast på nämndsnivå.",
            ),
        ],
        lines: &[
            (
                "Förstudie, behovs- och marknadsanalys, avrop",
                None,
                700_000,
                &[
                    ("2021-03", 240_000),
                    ("2021-04", 310_000),
                    ("2021-05", 169_000),
                ],
            ),
            (
                "Införandeprojekt, leverantör",
                None,
                700_000,
                &[
                    ("2021-06", 180_000),
                    ("2021-09", 200_000),
                    ("2022-02", 124_000),
                ],
            ),
            ("Kompetensöverföring, leverantör", None, 100_000, &[]),
            (
                "Konsulttjänster, leverantör",
                None,
                700_000,
                &[
                    ("2021-10", 96_500),
                    ("2022-03", 145_159),
                    ("2022-09", 145_000),
                ],
            ),
            (
                "Interna fackmän och externt biträdande projektstöd",
                None,
                500_000,
                &[
                    ("2021-06", 210_000),
                    ("2021-12", 330_200),
                    ("2022-06", 286_000),
                    ("2022-12", 200_000),
                ],
            ),
            (
                "Införandeprojekt, leverantör",
                Some(("VA-bolaget", "VA", true)),
                350_000,
                &[],
            ),
            (
                "Interna fackmän och externt biträdande projektstöd",
                Some(("VA-bolaget", "VA", true)),
                150_000,
                &[],
            ),
        ],
    },
    DemoProject {
        name: "Gemensamt e-arkiv",
        case_number: "GSN 2022-14",
        project_number: Some("0012"),
        board: "Gemensamma servicenämnden, Ludvika",
        manager: Some("Maria Lindgren"),
        plan: "business_systems",
        status: "in_progress",
        dates: [
            Some("2023-01-01"),
            Some("2024-12-31"),
            Some("2023-02-01"),
            None,
        ],
        appropriation: Some(1_800_000),
        decision_body: Some("Gemensamma servicenämnden"),
        allocation: &[("Ludvika", 60), ("Smedjebacken", 40)],
        council_goals: &["Digitalt först – enklare vardag för invånarna"],
        goals: &[(
            "Handlingar arkiveras digitalt direkt från verksamhetssystemen.",
            "minst 90 % av de nya handlingarna arkiveras utan pappersutskrift.",
            Some((90, "%")),
            "",
            "",
        )],
        lines: &[
            (
                "Upphandling och förstudie",
                None,
                300_000,
                &[("2023-03", 280_000)],
            ),
            (
                "Licenser och införande",
                None,
                1_100_000,
                &[("2023-09", 420_000), ("2024-03", 310_500)],
            ),
            ("Migrering av äldre arkiv", None, 400_000, &[]),
        ],
    },
    DemoProject {
        name: "Åtgärdsprogram IT-säkerhet",
        case_number: "GSN 2023-5",
        project_number: Some("0015"),
        board: "Gemensamma servicenämnden, Ludvika",
        manager: Some("Per Andersson"),
        plan: "infrastructure",
        status: "decided",
        dates: [Some("2025-01-01"), Some("2026-06-30"), None, None],
        appropriation: Some(950_000),
        decision_body: Some("Gemensamma servicenämnden"),
        allocation: &[("Ludvika", 55), ("Smedjebacken", 45)],
        council_goals: &[],
        goals: &[],
        lines: &[("Säkerhetsgranskning och åtgärder", None, 950_000, &[])],
    },
    DemoProject {
        name: "Öppna data Smedjebacken",
        case_number: "KS 2024-88",
        project_number: None,
        board: "Kommunstyrelsen, Smedjebacken",
        manager: None,
        plan: "digitalisation",
        status: "pre_study",
        dates: [Some("2025-09-01"), Some("2026-12-31"), None, None],
        appropriation: None,
        decision_body: None,
        allocation: &[("Smedjebacken", 100)],
        council_goals: &["En attraktiv kommun med god service"],
        goals: &[],
        lines: &[],
    },
    // The three investment projects of Gemensamma servicenämnden that seed 002's period report
    // comments on: the paused move to Office 365, and the two network projects expected to end
    // about 2 mnkr under budget because components were not delivered.
    DemoProject {
        name: "Digital arbetsplats",
        case_number: "GSN 2020-21",
        project_number: Some("0003-0365"),
        board: "Gemensamma servicenämnden, Ludvika",
        manager: Some("Anna Källsved"),
        plan: "service_catalogue",
        status: "decided",
        dates: [Some("2021-01-01"), Some("2023-12-31"), None, None],
        appropriation: Some(2_000_000),
        decision_body: Some("Gemensamma servicenämnden"),
        allocation: &[("Ludvika", 70), ("Smedjebacken", 30)],
        council_goals: &["Digitalt först – enklare vardag för invånarna"],
        goals: &[],
        lines: &[("Licenser och införande av O365", None, 2_000_000, &[])],
    },
    DemoProject {
        name: "Fiberstam kärnnätverk",
        case_number: "GSN 2021-7",
        project_number: Some("0005"),
        board: "Gemensamma servicenämnden, Ludvika",
        manager: Some("Per Andersson"),
        plan: "infrastructure",
        status: "in_progress",
        dates: [
            Some("2021-03-01"),
            Some("2023-06-30"),
            Some("2021-04-01"),
            None,
        ],
        appropriation: Some(3_500_000),
        decision_body: Some("Gemensamma servicenämnden"),
        allocation: &[("Ludvika", 70), ("Smedjebacken", 30)],
        council_goals: &["Digitalt först – enklare vardag för invånarna"],
        goals: &[],
        lines: &[(
            "Fiber och aktiv utrustning",
            None,
            3_500_000,
            &[("2021-10", 900_000), ("2022-06", 1_150_000)],
        )],
    },
    DemoProject {
        name: "Utbyggnad trådlöst nät",
        case_number: "GSN 2021-8",
        project_number: Some("0010"),
        board: "Gemensamma servicenämnden, Ludvika",
        manager: Some("Per Andersson"),
        plan: "infrastructure",
        status: "in_progress",
        dates: [
            Some("2021-09-01"),
            Some("2023-12-31"),
            Some("2021-09-15"),
            None,
        ],
        appropriation: Some(2_400_000),
        decision_body: Some("Gemensamma servicenämnden"),
        allocation: &[("Ludvika", 70), ("Smedjebacken", 30)],
        council_goals: &["En attraktiv kommun med god service"],
        goals: &[],
        lines: &[(
            "Accesspunkter och installation",
            None,
            2_400_000,
            &[("2022-03", 640_000), ("2022-08", 310_000)],
        )],
    },
];

const COUNCIL_GOALS: &[(&str, &str)] = &[
    (
        "Norrtälje",
        "Mål och budget, styrmodell för Norrtälje kommun",
    ),
    ("Norrtälje", "En hållbar och effektiv organisation"),
    ("Ludvika", "Digitalt först – enklare vardag för invånarna"),
    ("Smedjebacken", "En attraktiv kommun med god service"),
];

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Inserts the council goals and the demo projects.
pub async fn load(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    for (municipality, title) in COUNCIL_GOALS {
        sqlx::query(
            "INSERT INTO council_goal (id, municipality_id, title) \
             SELECT $1, id, $3 FROM municipality WHERE name = $2",
        )
        .bind(Uuid::now_v7())
        .bind(municipality)
        .bind(title)
        .execute(&mut *conn)
        .await?;
    }
    for project in PROJECTS {
        insert_project(conn, project).await?;
    }
    insert_seed_report(conn).await
}

/// Seed 000's final report text, as Norrtälje's officials wrote it; the generated parts come
/// from the project's data.
async fn insert_seed_report(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    use crate::final_report::{content::Content, document};
    let id: Uuid = sqlx::query_scalar("SELECT id FROM project WHERE case_number = 'KS 2020-339'")
        .fetch_one(&mut *conn)
        .await?;
    let content = Content {
        issuing_unit: "Ekonomiavdelningen".into(),
        officer_name: "Christian Hedborg".into(),
        officer_title: "Controllerchef".into(),
        officer_email: "Christian.hedborg@norrtalje.se".into(),
        proposing_body: "Kommunstyrelsens arbetsutskott".into(),
        deciding_body: "Kommunstyrelsen".into(),
        title: "Slutredovisning – Nytt beslut- och ledningsstöd".into(),
        name_in_decision: "Nytt beslut och ledningsstödsystem".into(),
        summary: SEED_SUMMARY.into(),
        description: SEED_DESCRIPTION.into(),
        verdict_explanation: "Tidplanen har förskjutits på grund av omsättning av nyckelpersoner inom kommunen, otydlig beställning och bristfällig leverans av systemleverantören.".into(),
        goals_followup: "För slutlig måluppfyllelse behöver systemet vara i drift en längre tid och kommer utvärderas av systemägaren längre fram efter en löpande dialog med systemleverantör och nyttjande förvaltningar utifrån behov och systemets möjliga prestanda.".into(),
        legal_requirements: "Ej tillämpligt.".into(),
        governing_documents: "Mål och budget, styrmodell för Norrtälje kommun.".into(),
        sub_entity_explanation: "som vid tidpunkten skulle implementera Hypergene. VA-bolaget valde sedan att inte implementera Hypergene och således finns heller inget kostnadsutfall för detta.".into(),
        figures_as_of: "2023-01-04".into(),
        analysis: SEED_ANALYSIS.into(),
        signatures: "Anette Madsen\nKommundirektör\nKommunstyrelsekontoret\n\nGermund Jonsson\nEkonomidirektör\nKommunstyrelsekontoret".into(),
        send_to: "Ekonomiavdelningen".into(),
    };
    let project = crate::projects::repo::find(conn, id, false)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let lines = crate::budget::repo::lines(conn, id).await?;
    let table = crate::budget::table::BudgetTable::new(&lines);
    let figures = document::figures(&project, &table);
    crate::final_report::repo::save(conn, id, 0, &content, &figures, None, None).await?;
    Ok(())
}

const SEED_SUMMARY: &str = "Under 2021 beslutades av kommunstyrelsen att kommunen ska investera i ett nytt beslut- och ledningsstödsystem med ett tillhörande investeringsanslag om {investeringsanslag}, att kapital- och driftskostnader inarbetas i mål och budget 2022–2024 samt att tillfälligt utökade driftkostnader beviljades för 2021. Projektet som helhet har hållit sin budget trots att tiden för införandet försköts med ökade konsultkostnader som följd effekt. Effektmålen kan inte utvärderas slutligt förrän efter utvärdering efter en längre tids användning och ytterligare anpassningar till kommunens processer. Projektet har resulterat i ett redskap som har en potential till betydligt effektivare processer men fortsatt utvecklingsarbete behöver ske.";

const SEED_DESCRIPTION: &str = "Norrtälje kommun styrs med utgångspunkt i en långsiktig vision och värdegrund utifrån tydliga mål och resultatrapporter. Kommunens nämnder ansvarar för att driva en effektiv verksamhet inom sitt uppdrag utifrån lagstiftning, politiska mål, reglementen, styrdokument och ekonomisk tilldelning. I Norrtälje kommuns mål- och resultatstyrning sätts prioriterade och mätbara mål, som möjliggör utvärdering av måluppfyllelse och jämförelser med andra kommuner.\n\nDessa mål syftar till att skapa genomslag för politikens inriktning, goda serviceupplevelser och livskvalitet för kommunens invånare och motivera kommunens medarbetare i det kontinuerliga förbättringsarbetet.";

const SEED_ANALYSIS: &str = "Projektets budget har inte överskridits och systemstödet Hypergene har implementerats, dock med en utdragen tidsplan. Hypergene används i planeringsprocessen för budgetering och utformning av verksamhetsplaner på nämnderna samt i uppföljningsprocessen i månadsrapporter, delårsrapporter och verksamhetsberättelser till nämnder och kommunstyrelse för drift, investeringar, mål, indikatorer och uppdrag. Därutöver används systemet Hypergene som stöd i systematiskt kvalitetsarbete inom BSN och SN samt inköpsanalys och personalanalys. För inköpsanalys och personalanalys krävs fortsatt utveckling av arbetsprocesserna. För investeringsuppföljning krävs kompletterande utvecklingsarbete av systemleverantören. Dessa utvecklingsområden har inte bedömts ligga inom projektets ramar utan sker löpande efter driftsatt system.";

async fn insert_project(conn: &mut PgConnection, p: &DemoProject) -> Result<(), sqlx::Error> {
    let id = Uuid::now_v7();
    let [planned_start, planned_end, actual_start, actual_end] = p.dates.map(|d| d.and_then(date));
    sqlx::query(
        "INSERT INTO project (id, name, case_number, project_number, board_id, project_manager, \
         plan, status, planned_start, planned_end, actual_start, actual_end, appropriation, \
         decision_body) \
         SELECT $1, $2, $3, $4, b.id, $6, $7, $8, $9, $10, $11, $12, $13, $14 \
         FROM board b JOIN municipality m ON m.id = b.municipality_id \
         WHERE b.name || ', ' || m.name = $5",
    )
    .bind(id)
    .bind(p.name)
    .bind(p.case_number)
    .bind(p.project_number)
    .bind(p.board)
    .bind(p.manager)
    .bind(p.plan)
    .bind(p.status)
    .bind(planned_start)
    .bind(planned_end)
    .bind(actual_start)
    .bind(actual_end)
    .bind(p.appropriation.map(Decimal::from))
    .bind(p.decision_body)
    .execute(&mut *conn)
    .await?;
    for (municipality, percent) in p.allocation {
        sqlx::query(
            "INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) \
             SELECT $1, id, $3 FROM municipality WHERE name = $2",
        )
        .bind(id)
        .bind(municipality)
        .bind(Decimal::from(*percent))
        .execute(&mut *conn)
        .await?;
    }
    for title in p.council_goals {
        sqlx::query(
            "INSERT INTO project_council_goal (project_id, council_goal_id) \
             SELECT $1, id FROM council_goal WHERE title = $2",
        )
        .bind(id)
        .bind(title)
        .execute(&mut *conn)
        .await?;
    }
    for (position, (goal, indicator, target, assessment, comment)) in (1..).zip(p.goals) {
        sqlx::query(
            "INSERT INTO effect_goal (id, project_id, position, goal, indicator, target_value, \
             unit, assessment, assessment_comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(Uuid::now_v7())
        .bind(id)
        .bind(position)
        .bind(goal)
        .bind(indicator)
        .bind(target.map(|(v, _)| Decimal::from(v)))
        .bind(target.map(|(_, unit)| unit))
        .bind((!assessment.is_empty()).then_some(*assessment))
        .bind(comment)
        .execute(&mut *conn)
        .await?;
    }
    insert_lines(conn, id, p.lines).await
}

async fn insert_lines(
    conn: &mut PgConnection,
    project_id: Uuid,
    lines: &[DemoLine],
) -> Result<(), sqlx::Error> {
    let mut sub_entities: Vec<(&str, Uuid)> = Vec::new();
    for (position, (category, sub, budget, entries)) in (1..).zip(lines) {
        let sub_id = match sub {
            None => None,
            Some((name, short, excluded)) => match sub_entities.iter().find(|(n, _)| n == name) {
                Some((_, id)) => Some(*id),
                None => {
                    let sid = Uuid::now_v7();
                    sqlx::query(
                        "INSERT INTO sub_entity (id, project_id, name, short_name, excluded) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(sid)
                    .bind(project_id)
                    .bind(name)
                    .bind(short)
                    .bind(excluded)
                    .execute(&mut *conn)
                    .await?;
                    sub_entities.push((name, sid));
                    Some(sid)
                }
            },
        };
        let line_id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO budget_line (id, project_id, position, category, sub_entity_id, budget) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(line_id)
        .bind(project_id)
        .bind(position)
        .bind(category)
        .bind(sub_id)
        .bind(Decimal::from(*budget))
        .execute(&mut *conn)
        .await?;
        for (month, amount) in *entries {
            sqlx::query(
                "INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source) \
                 VALUES ($1, $2, to_date($3, 'YYYY-MM'), $4, 'Bokfört utfall', 'manual')",
            )
            .bind(Uuid::now_v7())
            .bind(line_id)
            .bind(month)
            .bind(Decimal::from(*amount))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
