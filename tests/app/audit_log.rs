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
    // Sign-ins are hidden unless asked for.
    let changes = auditor.get("/logg").await;
    assert!(
        changes
            .texts("tbody tr")
            .iter()
            .all(|r| !r.contains("Inloggning")),
        "{:?}",
        changes.texts("tbody tr")
    );
    let page = auditor.get("/logg?inloggningar=ja").await;
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
    let tampering = [
        "UPDATE audit_log SET actor_label = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "TRUNCATE audit_log CASCADE",
    ];
    // The application's own role has no right to change the log, nor to switch off its
    // triggers or replication-role tricks that skip them.
    if crate::support::cluster::cluster().runs_as_runtime_role() {
        let evasions = [
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete",
            "DROP TRIGGER audit_log_no_update_or_delete ON audit_log",
            "SET session_replication_role = replica",
        ];
        for statement in tampering.iter().chain(&evasions) {
            let error = sqlx::query(statement)
                .execute(&app.db)
                .await
                .expect_err(statement);
            let message = error.to_string();
            assert!(
                message.contains("permission denied") || message.contains("must be owner"),
                "{statement}: {error}"
            );
        }
        let runtime_inserts = sqlx::query(
            "INSERT INTO audit_log (actor_label, action, entity, source) \
             VALUES ('test', 'probe', 'test', 'test')",
        )
        .execute(&app.db)
        .await;
        assert!(runtime_inserts.is_ok(), "the application still appends");
    }
    // Even the owner of the table meets the append-only triggers.
    let mut owner = app.owner().await;
    for statement in tampering {
        let error = sqlx::query(statement)
            .execute(&mut owner)
            .await
            .expect_err(statement);
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
    assert!(app.count("SELECT count(*) FROM audit_log").await > before);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE actor_label = 'someone else'")
            .await,
        0
    );
}

/// An external database with the two roles of the install guide: `db::open` migrates as the
/// owner and hands the runtime role only what it needs.
#[tokio::test]
async fn an_external_database_runs_as_a_role_that_cannot_rewrite_the_log() {
    let cluster = crate::support::cluster::cluster();
    if !cluster.runs_as_runtime_role() {
        eprintln!("DATABASE_URL given: roles cannot be created here, skipped");
        return;
    }
    let suffix = std::process::id();
    let (owner, runtime, database) = (
        format!("ext_owner_{suffix}"),
        format!("ext_app_{suffix}"),
        format!("ext_db_{suffix}"),
    );
    let mut admin = cluster.admin_connection().await;
    for statement in [
        format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        format!("DROP ROLE IF EXISTS {runtime}"),
        format!("DROP ROLE IF EXISTS {owner}"),
        format!("CREATE ROLE {owner} LOGIN"),
        format!("CREATE ROLE {runtime} LOGIN"),
        format!("CREATE DATABASE {database} OWNER {owner}"),
    ] {
        sqlx::query(&statement).execute(&mut admin).await.unwrap();
    }
    let url_as = |role: &str| {
        let mut url = url::Url::parse(&cluster.url(&database)).unwrap();
        url.set_username(role).unwrap();
        url.to_string()
    };
    let mut config = portfolj::Config::from_lookup(|_| None).unwrap();
    config.database_url = Some(url_as(&runtime));
    config.migration_database_url = Some(url_as(&owner));
    config.demo = false;
    let database_handle = portfolj::db::open(&config)
        .await
        .expect("open as two roles");
    let pool = database_handle.pool;
    let who: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(who, runtime);
    sqlx::query(
        "INSERT INTO audit_log (actor_label, action, entity, source) VALUES ('t', 'probe', 't', 't')",
    )
    .execute(&pool)
    .await
    .expect("the runtime role appends");
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM municipality")
            .fetch_one(&pool)
            .await
            .unwrap(),
        0,
        "reads its tables; no demo data in an external database"
    );
    for statement in [
        "UPDATE audit_log SET actor_label = 'x'",
        "DELETE FROM audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "DROP TABLE project CASCADE",
    ] {
        let error = sqlx::query(statement)
            .execute(&pool)
            .await
            .expect_err(statement);
        let message = error.to_string();
        assert!(
            message.contains("permission denied") || message.contains("must be owner"),
            "{statement}: {message}"
        );
    }
    pool.close().await;
    for statement in [
        format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        format!("DROP ROLE IF EXISTS {runtime}"),
        format!("DROP ROLE IF EXISTS {owner}"),
    ] {
        sqlx::query(&statement).execute(&mut admin).await.unwrap();
    }
}

