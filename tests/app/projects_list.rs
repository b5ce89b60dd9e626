//! The project list's paging and the figures kept for it: followed page by page, the list shows
//! every project exactly once and in order, also when many rows tie on the sort key; its totals
//! and municipality names follow every change made through the forms.

use std::collections::HashSet;

use portfolj::{
    budget::{self, repo::LineInput},
    domain::{money::Money, project::CaseNumber},
    projects::{forms::ProjectInput, repo},
};
use scraper::Selector;
use sqlx::PgPool;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::support::{AUDITOR, IT_CENTER, Page, TestApp};

/// The project ids of a list page, in the order shown.
fn ids(page: &Page) -> Vec<String> {
    let link = Selector::parse("table.project-list tbody th a").unwrap();
    page.html()
        .select(&link)
        .map(|a| a.value().attr("href").unwrap().replace("/projekt/", ""))
        .collect()
}

/// The number at the start of "N projekt, sida …" (a flash message may also be a status).
fn total(page: &Page) -> i64 {
    page.texts("[role=status]")
        .iter()
        .find_map(|status| {
            status
                .strip_suffix('.')?
                .split_once(" projekt")?
                .0
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no total in {:?}", page.texts("[role=status]")))
}

/// Every project the list at `path` shows, page after page, following its page links.
async fn walk(client: &crate::support::Client, path: &str) -> (Vec<String>, i64) {
    let first = client.get(path).await;
    assert_eq!(first.status, 200, "{path}");
    let links = Selector::parse("nav.pagination a").unwrap();
    let pages: Vec<String> = first
        .html()
        .select(&links)
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    let mut shown = ids(&first);
    for href in pages.iter().skip(1) {
        let page = client.get(href).await;
        assert_eq!(total(&page), total(&first), "{href}");
        shown.extend(ids(&page));
    }
    (shown, total(&first))
}

/// 70 projects under four names, with budgets that tie (and none at all for some) and
/// municipality sets that tie, beside the demo projects.
async fn many_tied_projects(app: &TestApp) {
    for sql in [
        "INSERT INTO project (id, name, case_number, board_id, plan, status) \
         SELECT gen_random_uuid(), (ARRAY['Lika', 'Åter', 'lika', 'Ärende'])[1 + n % 4], \
                'TIE 2030-' || n, (SELECT id FROM board ORDER BY id OFFSET n % 5 LIMIT 1), \
                'digitalisation', (ARRAY['idea', 'pre_study', 'decided'])[1 + n % 3] \
         FROM generate_series(1, 70) AS n",
        "INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) \
         SELECT p.id, m.id, 50 FROM project p CROSS JOIN municipality m \
         WHERE p.case_number LIKE 'TIE %' \
           AND substring(p.case_number from '-([0-9]+)$')::int % 3 <> 0 \
           AND (substring(p.case_number from '-([0-9]+)$')::int % 3 = 1 OR m.name <> 'Ludvika')",
        "INSERT INTO budget_line (id, project_id, position, category, budget) \
         SELECT gen_random_uuid(), p.id, 1, 'Post', \
                1000 * (substring(p.case_number from '-([0-9]+)$')::int % 3) \
         FROM project p WHERE p.case_number LIKE 'TIE %' \
           AND substring(p.case_number from '-([0-9]+)$')::int % 5 <> 0",
    ] {
        sqlx::query(sql).execute(&app.db).await.unwrap();
    }
}

#[tokio::test]
async fn every_project_once_and_in_order_across_the_pages_when_rows_tie() {
    let app = TestApp::spawn().await;
    many_tied_projects(&app).await;
    let client = app.signed_in(AUDITOR).await;
    // The expected orders, written from the live rows rather than the kept figures.
    let budget = "(SELECT sum(l.budget) FROM budget_line l WHERE l.project_id = p.id)";
    let municipalities = "coalesce((SELECT string_agg(m.name, ', ' ORDER BY m.name COLLATE sv) \
         FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id \
         WHERE pm.project_id = p.id), '')";
    let cases = [
        ("/projekt", "p.name, p.id".to_owned()),
        (
            "/projekt?sortera=namn&ordning=fallande",
            "p.name DESC, p.id".to_owned(),
        ),
        (
            "/projekt?sortera=budget",
            format!("{budget} NULLS LAST, p.name, p.id"),
        ),
        (
            "/projekt?sortera=budget&ordning=fallande",
            format!("{budget} DESC NULLS LAST, p.name, p.id"),
        ),
        (
            "/projekt?sortera=kommuner&ordning=fallande",
            format!("{municipalities} DESC, p.name, p.id"),
        ),
        (
            "/projekt?sortera=namnd",
            "(SELECT b.name COLLATE sv FROM board b WHERE b.id = p.board_id), p.name, p.id"
                .to_owned(),
        ),
    ];
    let all = app.count("SELECT count(*) FROM project").await;
    assert!(all > 75, "more than three pages");
    for (path, order) in cases {
        let (shown, said) = walk(&client, path).await;
        assert_eq!(said, all, "{path}");
        assert_eq!(
            shown.iter().collect::<HashSet<_>>().len(),
            shown.len(),
            "{path}: a project shown twice"
        );
        let expected: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT p.id::text FROM project p ORDER BY {order}"
        ))
        .fetch_all(&app.db)
        .await
        .unwrap();
        assert_eq!(shown, expected, "{path}");
    }

    // Filtered, the total is counted instead of summed; past the last page it is still said.
    let (shown, said) = walk(&client, "/projekt?q=TIE&status=idea").await;
    let expected: Vec<String> = sqlx::query_scalar(
        "SELECT id::text FROM project WHERE case_number LIKE 'TIE %' AND status = 'idea' \
         ORDER BY name, id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(shown, expected);
    assert_eq!(said, expected.len() as i64);
    let past = client.get("/projekt?q=TIE&status=idea&sida=9").await;
    assert_eq!(total(&past), said);
    assert!(past.body.contains("Inga projekt matchar filtret."));
}

/// The list's row for the project named `name`: board and municipalities as shown.
async fn row(client: &crate::support::Client, name: &str) -> (String, String) {
    let page = client
        .get(&format!("/projekt?q={}", name.replace(' ', "+")))
        .await;
    let cells = page.texts("table.project-list tbody tr:first-child td");
    (cells[2].clone(), cells[3].clone())
}

/// The list's totals for these filters agree with counts of the projects themselves.
async fn totals_agree(app: &TestApp, client: &crate::support::Client, board: &str) {
    let counts = [
        ("/projekt".to_owned(), "true".to_owned()),
        (
            "/projekt?status=idea".to_owned(),
            "status = 'idea'".to_owned(),
        ),
        (
            "/projekt?status=pre_study".to_owned(),
            "status = 'pre_study'".to_owned(),
        ),
        (
            "/projekt?plan=infrastructure".to_owned(),
            "plan = 'infrastructure'".to_owned(),
        ),
        (
            format!("/projekt?namnd={board}"),
            format!("board_id = '{board}'"),
        ),
        (
            format!("/projekt?namnd={board}&status=idea&plan=infrastructure"),
            format!("board_id = '{board}' AND status = 'idea' AND plan = 'infrastructure'"),
        ),
    ];
    for (path, condition) in counts {
        let expected = app
            .count(&format!("SELECT count(*) FROM project WHERE {condition}"))
            .await;
        assert_eq!(total(&client.get(&path).await), expected, "{path}");
    }
}

#[tokio::test]
async fn the_kept_totals_and_municipality_names_follow_every_change() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let id_of = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let shared_board =
        id_of("SELECT id::text FROM board WHERE name = 'Gemensamma servicenämnden'").await;
    let norrtalje_board = id_of(
        "SELECT b.id::text FROM board b JOIN municipality m ON m.id = b.municipality_id \
         WHERE b.name = 'Kommunstyrelsen' AND m.name = 'Norrtälje'",
    )
    .await;
    let ludvika = id_of("SELECT id::text FROM municipality WHERE name = 'Ludvika'").await;
    let smedjebacken = id_of("SELECT id::text FROM municipality WHERE name = 'Smedjebacken'").await;
    let norrtalje = id_of("SELECT id::text FROM municipality WHERE name = 'Norrtälje'").await;
    totals_agree(&app, &client, &shared_board).await;

    let created = client
        .post_from(
            "/projekt/nytt",
            "/projekt/nytt",
            &[
                ("name", "Ny växel"),
                ("case_number", "GSN 2026-7"),
                ("board", shared_board.as_str()),
                ("plan", "infrastructure"),
                ("status", "idea"),
                ("municipalities", smedjebacken.as_str()),
                ("shares", "40"),
                ("municipalities", ludvika.as_str()),
                ("shares", "60"),
                ("municipalities", norrtalje.as_str()),
                ("shares", ""),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let page = created.location().unwrap().to_owned();
    assert_eq!(
        row(&client, "Ny växel").await,
        (
            "Gemensamma servicenämnden, Ludvika".to_owned(),
            "Ludvika, Smedjebacken".to_owned()
        )
    );
    totals_agree(&app, &client, &shared_board).await;

    // Another board and plan, and Norrtälje alone instead of Ludvika and Smedjebacken: each
    // municipality's share field follows its hidden id field.
    let edit = format!("{page}/redigera");
    let mut municipality = String::new();
    let values: Vec<(String, String)> = client
        .get(&edit)
        .await
        .form_values(&edit)
        .into_iter()
        .map(|(name, value)| {
            let value = match name.as_str() {
                "board" => norrtalje_board.clone(),
                "plan" => "business_systems".to_owned(),
                "municipalities" => {
                    municipality = value.clone();
                    value
                }
                "shares" if municipality == norrtalje => "100".to_owned(),
                "shares" => String::new(),
                _ => value,
            };
            (name, value)
        })
        .collect();
    let edited = client.post_values(&edit, &values).await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    assert_eq!(
        row(&client, "Ny växel").await,
        (
            "Kommunstyrelsen, Norrtälje".to_owned(),
            "Norrtälje".to_owned()
        )
    );
    totals_agree(&app, &client, &shared_board).await;
    totals_agree(&app, &client, &norrtalje_board).await;

    let moved = client
        .post_from(
            &page,
            &format!("{page}/status"),
            &[
                // No date: today, the day the project was registered.
                ("status", "pre_study"),
                ("changed_on", ""),
                ("status_comment", "Förstudie"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    totals_agree(&app, &client, &norrtalje_board).await;

    sqlx::query("UPDATE municipality SET name = 'Norrtälje kommun' WHERE name = 'Norrtälje'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(row(&client, "Ny växel").await.1, "Norrtälje kommun");
}

/// Runs `statement` in a transaction of its own and commits it, in the background.
async fn start(db: &PgPool, statement: String) -> (JoinHandle<()>, i32) {
    let mut tx = db.begin().await.unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let task = tokio::spawn(async move {
        sqlx::query(&statement).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    });
    (task, pid)
}

/// A project, a municipality in its allocation key and one that is not.
async fn project_and_municipalities(db: &PgPool) -> (Uuid, Uuid, Uuid) {
    sqlx::query_as(
        "SELECT p.id, pm.municipality_id, m.id \
         FROM project p JOIN project_municipality pm ON pm.project_id = p.id, municipality m \
         WHERE NOT EXISTS (SELECT 1 FROM project_municipality x \
                           WHERE x.project_id = p.id AND x.municipality_id = m.id) \
         ORDER BY p.name, pm.municipality_id, m.id LIMIT 1",
    )
    .fetch_one(db)
    .await
    .unwrap()
}

/// The project's municipality names as kept for the list, and as gathered now.
async fn kept_and_gathered(db: &PgPool, project: Uuid) -> (String, String) {
    sqlx::query_as(
        "SELECT p.municipality_names, \
                (SELECT coalesce(string_agg(m.name, ', ' ORDER BY m.name COLLATE sv), '') \
                 FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id \
                 WHERE pm.project_id = p.id) \
         FROM project p WHERE p.id = $1",
    )
    .bind(project)
    .fetch_one(db)
    .await
    .unwrap()
}

fn rename(municipality: Uuid) -> String {
    format!("UPDATE municipality SET name = 'Omdöpt kommun' WHERE id = '{municipality}'")
}

fn allocate(project: Uuid, municipality: Uuid) -> String {
    format!(
        "INSERT INTO project_municipality (project_id, municipality_id, allocation_percent) \
         VALUES ('{project}', '{municipality}', 10)"
    )
}

/// What the project form would post for `saved` unchanged.
fn input_from(saved: &repo::Project) -> ProjectInput {
    ProjectInput {
        name: saved.name.clone(),
        case_number: CaseNumber::parse(&saved.case_number).unwrap(),
        project_number: saved.project_number.clone(),
        board_id: saved.board_id,
        project_manager: saved.project_manager.clone(),
        plan: saved.plan,
        status: saved.status,
        description: saved.description.clone(),
        planned_start: saved.planned_start,
        planned_end: saved.planned_end,
        actual_start: saved.actual_start,
        actual_end: saved.actual_end,
        allocation: saved.allocation.iter().map(|a| (a.id, a.percent)).collect(),
        council_goals: saved.council_goals.iter().map(|g| g.id).collect(),
    }
}

/// A municipality renamed while another transaction adds it to a project's allocation key, in
/// either order: the kept names end up with the new name. (The foreign key's check on the added
/// row waits for the rename, which takes the key lock because names are unique.)
#[tokio::test]
async fn a_rename_beside_a_new_allocation_keeps_the_new_name() {
    for rename_first in [false, true] {
        let app = TestApp::spawn().await;
        let (project, _, added) = project_and_municipalities(&app.db).await;
        let (first, second) = if rename_first {
            (rename(added), allocate(project, added))
        } else {
            (allocate(project, added), rename(added))
        };
        let mut tx = app.db.begin().await.unwrap();
        sqlx::query(&first).execute(&mut *tx).await.unwrap();
        let (task, pid) = start(&app.db, second).await;
        app.blocked_or_done(Some(pid), &task).await;
        tx.commit().await.unwrap();
        task.await.unwrap();
        let (kept, gathered) = kept_and_gathered(&app.db, project).await;
        assert!(gathered.contains("Omdöpt kommun"), "{gathered}");
        assert_eq!(kept, gathered, "rename first: {rename_first}");
    }
}

/// A municipality renamed while a project that has it is being saved (the save holds the
/// project row, then writes the allocation key): the rename waits for the save rather than the
/// two waiting for each other until PostgreSQL aborts one, and the kept names are the new ones.
#[tokio::test]
async fn a_rename_during_a_project_save_waits_for_it() {
    let app = TestApp::spawn().await;
    let (id, municipality, _) = project_and_municipalities(&app.db).await;
    let mut save = app.db.begin().await.unwrap();
    let saved = repo::find(&mut save, id, true).await.unwrap().unwrap();
    let (renaming, pid) = start(&app.db, rename(municipality)).await;
    app.blocked_or_done(Some(pid), &renaming).await;
    let input = input_from(&saved);
    assert!(
        repo::update(&mut save, id, saved.version, &input)
            .await
            .unwrap()
    );
    save.commit().await.unwrap();
    renaming.await.unwrap();
    let (kept, gathered) = kept_and_gathered(&app.db, id).await;
    assert!(gathered.contains("Omdöpt kommun"), "{gathered}");
    assert_eq!(kept, gathered);
}

/// A project deleted with its municipalities and budget lines in one statement, as a cascade
/// would: the kept figures' triggers then fire for rows whose project is already gone, and must
/// neither fail nor bring the project back.
#[tokio::test]
async fn a_project_deleted_with_its_rows_leaves_no_kept_figures() {
    let app = TestApp::spawn().await;
    let (copied, _, _) = project_and_municipalities(&app.db).await;
    let mut conn = app.db.acquire().await.unwrap();
    let saved = repo::find(&mut conn, copied, false).await.unwrap().unwrap();
    let input = ProjectInput {
        case_number: CaseNumber::parse("KS 2026-9999").unwrap(),
        ..input_from(&saved)
    };
    assert!(!input.allocation.is_empty());
    let by: Uuid = sqlx::query_scalar("SELECT id FROM app_user LIMIT 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    let id = repo::insert(&mut conn, &input, by, today).await.unwrap();
    let line = LineInput {
        category: "Konsulter".into(),
        sub_entity_id: None,
        budget: Money::parse("1 000").unwrap(),
        income: false,
    };
    budget::repo::insert_line(&mut conn, id, &line)
        .await
        .unwrap();
    sqlx::query(
        "WITH pm AS (DELETE FROM project_municipality WHERE project_id = $1), \
              pg AS (DELETE FROM project_council_goal WHERE project_id = $1), \
              sc AS (DELETE FROM project_status_change WHERE project_id = $1), \
              bl AS (DELETE FROM budget_line WHERE project_id = $1) \
         DELETE FROM project WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await
    .unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM project WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(left, 0);
}
