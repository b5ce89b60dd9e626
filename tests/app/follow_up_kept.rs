//! The investment outcome per project and month that the period report reads
//! (`project_month_outcome`, kept by triggers): after every kind of change to outcome entries
//! and budget lines the kept rows equal a fresh sum of the entries, and the report's cells follow.

use sqlx::PgPool;
use uuid::Uuid;

use crate::follow_up::{open_report, rows, second_period};
use crate::support::{AUDITOR, Client, TestApp, kept, kept::run};

/// The kept rows that differ from a fresh sum of the outcome entries (either side), as text: a
/// project has the twelve months of every year it has entries in, each with the month's outcome
/// and the year's up to and including it, and no other rows.
async fn differences(db: &PgPool) -> Vec<String> {
    let fresh = "WITH booked AS (
             SELECT l.project_id, e.month, sum(e.amount) AS amount
             FROM budget_line l JOIN outcome_entry e ON e.budget_line_id = l.id
             GROUP BY l.project_id, e.month)
         SELECT y.project_id || ' ' || m.month::date || ' ' ||
                coalesce(b.amount, 0)::numeric(14, 2) || ' ' ||
                (SELECT coalesce(sum(x.amount), 0) FROM booked x
                 WHERE x.project_id = y.project_id
                   AND x.month >= y.first AND x.month <= m.month::date)::numeric(14, 2)
         FROM (SELECT DISTINCT project_id, date_trunc('year', month)::date AS first
               FROM booked) AS y
         CROSS JOIN LATERAL generate_series(y.first, y.first + interval '11 months',
                                            interval '1 month') AS m (month)
         LEFT JOIN booked b ON b.project_id = y.project_id AND b.month = m.month::date";
    let kept = "SELECT project_id || ' ' || month || ' ' || amount || ' ' || year_to_date \
                FROM project_month_outcome";
    kept::differences(db, kept, fresh).await
}

/// The project's outcome in the report's investment table and the year's outcome in its
/// implementation-rate table, in mnkr as shown.
async fn shown_outcome(client: &Client) -> (String, String) {
    let page = open_report(client, 2025, "Tillfälle 1", "Kultur- och fritidsnämnden").await;
    let projects = rows(&page, "table.investments");
    let years = rows(&page, "table.rates");
    assert_eq!(years.len(), 1, "{years:?}");
    assert_eq!(years[0][0], "2025");
    (projects[0][4].clone(), years[0][2].clone())
}

#[tokio::test]
async fn the_kept_outcome_per_month_follows_every_change_of_outcome_entries() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    // The demo's entries, loaded after the migrations, went through the triggers.
    assert!(
        app.count("SELECT count(*) FROM project_month_outcome")
            .await
            > 0
    );
    assert_eq!(differences(db).await, Vec::<String>::new());

    let second = second_period(db, true).await;
    let client = app.signed_in(AUDITOR).await;
    // January–April 2025: 0,3 in February; 999 kr in May counts in the year only.
    assert_eq!(shown_outcome(&client).await, ("0,3".into(), "0,3".into()));

    let line: Uuid = sqlx::query_scalar(
        "SELECT l.id FROM budget_line l JOIN project p ON p.id = l.project_id \
         WHERE p.board_id = $1",
    )
    .bind(second.board)
    .fetch_one(db)
    .await
    .unwrap();
    // A line of its own on a project of another board.
    let other_line = Uuid::now_v7();
    run(
        db,
        &format!(
            "INSERT INTO budget_line (id, project_id, position, category, budget) \
             SELECT '{other_line}', id, 99, 'Flyttad rad', 0 FROM project \
             WHERE board_id <> '{}' ORDER BY id LIMIT 1",
            second.board
        ),
    )
    .await;
    let entry = Uuid::now_v7();
    let march = Uuid::now_v7();
    let steps: Vec<(String, (&str, &str))> = vec![
        // A second entry in a month that has one, and one in a month that has none.
        (
            format!(
                "INSERT INTO outcome_entry (id, budget_line_id, month, amount, source) VALUES \
                 ('{entry}', '{line}', '2025-02-01', 1200000, 'manual'), \
                 ('{march}', '{line}', '2025-03-01', 100000.50, 'manual')"
            ),
            ("1,6", "1,6"),
        ),
        (
            format!("UPDATE outcome_entry SET amount = 400000 WHERE id = '{entry}'"),
            ("0,8", "0,8"),
        ),
        // After the period: the year's outcome only.
        (
            format!("UPDATE outcome_entry SET month = '2025-06-01' WHERE id = '{entry}'"),
            ("0,4", "0,8"),
        ),
        // Into another year.
        (
            format!("UPDATE outcome_entry SET month = '2024-06-01' WHERE id = '{entry}'"),
            ("0,4", "0,4"),
        ),
        // To another project's line, and back in the period.
        (
            format!(
                "UPDATE outcome_entry SET budget_line_id = '{other_line}', month = '2025-01-01' \
                 WHERE id = '{entry}'"
            ),
            ("0,4", "0,4"),
        ),
        // The other project's line moved to this project, with the entry.
        (
            format!(
                "UPDATE budget_line SET project_id = (SELECT project_id FROM budget_line \
                 WHERE id = '{line}'), position = 99 WHERE id = '{other_line}'"
            ),
            ("0,8", "0,8"),
        ),
        // The moved line deleted with its entry in one statement.
        (
            format!(
                "WITH e AS (DELETE FROM outcome_entry WHERE budget_line_id = '{other_line}') \
                 DELETE FROM budget_line WHERE id = '{other_line}'"
            ),
            ("0,4", "0,4"),
        ),
        (
            format!("DELETE FROM outcome_entry WHERE id = '{march}'"),
            ("0,3", "0,3"),
        ),
        (
            format!(
                "DELETE FROM outcome_entry WHERE budget_line_id = '{line}' \
                 AND month >= '2025-01-01'"
            ),
            ("0,0", "0,0"),
        ),
    ];
    for (sql, (period, year)) in steps {
        run(db, &sql).await;
        assert_eq!(differences(db).await, Vec::<String>::new(), "after {sql}");
        assert_eq!(
            shown_outcome(&client).await,
            (period.to_owned(), year.to_owned()),
            "after {sql}"
        );
    }
}