/// Every action, object and field the demo's history holds has a Swedish name on the log page:
/// an auditor should never have to read `ranking_updated` or `portfolio_order`.
#[tokio::test]
async fn every_code_in_the_log_has_a_swedish_name() {
    use portfolj::audit::handlers::{action_label, entity_label, field_label};
    let app = TestApp::spawn().await;
    app.client().sign_in(ADMIN, "fel").await;
    app.signed_in(AUDITOR).await;
    let codes = |sql: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .fetch_all(&db)
                .await
                .unwrap()
        }
    };
    let mut untranslated = Vec::new();
    for action in codes("SELECT DISTINCT action FROM audit_log").await {
        if action_label(&action) == action {
            untranslated.push(format!("action {action}"));
        }
    }
    for entity in codes("SELECT DISTINCT entity FROM audit_log").await {
        if entity_label(&entity) == entity {
            untranslated.push(format!("entity {entity}"));
        }
    }
    for field in codes("SELECT DISTINCT field FROM audit_log WHERE field IS NOT NULL").await {
        if field_label(&field) == field {
            untranslated.push(format!("field {field}"));
        }
    }
    assert!(untranslated.is_empty(), "{untranslated:#?}");
    let page = app
        .signed_in(AUDITOR)
        .await
        .get("/logg?inloggningar=ja")
        .await;
    assert!(
        !page.text("tbody").contains("session"),
        "object column in Swedish"
    );
}

