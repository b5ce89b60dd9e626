//! The audit log: written for sign-in and sign-out, readable by auditors, never alterable.

use crate::support::{ADMIN, AUDITOR, IT_CENTER, TestApp};

#[tokio::test]
async fn sign_in_and_sign_out_are_recorded_with_who_and_from_where() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    client.post_from("/", "/logga-ut", &[]).await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT action, actor_label, source FROM audit_log WHERE action IN ('sign_in', 'sign_out') ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let label = "Ivar Isaksson <itcenter@demo.portfolj.se>".to_owned();
    assert_eq!(
        rows,
        vec![
            ("sign_in".into(), label.clone(), "127.0.0.1".into()),
            ("sign_out".into(), label, "127.0.0.1".into())
        ]
    );
}

#[tokio::test]
async fn the_auditor_reads_the_log_in_swedish() {
    let app = TestApp::spawn().await;
    app.client().sign_in(ADMIN, "fel").await;
    let auditor = app.signed_in(AUDITOR).await;
    let page = auditor.get("/logg").await;
    assert_eq!(page.status, 200);
    let rows = page.texts("tbody tr");
    assert!(
        rows[0].contains("Inloggning") && rows[0].contains("Rut Rydberg"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("Misslyckad inloggning") && rows[1].contains(ADMIN),
        "{rows:?}"
    );
    let headers = page.texts("thead th");
    assert_eq!(
        headers,
        [
            "Tid",
            "Vem",
            "Händelse",
            "Objekt",
            "Fält",
            "Före",
            "Efter",
            "Källa"
        ]
    );
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_audit_entries() {
    let app = TestApp::spawn().await;
    app.signed_in(ADMIN).await;
    let before = app.count("SELECT count(*) FROM audit_log").await;
    assert!(before > 0);
    for statement in [
        "UPDATE audit_log SET actor_label = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "TRUNCATE audit_log CASCADE",
    ] {
        let error = sqlx::query(statement)
            .execute(&app.db)
            .await
            .expect_err(statement);
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
    assert_eq!(app.count("SELECT count(*) FROM audit_log").await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE actor_label = 'someone else'")
            .await,
        0
    );
}