/// A project deleted with its rows in one statement takes its kept months with it.
#[tokio::test]
async fn a_project_deleted_with_its_outcome_leaves_no_kept_months() {
    let app = TestApp::spawn().await;
    let project = Uuid::now_v7();
    let line = Uuid::now_v7();
    for sql in [
        format!(
            "INSERT INTO project (id, name, case_number, board_id, plan, status) \
             SELECT '{project}', 'Borttaget', 'KS 2025-999', id, 'digitalisation', 'idea' \
             FROM board ORDER BY id LIMIT 1"
        ),
        format!(
            "INSERT INTO budget_line (id, project_id, position, category, budget) \
             VALUES ('{line}', '{project}', 1, 'Licenser', 1000)"
        ),
        format!(
            "INSERT INTO outcome_entry (id, budget_line_id, month, amount, source) \
             VALUES (gen_random_uuid(), '{line}', '2025-02-01', 700, 'manual'), \
                    (gen_random_uuid(), '{line}', '2026-02-01', 300, 'manual')"
        ),
    ] {
        run(&app.db, &sql).await;
    }
    let kept = format!("SELECT count(*) FROM project_month_outcome WHERE project_id = '{project}'");
    assert_eq!(app.count(&kept).await, 24);
    run(
        &app.db,
        &format!(
            "WITH e AS (DELETE FROM outcome_entry WHERE budget_line_id = '{line}'), \
                  bl AS (DELETE FROM budget_line WHERE project_id = '{project}') \
             DELETE FROM project WHERE id = '{project}'"
        ),
    )
    .await;
    assert_eq!(app.count(&kept).await, 0);
    assert_eq!(differences(&app.db).await, Vec::<String>::new());
}

/// Each project's kept outcome total (`project.outcome_total`) that differs from a fresh sum.
async fn total_differences(db: &PgPool) -> Vec<String> {
    let kept = "SELECT id || ' ' || coalesce(outcome_total::text, '-') FROM project";
    let fresh = "SELECT t.id || ' ' || coalesce((
                     SELECT sum(e.amount) FROM outcome_entry e
                     JOIN budget_line l ON l.id = e.budget_line_id
                     LEFT JOIN sub_entity s ON s.id = l.sub_entity_id
                     WHERE l.project_id = t.id AND NOT coalesce(s.excluded, false)
                 )::text, '-')
                 FROM project t";
    kept::differences(db, kept, fresh).await
}

/// One statement that writes, moves or removes entries of several projects in several years (as
/// an import or its undo does) leaves every kept month and total as a fresh sum.
#[tokio::test]
async fn many_entries_of_several_projects_in_one_statement_are_kept() {
    let app = TestApp::spawn().await;
    let db = &app.db;
    let lines: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT ON (project_id) id FROM budget_line ORDER BY project_id, position LIMIT 3",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(lines.len(), 3);
    let [a, b, c] = [lines[0], lines[1], lines[2]];
    let steps = [
        format!(
            "INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source) \
             SELECT gen_random_uuid(), l, make_date(y, m, 1), 1000 * m + y - 2020, 'bulk', 'manual' \
             FROM unnest(ARRAY['{a}', '{b}', '{c}']::uuid[]) AS l, generate_series(2024, 2026) y, \
                  generate_series(1, 12) m"
        ),
        // Text only: nothing kept changes.
        "UPDATE outcome_entry SET text = 'bulk, rättad text' WHERE text = 'bulk'".to_owned(),
        format!(
            "UPDATE outcome_entry SET budget_line_id = '{c}', \
             month = month - interval '1 year' \
             WHERE text LIKE 'bulk%' AND budget_line_id = '{a}' AND extract(month FROM month) > 6"
        ),
        format!(
            "UPDATE outcome_entry SET amount = -amount WHERE text LIKE 'bulk%' AND budget_line_id = '{b}'"
        ),
        "DELETE FROM outcome_entry WHERE text LIKE 'bulk%' AND extract(year FROM month) = 2025"
            .to_owned(),
        "DELETE FROM outcome_entry WHERE text LIKE 'bulk%'".to_owned(),
    ];
    for sql in steps {
        run(db, &sql).await;
        assert_eq!(differences(db).await, Vec::<String>::new(), "after {sql}");
        assert_eq!(
            total_differences(db).await,
            Vec::<String>::new(),
            "after {sql}"
        );
    }
}