/// One entry as the log's filters find it, written as the application writes them.
async fn entry(
    app: &TestApp,
    (actor, action, entity, entity_id): (&str, &str, &str, &str),
    at: &str,
) {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_label, action, entity, entity_id, field, \
                                old_value, new_value, source, project_id) \
         SELECT $1::timestamptz, u.id, u.display_name || ' <' || u.email || '>', $2, $3, $4, 'name', \
                '=SUMMA(A1)', '+46 70', 'test', \
                CASE WHEN $3 = 'project' THEN $4::uuid END \
         FROM app_user u WHERE u.email = $5",
    )
    .bind(at)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(actor)
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_auditor_filters_the_log_by_period_person_project_and_kind_and_exports_it() {
    let app = TestApp::spawn().await;
    let project = crate::projects::project_id(&app, "KS 2020-339").await;
    let name: String = sqlx::query_scalar("SELECT name FROM project WHERE id = $1::uuid")
        .bind(&project)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let item: String = sqlx::query_scalar("SELECT id::text FROM portfolio_item WHERE number = 14")
        .fetch_one(&app.db)
        .await
        .unwrap();
    entry(
        &app,
        (IT_CENTER, "project_updated", "project", &project),
        "2025-03-10 09:00+01",
    )
    .await;
    entry(
        &app,
        (ADMIN, "portfolio_item_updated", "portfolio_item", &item),
        "2025-03-31 23:30+02",
    )
    .await;
    entry(
        &app,
        (ADMIN, "project_updated", "project", &project),
        "2025-04-01 00:30+02",
    )
    .await;
    let auditor = app.signed_in(AUDITOR).await;

    // March 2025 in Swedish time: the entry half an hour before midnight on the 31st is in,
    // the one half an hour after is not.
    let march = auditor.get("/logg?fran=2025-03-01&till=2025-03-31").await;
    let rows = march.texts("tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("P-014"), "{rows:?}");
    assert!(rows[1].contains(&name), "names, not ids: {rows:?}");
    assert!(!rows[1].contains(&project), "{rows:?}");
    // Subjects link to their pages.
    let links: Vec<String> = march
        .html()
        .select(&scraper::Selector::parse("tbody a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(links.contains(&format!("/projekt/{project}")), "{links:?}");
    assert!(links.contains(&format!("/portfolj/{item}")), "{links:?}");

    let admin_id: String = sqlx::query_scalar("SELECT id::text FROM app_user WHERE email = $1")
        .bind(ADMIN)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let by_admin = auditor
        .get(&format!(
            "/logg?vem={admin_id}&typ=project&fran=2025-01-01&till=2025-12-31"
        ))
        .await;
    let rows = by_admin.texts("tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("2025-04-01 00:30"), "{rows:?}");
    let of_project = auditor
        .get(&format!("/logg?projekt={project}&fran=2025-01-01"))
        .await;
    assert_eq!(of_project.texts("tbody tr").len(), 2);
    let of_item = auditor.get(&format!("/logg?objekt={item}")).await;
    assert_eq!(of_item.texts("tbody tr").len(), 1);

    // What does not parse is named next to its field; the rest of the filter still applies.
    let bad = auditor.get("/logg?fran=31/3&typ=x&till=2025-12-31").await;
    assert_eq!(bad.status, 422);
    assert!(bad.field_error("fran").unwrap().contains("inget datum"));
    assert!(bad.field_error("typ").is_some());
    assert_eq!(
        bad.value("#fran").as_deref(),
        Some("31/3"),
        "what was typed is kept"
    );

    // The export holds what the filter selects, text as text.
    let file = auditor
        .get(&format!("/logg.xlsx?projekt={project}&fran=2025-01-01"))
        .await;
    assert_eq!(file.status, 200);
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(file.bytes.clone())).unwrap();
    let sheet = workbook.worksheet_range("Revisionslogg").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[0][0], "Tid");
    assert_eq!(rows[1][4], format!("{name} (KS 2020-339)"));
    assert_eq!(rows[1][6], "=SUMMA(A1)");
    assert_eq!(rows[1][7], "+46 70");
    assert!(matches!(
        sheet.get_value((1, 0)),
        Some(calamine::Data::DateTime(_))
    ));
}

#[tokio::test]
async fn the_log_pages_from_a_fixed_entry_so_new_entries_do_not_shift_it() {
    let app = TestApp::spawn().await;
    let project = crate::projects::project_id(&app, "KS 2020-339").await;
    for day in 1..=28 {
        for hour in 0..5 {
            let at = format!("2024-02-{day:02} {:02}:00+01", 8 + hour);
            entry(
                &app,
                (IT_CENTER, "project_updated", "project", &project),
                &at,
            )
            .await;
        }
    }
    let auditor = app.signed_in(AUDITOR).await;
    let first = auditor
        .get(&format!("/logg?projekt={project}&till=2024-12-31"))
        .await;
    assert_eq!(first.texts("tbody tr").len(), 100);
    let older = first
        .html()
        .select(&scraper::Selector::parse("nav.pagination a").unwrap())
        .find(|a| a.text().collect::<String>() == "Äldre händelser")
        .and_then(|a| a.value().attr("href").map(str::to_owned))
        .unwrap();
    let last_on_first = first.texts("tbody tr").pop().unwrap();
    // A new entry meanwhile does not move the second page.
    entry(
        &app,
        (IT_CENTER, "project_updated", "project", &project),
        "2024-12-30 10:00+01",
    )
    .await;
    let second = auditor.get(&older).await;
    let rows = second.texts("tbody tr");
    assert_eq!(rows.len(), 40, "{rows:?}");
    assert_ne!(rows[0], last_on_first);
    assert!(
        rows.last().unwrap().contains("2024-02-01 08:00"),
        "{rows:?}"
    );
}
