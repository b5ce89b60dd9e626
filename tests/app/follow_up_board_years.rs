//! A board's appropriation and outcome per year that the report's implementation rate reads
//! (`board_year_investment`, kept by triggers deferred to the commit): after every kind of change
//! to the rows it sums, alone or many in one transaction, and when two transactions change one
//! board at the same time, the kept years equal a fresh sum of the rows.

use sqlx::PgPool;
use uuid::Uuid;

use crate::support::{TestApp, kept, kept::run};

/// The shown years (those with an appropriation) that differ from a fresh sum of the rows, on
/// either side, as text.
async fn differences(db: &PgPool) -> Vec<String> {
    let fresh = "WITH own AS (
             SELECT p.board_id, y.year, sum(y.annual_budget + y.extra_granted) AS amount
             FROM project p JOIN project_year y ON y.project_id = p.id
             GROUP BY p.board_id, y.year),
         carried AS (
             SELECT p.board_id, c.from_year + 1 AS year, sum(c.amount) AS amount
             FROM project p JOIN carry_over c ON c.project_id = p.id
             WHERE c.decided GROUP BY p.board_id, c.from_year + 1),
         spent AS (
             SELECT p.board_id, extract(year FROM k.month)::integer AS year,
                    sum(k.year_to_date) AS amount
             FROM project p JOIN project_month_outcome k ON k.project_id = p.id
             WHERE extract(month FROM k.month) = 12 GROUP BY 1, 2),
         years AS (SELECT board_id, year FROM own UNION SELECT board_id, year FROM carried)
         SELECT y.board_id || ' ' || y.year || ' ' ||
                (coalesce(o.amount, 0) + coalesce(c.amount, 0))::numeric(20, 2) || ' ' ||
                coalesce(s.amount, 0)::numeric(20, 2)
         FROM years y
         LEFT JOIN own o USING (board_id, year)
         LEFT JOIN carried c USING (board_id, year)
         LEFT JOIN spent s USING (board_id, year)";
    let kept = "SELECT board_id || ' ' || year || ' ' || appropriation::numeric(20, 2) || ' ' || \
                outcome::numeric(20, 2) FROM board_year_investment WHERE granted";
    kept::differences(db, kept, fresh).await
}

/// Two boards of the demo's municipality, each with a new project.
struct Fixture {
    boards: [Uuid; 2],
    projects: [Uuid; 3],
    line: Uuid,
}

async fn fixture(db: &PgPool) -> Fixture {
    let boards = [Uuid::now_v7(), Uuid::now_v7()];
    let projects = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
    let line = Uuid::now_v7();
    for (i, board) in boards.iter().enumerate() {
        run(
            db,
            &format!(
                "INSERT INTO board (id, name, municipality_id) \
                 SELECT '{board}', 'Provnämnd {i}', id FROM municipality ORDER BY id LIMIT 1"
            ),
        )
        .await;
    }
    for (i, (project, board)) in projects
        .iter()
        .zip([boards[0], boards[0], boards[1]])
        .enumerate()
    {
        run(
            db,
            &format!(
                "INSERT INTO project (id, name, case_number, board_id, plan, status) \
                 VALUES ('{project}', 'Prov {i}', 'KS 2025-90{i}', '{board}', 'digitalisation', \
                 'idea')"
            ),
        )
        .await;
    }
    run(
        db,
        &format!(
            "INSERT INTO budget_line (id, project_id, position, category, budget) \
             VALUES ('{line}', '{}', 1, 'Licenser', 0)",
            projects[0]
        ),
    )
    .await;
    Fixture {
        boards,
        projects,
        line,
    }
}

