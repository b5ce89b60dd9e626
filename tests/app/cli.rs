//! The command line: creating the first administrator on a database without demo data.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use crate::support::{TestApp, cluster::cluster};

#[tokio::test]
async fn create_admin_makes_an_account_that_can_sign_in() {
    let app = TestApp::spawn().await;
    let url = cluster().url(&app.db_name);
    let run = |email: &'static str, password: &'static str| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut child = Command::new(env!("CARGO_BIN_EXE_portfolj"))
                .args(["create-admin", "--email", email, "--name", "Första Admin"])
                .env("DATABASE_URL", url)
                .env_remove("PORTFOLJ_DEMO")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run portfolj create-admin");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{password}\n").as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        })
    };
    let output = run("forsta@kommun.se", "ett riktigt långt lösenord")
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("Administratören forsta@kommun.se har skapats.")
    );

    let client = app.client();
    assert_eq!(
        client
            .sign_in("forsta@kommun.se", "ett riktigt långt lösenord")
            .await
            .status,
        303
    );
    assert_eq!(client.get("/admin/anvandare").await.status, 200);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM audit_log WHERE source = 'cli' AND action = 'user_created'"
        )
        .await,
        1
    );

    let again = run("forsta@kommun.se", "ett riktigt långt lösenord")
        .await
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("E-postadressen används redan"));
    let short = run("andra@kommun.se", "kort").await.unwrap();
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("minst 10 tecken"));
}
