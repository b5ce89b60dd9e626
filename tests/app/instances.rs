//! More than one server on one PostgreSQL: the application keeps no state of its own, so two
//! instances started together on one empty database prepare it once, share sign-ins, refuse a
//! save over a version the other instance has moved on, and serve pages on one while the other
//! reads a long ledger import.

use std::net::SocketAddr;

use portfolj::{AppState, Config, db};

use crate::{
    ledger_import::IMPORTS,
    projects::SEED_000,
    support::{CONTROLLER, Client, IT_CENTER, cluster::cluster},
};

/// An instance of the application on its own address, as `serve` starts it.
pub(crate) async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = portfolj::app(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn two_instances_start_together_on_one_database_and_act_as_one() {
    crate::support::logs::install();
    let (owner, runtime) = cluster().empty_database().await;
    let config = || {
        let mut config = Config::from_lookup(|_| None).unwrap();
        config.database_url = Some(runtime.clone());
        config.migration_database_url = Some(owner.clone());
        config.db_pool_size = 4;
        config
    };
    let (first, second) = (config(), config());
    // Both at the same moment: the migrations and the grants are done once, in turn.
    let (a, b) = tokio::join!(db::open(&first), db::open(&second));
    let (a, b) = (a.expect("first instance"), b.expect("second instance"));
    let applied: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&a.pool)
            .await
            .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&a.pool)
        .await
        .unwrap();
    assert_eq!(
        (applied, rows),
        (db::MIGRATOR.migrations.len() as i64, applied)
    );
    let owner_pool = db::pool(owner.parse().unwrap(), 2).await.unwrap();
    db::demo::load_if_empty(&owner_pool).await.unwrap();

    let (base_a, base_b) = (
        serve(AppState::new(a.pool.clone(), first).unwrap()).await,
        serve(AppState::new(b.pool.clone(), second).unwrap()).await,
    );
    // Signed in on one, signed in on the other.
    let on_a = Client::new(&base_a);
    assert_eq!(on_a.sign_in(IT_CENTER, "demo").await.status, 303);
    let cookie = on_a.session_cookie().unwrap();
    let on_b = Client::with_cookie(&base_b, &cookie);
    let start = on_b.get("/").await;
    assert_eq!(start.status, 200);
    assert!(
        start.text(".user-menu__name").starts_with("Ivar Isaksson"),
        "{}",
        start.text(".user-menu__name")
    );

    // A form read on one instance, the same project saved on the other: the first save is
    // refused with what is saved now.
    let id = sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM project WHERE case_number = $1")
        .bind(SEED_000)
        .fetch_one(&a.pool)
        .await
        .unwrap();
    let form = format!("/projekt/{id}/redigera");
    let stale = on_a
        .get(&form)
        .await
        .filled_in(&form, &[("name", "Namnet från instans A")]);
    let saved = on_b
        .submit_form(&form, &form, &[("name", "Namnet från instans B")])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let refused = on_a.post_values(&form, &stale).await;
    assert_eq!(refused.status, 409);
    assert!(refused.text(".conflict").contains("Namnet från instans B"));

    // A controller's long ledger import on A; the pages of the same project on B answer while
    // it is read.
    let controller = Client::new(&base_a);
    assert_eq!(controller.sign_in(CONTROLLER, "demo").await.status, 303);
    let ludvika =
        sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM municipality WHERE name = 'Ludvika'")
            .fetch_one(&a.pool)
            .await
            .unwrap()
            .to_string();
    let sent = controller
        .upload_with(
            IMPORTS,
            IMPORTS,
            &[("municipality", &ludvika)],
            ("stor.se", long_ledger()),
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text("main"));
    let status = format!("{}/status", sent.location().unwrap());
    let reading = || async { controller.get(&status).await.body.contains("\"reading\"") };
    assert!(reading().await, "the import is still being read");
    let pages = [
        "/projekt".to_owned(),
        format!("/projekt/{id}"),
        format!("/projekt/{id}/budget"),
    ];
    let mut served = 0;
    while reading().await {
        let page = on_b.get(&pages[served % pages.len()]).await;
        assert_eq!(page.status, 200, "{}", page.body);
        served += 1;
    }
    eprintln!("{served} pages served by B while A read the import");
    assert!(
        served >= pages.len(),
        "only {served} pages on B before the import on A was read: make the file longer"
    );
}

/// A ledger file of 150 000 vouchers (300 000 rows, about 15 MB): seconds to read.
fn long_ledger() -> Vec<u8> {
    let mut file = String::from("#FORMAT PC8\n#SIETYP 4\n#RAR 0 20260101 20261231\n");
    for v in 1..=150_000 {
        file += &format!(
            "#VER A {v} 20260131 \"Ver {v}\"\n{{\n#TRANS 5460 {{6 \"{:04}\"}} {v}.25\n#TRANS 2440 {{}} -{v}.25\n}}\n",
            v % 300
        );
    }
    file.into_bytes()
}