/// The board's shown years as "year appropriation outcome".
async fn shown_years(db: &PgPool, board: Uuid) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT year || ' ' || appropriation::numeric(20, 2) || ' ' || outcome::numeric(20, 2) \
         FROM board_year_investment WHERE board_id = $1 AND granted ORDER BY year",
    )
    .bind(board)
    .fetch_all(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_kept_years_follow_every_change_of_the_rows_they_sum() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    // The demo's rows, loaded after the migrations, went through the triggers.
    assert!(
        app.count("SELECT count(*) FROM board_year_investment")
            .await
            > 0
    );
    assert_eq!(differences(db).await, Vec::<String>::new());
    let Fixture {
        boards: [first, second],
        projects: [a, b, c],
        line,
    } = fixture(db).await;
    let steps: Vec<(String, [Vec<&str>; 2])> = vec![
        (
            format!(
                "INSERT INTO project_year (project_id, year, annual_budget, extra_granted) VALUES \
                 ('{a}', 2025, 1000000, 0), ('{b}', 2025, 500000, 250000), \
                 ('{c}', 2024, 300000, 0)"
            ),
            [vec!["2025 1750000.00 0.00"], vec!["2024 300000.00 0.00"]],
        ),
        (
            format!("UPDATE project_year SET extra_granted = 100000 WHERE project_id = '{a}'"),
            [vec!["2025 1850000.00 0.00"], vec!["2024 300000.00 0.00"]],
        ),
        // A proposal counts only once decided, in the year after.
        (
            format!(
                "INSERT INTO carry_over (project_id, from_year, amount) \
                 VALUES ('{c}', 2024, 120000)"
            ),
            [vec!["2025 1850000.00 0.00"], vec!["2024 300000.00 0.00"]],
        ),
        (
            format!("UPDATE carry_over SET decided = true WHERE project_id = '{c}'"),
            [
                vec!["2025 1850000.00 0.00"],
                vec!["2024 300000.00 0.00", "2025 120000.00 0.00"],
            ],
        ),
        // Outcome in any month of the year counts through the kept December.
        (
            format!(
                "INSERT INTO outcome_entry (id, budget_line_id, month, amount, source) VALUES \
                 (gen_random_uuid(), '{line}', '2025-03-01', 400000, 'manual'), \
                 (gen_random_uuid(), '{line}', '2025-12-01', 50000.50, 'manual')"
            ),
            [
                vec!["2025 1850000.00 450000.50"],
                vec!["2024 300000.00 0.00", "2025 120000.00 0.00"],
            ],
        ),
        // The project with the outcome moves to the other board, with all its years.
        (
            format!("UPDATE project SET board_id = '{second}' WHERE id = '{a}'"),
            [
                vec!["2025 750000.00 0.00"],
                vec!["2024 300000.00 0.00", "2025 1220000.00 450000.50"],
            ],
        ),
        // Several changes on both boards in one transaction.
        (
            format!(
                "WITH moved AS (UPDATE project SET board_id = '{first}' WHERE id = '{a}'), \
                      gone AS (DELETE FROM project_year WHERE project_id = '{b}') \
                 UPDATE project_year SET annual_budget = 0 WHERE project_id = '{c}'"
            ),
            [
                vec!["2025 1100000.00 450000.50"],
                vec!["2024 0.00 0.00", "2025 120000.00 0.00"],
            ],
        ),
        // A project deleted with its rows in one statement.
        (
            format!(
                "WITH y AS (DELETE FROM project_year WHERE project_id = '{c}'), \
                      k AS (DELETE FROM carry_over WHERE project_id = '{c}') \
                 DELETE FROM project WHERE id = '{c}'"
            ),
            [vec!["2025 1100000.00 450000.50"], vec![]],
        ),
    ];
    for (sql, [on_first, on_second]) in steps {
        run(db, &sql).await;
        assert_eq!(differences(db).await, Vec::<String>::new(), "after {sql}");
        assert_eq!(shown_years(db, first).await, on_first, "after {sql}");
        assert_eq!(shown_years(db, second).await, on_second, "after {sql}");
    }
}

