//! The project list's paging and the figures kept for it: followed page by page, the list shows
//! every project exactly once and in order, also when many rows tie on the sort key; its totals
//! and municipality names follow every change made through the forms.

use std::collections::HashSet;

use scraper::Selector;

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
