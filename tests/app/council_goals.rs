//! Council goals: administrators keep the list; everyone sees which goals no project serves and
//! which projects serve no goal (the auditors' finding in seed 004).

use crate::support::{ADMIN, AUDITOR, IT_CENTER, STRATEGY_LUDVIKA, TestApp};

fn goal_rows(page: &crate::support::Page) -> Vec<Vec<String>> {
    let html = page.html();
    let rows = scraper::Selector::parse("table.council-goals tbody tr").unwrap();
    let cells = scraper::Selector::parse("th, td").unwrap();
    html.select(&rows)
        .map(|r| {
            r.select(&cells)
                .take(4)
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn goals_without_projects_and_projects_without_goals_are_impossible_to_miss() {
    let app = TestApp::spawn().await;
    let page = app.signed_in(AUDITOR).await.get("/mal").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        goal_rows(&page),
        [
            [
                "Huddinge",
                "En kommun där människor trivs och växer – Social hållbarhet",
                "0 – inget projekt",
                "Gäller"
            ],
            [
                "Huddinge",
                "God ekonomi och effektiv verksamhet – Ekonomisk hållbarhet",
                "0 – inget projekt",
                "Gäller"
            ],
            [
                "Huddinge",
                "Naturkommun som tar klimatansvar – Ekologisk hållbarhet",
                "0 – inget projekt",
                "Gäller"
            ],
            [
                "Ludvika",
                "Digitalt först – enklare vardag för invånarna",
                "3",
                "Gäller"
            ],
            [
                "Norrtälje",
                "En hållbar och effektiv organisation",
                "0 – inget projekt",
                "Gäller"
            ],
            [
                "Norrtälje",
                "Mål och budget, styrmodell för Norrtälje kommun",
                "1",
                "Gäller"
            ],
            [
                "Smedjebacken",
                "En attraktiv kommun med god service",
                "2",
                "Gäller"
            ],
        ]
    );
    assert_eq!(
        page.texts("ul.unlinked li"),
        [
            "Klientdatorer och skrivare (GSN 2021-12)",
            "Serverhall och lagring (GSN 2021-3)",
            "Åtgärdsprogram IT-säkerhet (GSN 2023-5)"
        ]
    );
    assert!(
        !page.body.contains("Nytt mål"),
        "only administrators add goals"
    );

    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await.get("/mal").await;
    assert_eq!(goal_rows(&ludvika).len(), 1);
}

#[tokio::test]
async fn an_admin_adds_and_retires_goals() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let ludvika: String =
        sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = 'Ludvika'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let empty = admin
        .post_from(
            "/mal",
            "/mal",
            &[("municipality", &ludvika), ("title", "  ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(
        empty.field_error("title").unwrap(),
        "Fel: Mål: Fältet måste fyllas i."
    );
    let duplicate = admin
        .post_from(
            "/mal",
            "/mal",
            &[
                ("municipality", &ludvika),
                ("title", "Digitalt först – enklare vardag för invånarna"),
            ],
        )
        .await;
    assert_eq!(duplicate.status, 422);
    assert_eq!(
        duplicate.field_error("title").unwrap(),
        "Fel: Kommunen har redan ett mål med den rubriken."
    );
    assert_eq!(
        duplicate.value("#title").as_deref(),
        Some("Digitalt först – enklare vardag för invånarna")
    );
    let created = admin
        .post_from(
            "/mal",
            "/mal",
            &[("municipality", &ludvika), ("title", "Trygg och säker IT")],
        )
        .await;
    assert_eq!(created.status, 303);
    let id: String =
        sqlx::query_scalar("SELECT id::text FROM council_goal WHERE title = 'Trygg och säker IT'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(
        app.signed_in(IT_CENTER)
            .await
            .get("/projekt/nytt")
            .await
            .body
            .contains("Trygg och säker IT")
    );

    let retired = admin
        .post_from("/mal", &format!("/mal/{id}/inaktivera"), &[])
        .await;
    assert_eq!(retired.status, 303);
    let page = admin.get("/mal").await;
    assert!(
        goal_rows(&page)
            .iter()
            .any(|r| r[1] == "Trygg och säker IT" && r[3] == "Gäller inte längre")
    );
    assert!(
        !app.signed_in(IT_CENTER)
            .await
            .get("/projekt/nytt")
            .await
            .body
            .contains("Trygg och säker IT")
    );
    let logged = app
        .count("SELECT count(*) FROM audit_log WHERE entity = 'council_goal' AND action IN ('council_goal_created', 'council_goal_updated')")
        .await;
    assert_eq!(logged, 2);
}
