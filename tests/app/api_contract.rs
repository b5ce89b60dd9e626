//! The API against its own OpenAPI document, tested by schemathesis (PyPI: `schemathesis`, the
//! `st` command): every operation called with generated valid and invalid input, as a user who
//! may write both outcome and items. Every answer must match the document (status, content
//! type, body schema) and none may be a 500. Left out is only `positive_data_acceptance`: a
//! request the schema allows may still break a business rule (a month that is no month, a
//! project the caller does not see), and such a request is rightly refused.

use std::process::Stdio;

use crate::{
    api::api_token,
    support::{ADMIN, TestApp},
};

#[tokio::test]
async fn every_operation_answers_as_its_openapi_document_says() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let created = admin
        .post_from(
            "/admin/anvandare/ny",
            "/admin/anvandare/ny",
            &[
                ("email", "integration@ludvika.se"),
                ("display_name", "Integrationen"),
                ("title", "Systemkonto"),
                ("password", "integrationens långa lösenord"),
                ("roles", "controller"),
                ("roles", "it_center"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let user = app.client();
    assert_eq!(
        user.sign_in("integration@ludvika.se", "integrationens långa lösenord")
            .await
            .status,
        303
    );
    let token = api_token(&app, "integration@ludvika.se", true, Some(&user)).await;

    let run = tokio::process::Command::new("st")
        .args(["run", &format!("{}/api/v1/openapi.json", app.base_url)])
        .args(["--url", &app.base_url])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .args([
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ])
        .args([
            "--max-examples",
            "15",
            "--max-time",
            "100",
            "--request-timeout",
            "10",
        ])
        .args(["--seed", "1", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "")
        // It keeps a cache of its own where it runs: not in the repository.
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(300), run)
        .await
        .expect("schemathesis finished within 5 minutes")
        .expect("schemathesis runs: install it with `pip install schemathesis` (see README)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("Tested: 12"), "{report}");
}
