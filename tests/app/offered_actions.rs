//! A role never sees a link or button that ends in a refusal: what a page offers is what the
//! policy behind it allows.

use crate::{
    portfolio::{item_id, round_id},
    projects::project_id,
    support::{ADMIN, AUDITOR, CONTROLLER, COORDINATION, IT_CENTER, STRATEGY_LUDVIKA, TestApp},
};

#[tokio::test]
async fn only_the_coordination_group_is_offered_the_decision_form_and_only_at_the_meeting() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let round = format!("/omgangar/{q4}");
    let decision = format!("{round}/beslut");
    let link = format!("href=\"{decision}\"");
    // IT-center runs the round but does not decide it.
    let it_center = app.signed_in(IT_CENTER).await;
    let page = it_center.get(&round).await;
    assert!(!page.body.contains(&link), "IT-center is offered the form");
    assert!(page.body.contains("beslutsformuläret"));
    assert_eq!(it_center.get(&decision).await.status, 403);
    let coordination = app.signed_in(COORDINATION).await;
    assert!(coordination.get(&round).await.body.contains(&link));
    // Before the meeting the form would be refused, so it is not offered.
    sqlx::query("UPDATE round SET phase = 'review' WHERE id = $1::uuid")
        .bind(&q4)
        .execute(&app.db)
        .await
        .unwrap();
    assert!(!coordination.get(&round).await.body.contains(&link));
    assert_eq!(coordination.get(&decision).await.status, 409);
}

#[tokio::test]
async fn an_auditor_reads_the_open_round_but_is_offered_no_change() {
    let app = TestApp::spawn().await;
    let auditor = app.signed_in(AUDITOR).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let rounds = auditor.get("/omgangar").await;
    assert!(rounds.body.contains(&format!("href=\"/omgangar/{q4}\"")));
    let round = auditor.get(&format!("/omgangar/{q4}")).await;
    assert_eq!(round.status, 200);
    assert!(
        round
            .body
            .contains(&format!("href=\"/omgangar/{q4}/rangordning\""))
    );
    assert!(!round.body.contains(&format!("/omgangar/{q4}/beslut")));
    assert!(
        round.texts("main form[method=post] button").is_empty(),
        "{:?}",
        round.texts("main form[method=post] button")
    );
    // And from an item's history of rounds.
    let item = auditor
        .get(&format!("/portfolj/{}", item_id(&app, 4).await))
        .await;
    assert!(item.body.contains(&format!("href=\"/omgangar/{q4}\"")));
}

#[tokio::test]
async fn a_project_locked_by_its_final_report_offers_no_edits_but_measurements() {
    let app = TestApp::spawn().await;
    let id = project_id(&app, "GSN 2023-5").await;
    let project = format!("/projekt/{id}");
    let it_center = app.signed_in(IT_CENTER).await;
    let new_goal = format!("{project}/effektmal/nytt");
    assert_eq!(
        it_center
            .post_from(&new_goal, &new_goal, &[("goal", "Färre incidenter")])
            .await
            .status,
        303
    );
    sqlx::query("UPDATE project SET status = 'final_report_approved' WHERE id = $1::uuid")
        .bind(&id)
        .execute(&app.db)
        .await
        .unwrap();

    let page = it_center.get(&project).await;
    assert!(!page.body.contains(&format!("href=\"{project}/redigera\"")));
    assert!(page.form_fields(&format!("{project}/status")).is_none());
    assert!(
        page.text("#locked-note")
            .contains("slutredovisningen är godkänd")
    );
    assert_eq!(
        it_center.get(&format!("{project}/redigera")).await.status,
        409
    );
    let goals = it_center.get(&format!("{project}/effektmal")).await;
    assert!(!goals.body.contains(&format!("href=\"{new_goal}\"")));
    assert!(!goals.body.contains("Ändra effektmål"));
    assert_eq!(it_center.get(&new_goal).await.status, 409);
    // Benefits are followed up after the project: measurements stay open.
    let goal = app
        .text_of(
            "SELECT id::text FROM effect_goal WHERE project_id = $1::uuid",
            &id,
        )
        .await;
    assert!(
        goals
            .form_fields(&format!("{project}/effektmal/{goal}/matningar"))
            .is_some()
    );

    let controller = app.signed_in(CONTROLLER).await;
    let page = controller.get(&project).await;
    assert!(!page.body.contains(&format!("href=\"{project}/ekonomi\"")));
    assert!(!page.body.contains("Ändra budget och utfall"));
    assert_eq!(
        controller.get(&format!("{project}/ekonomi")).await.status,
        409
    );
    let budget = controller.get(&format!("{project}/budget")).await;
    assert!(
        budget
            .body
            .find("<form method=\"post\" action=\"/projekt/")
            .is_none()
    );
    assert!(budget.text("#locked-note").contains("låst"));
}

#[tokio::test]
async fn an_administrator_is_not_offered_to_deactivate_their_own_account() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let me = app
        .text_of("SELECT id::text FROM app_user WHERE email = $1", ADMIN)
        .await;
    let own = format!("/admin/anvandare/{me}");
    let page = admin.get(&own).await;
    assert!(page.form_fields(&format!("{own}/inaktivera")).is_none());
    assert!(page.body.contains("Du kan inte inaktivera ditt eget konto"));
    let other = app
        .text_of("SELECT id::text FROM app_user WHERE email = $1", AUDITOR)
        .await;
    let page = admin.get(&format!("/admin/anvandare/{other}")).await;
    assert!(
        page.form_fields(&format!("/admin/anvandare/{other}/inaktivera"))
            .is_some()
    );
}

/// A review the reader cannot change says why, and until when, in the reader's words.
#[tokio::test]
async fn a_closed_review_says_why_and_since_when() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let ludvika: String =
        sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = 'Ludvika'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let review = format!("/omgangar/{q4}/beredning/{ludvika}");
    let group = app.signed_in(STRATEGY_LUDVIKA).await;
    // Submitted: read only, and whom to ask.
    let page = group.get(&review).await;
    assert!(
        page.text("#review-closed").contains("skickades in"),
        "{}",
        page.text("#review-closed")
    );
    assert!(page.text("#review-closed").contains("kontakta IT-center"));
    assert!(
        page.form_fields(&review).is_none(),
        "no form for a submitted review"
    );
    // A draft left when the round moved on: closed since the deadline, with the phase named.
    sqlx::query(
        "UPDATE review SET submitted_at = NULL, submitted_by = NULL WHERE round_id = $1::uuid",
    )
    .bind(&q4)
    .execute(&app.db)
    .await
    .unwrap();
    let page = group.get(&review).await;
    let why = page.text("#review-closed");
    assert!(
        why.contains("stängde") && why.contains("prioriteringsmöte") && why.contains("2026-11-20"),
        "{why}"
    );
    // Open: the form, and the last day to submit.
    sqlx::query("UPDATE round SET phase = 'review' WHERE id = $1::uuid")
        .bind(&q4)
        .execute(&app.db)
        .await
        .unwrap();
    let page = group.get(&review).await;
    assert!(page.texts("#review-closed").is_empty());
    assert!(
        page.body
            .contains("Skicka in senast <strong>2026-11-20</strong>")
    );
    assert!(page.form_fields(&review).is_some());
}