/// Two transactions change two projects of one board; the second refreshes the board's year
/// while the first has refreshed it and not yet committed. Without one refresh at a time, the
/// second would write a sum that misses the first's change.
#[tokio::test]
async fn two_transactions_on_one_board_each_count_the_others_change() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let Fixture {
        boards: [first, _],
        projects: [a, b, _],
        ..
    } = fixture(db).await;
    run(
        db,
        &format!(
            "INSERT INTO project_year (project_id, year, annual_budget) \
             VALUES ('{a}', 2025, 100), ('{b}', 2025, 200)"
        ),
    )
    .await;
    let mut one = db.begin().await.unwrap();
    let mut two = db.begin().await.unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *two)
        .await
        .unwrap();
    for (tx, project, amount) in [(&mut one, a, 1000), (&mut two, b, 2000)] {
        sqlx::query(&format!(
            "UPDATE project_year SET annual_budget = {amount} WHERE project_id = '{project}'"
        ))
        .execute(&mut **tx)
        .await
        .unwrap();
    }
    // The first refreshes now, holding the refresh until it commits …
    sqlx::query("SET CONSTRAINTS ALL IMMEDIATE")
        .execute(&mut *one)
        .await
        .unwrap();
    // … while the second commits, refreshing the same year.
    let committing = tokio::spawn(async move { two.commit().await.unwrap() });
    app.blocked_or_done(Some(pid), &committing).await;
    one.commit().await.unwrap();
    committing.await.unwrap();
    assert_eq!(shown_years(db, first).await, vec!["2025 3000.00 0.00"]);
    assert_eq!(differences(db).await, Vec::<String>::new());
}

/// A change of a project's year committed while another transaction moves the project to
/// another board: the refresh reads the project's board only once it may refresh, so the board
/// the project moved to is refreshed.
#[tokio::test]
async fn a_change_beside_a_move_to_another_board_refreshes_the_new_board() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let Fixture {
        boards: [_, second],
        projects: [a, ..],
        ..
    } = fixture(db).await;
    run(
        db,
        &format!(
            "INSERT INTO project_year (project_id, year, annual_budget) VALUES ('{a}', 2026, 100)"
        ),
    )
    .await;
    // Another board's refresh holds the refresh lock …
    let mut holder = db.begin().await.unwrap();
    sqlx::query("SELECT lock_board_year_refresh()")
        .execute(&mut *holder)
        .await
        .unwrap();
    // … while the move commits, and then the deletion of the project's year.
    let mut started = Vec::new();
    for sql in [
        format!("UPDATE project SET board_id = '{second}' WHERE id = '{a}'"),
        format!("DELETE FROM project_year WHERE project_id = '{a}'"),
    ] {
        let mut tx = db.begin().await.unwrap();
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
        let committing = tokio::spawn(async move { tx.commit().await.unwrap() });
        app.blocked_or_done(Some(pid), &committing).await;
        started.push(committing);
    }
    holder.commit().await.unwrap();
    for committing in started {
        committing.await.unwrap();
    }
    assert_eq!(differences(db).await, Vec::<String>::new());
    assert_eq!(shown_years(db, second).await, Vec::<String>::new());
}

/// Refreshes fired before the commit (`SET CONSTRAINTS … IMMEDIATE`) are done again for the
/// changes that follow them in the same transaction.
#[tokio::test]
async fn changes_after_an_early_refresh_are_refreshed_again() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let Fixture {
        boards: [first, _],
        projects: [a, b, _],
        ..
    } = fixture(db).await;
    let set = |project: Uuid, amount: i64| {
        format!(
            "INSERT INTO project_year (project_id, year, annual_budget) \
             VALUES ('{project}', 2025, {amount}) \
             ON CONFLICT (project_id, year) DO UPDATE SET annual_budget = {amount}"
        )
    };
    for statements in [
        vec![
            set(a, 200),
            "SET CONSTRAINTS ALL IMMEDIATE".to_owned(),
            "SET CONSTRAINTS ALL DEFERRED".to_owned(),
            set(a, 300),
        ],
        vec![
            "SET CONSTRAINTS ALL IMMEDIATE".to_owned(),
            set(a, 400),
            set(b, 500),
        ],
    ] {
        let mut tx = db.begin().await.unwrap();
        for sql in &statements {
            sqlx::query(sql).execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
        assert_eq!(
            differences(db).await,
            Vec::<String>::new(),
            "{statements:?}"
        );
    }
    assert_eq!(shown_years(db, first).await, vec!["2025 900.00 0.00"]);
}
