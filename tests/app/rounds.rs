//! A prioritisation round through its phases: created from the open items, reviewed by the
//! strategy groups, ranked and decided by the coordination group, and immutable afterwards.

use crate::{
    portfolio::{item_id, round_id},
    support::{
        AUDITOR, COORDINATION, Client, IT_CENTER, STRATEGY_LUDVIKA, STRATEGY_SMEDJEBACKEN, TestApp,
    },
};

/// The board's item references in ranked order, then the unranked.
fn board_order(page: &crate::support::Page) -> Vec<String> {
    page.texts("#board-rows tr[data-item] .item-ref")
}

/// The places typed on the board, by item reference.
fn places(page: &crate::support::Page) -> Vec<(String, String)> {
    let refs = board_order(page);
    let html = page.html();
    let inputs = scraper::Selector::parse("#board-rows tr[data-item] input[name=rank]").unwrap();
    refs.into_iter()
        .zip(
            html.select(&inputs)
                .map(|i| i.value().attr("value").unwrap_or("").to_owned()),
        )
        .collect()
}

/// Posts the board as shown on `page`, with the places of some items typed anew.
async fn post_places(
    client: &Client,
    board: &str,
    page: &crate::support::Page,
    typed: &[(&str, &str)],
) -> crate::support::Page {
    let mut values = page.form_values(board);
    for (item, place) in typed {
        let at = values
            .iter()
            .position(|(n, v)| n == "item" && v == item)
            .expect("item on the board");
        // Each row posts item, was, rank in that order.
        assert_eq!(values[at + 2].0, "rank");
        values[at + 2].1 = (*place).to_owned();
    }
    client.post_values(board, &values).await
}

async fn municipality_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id::text FROM municipality WHERE name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Decides the demo's 2026-Q4 round as the board proposes.
async fn decide_q4(app: &TestApp, coordination: &Client) -> String {
    let q4 = round_id(app, "2026-Q4").await;
    decide(coordination, &format!("/omgangar/{q4}")).await;
    q4
}

#[tokio::test]
async fn the_board_shows_the_cut_line_and_the_strategy_groups_side_by_side() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = client.get(&format!("/omgangar/{q4}/rangordning")).await;
    assert_eq!(board.status, 200);
    let order = board_order(&board);
    assert_eq!(order.len(), 41);
    assert_eq!(&order[..3], ["P-031", "P-032", "P-037"]);
    // Ranked rows keep running totals; the line falls where 3 000 hours or 4 500 000 kr pass.
    let cut = board.text("#strecket");
    assert!(cut.contains("budgetramen överskrids"), "{cut}");
    let below: Vec<String> = board.texts("#board-rows tr.below-cut .item-ref");
    let first_below = &below[0];
    let position = order.iter().position(|r| r == first_below).unwrap();
    let cumulative: Vec<String> = board.texts("#board-rows tr[data-item] td:nth-child(9)");
    let kr = |s: &str| s.replace(' ', "").parse::<i64>().unwrap();
    assert!(kr(&cumulative[position - 1]) <= 4_500_000);
    assert!(kr(&cumulative[position]) > 4_500_000);
    // Both submitted reviews are on the item they concern.
    let mfa = board.texts("#rad-31 td.notes p");
    assert_eq!(
        mfa,
        [
            "Ludvika: plats 4, måste – Krav från försäkringsbolaget efter incidenten i våras.",
            "Smedjebacken: plats 2, måste – Stöds fullt ut."
        ]
    );
    assert_eq!(
        board.text("tr.unranked-heading"),
        "Ej rangordnade (6 objekt)"
    );
    // Prioritised in 2026-Q3 and not ordered, P-043 is back, and the board says so.
    assert!(
        board
            .text("#rad-43 th")
            .contains("Prioriterat 2026-Q3, ej beställt")
    );
}

#[tokio::test]
async fn typed_places_and_move_buttons_reorder_and_every_move_is_audited() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    // Board rows are keyed by item number.
    let (p4, p31) = ("4", "31");
    // Blanking a place takes the item out of the ranking.
    let page = client.get(&board).await;
    assert_eq!(
        post_places(&client, &board, &page, &[(p31, "")])
            .await
            .status,
        303
    );
    let page = client.get(&board).await;
    assert_eq!(
        places(&page).iter().find(|(r, _)| r == "P-031").unwrap().1,
        ""
    );
    // P-004 is now eighth; typing 2 puts it second and pushes the rest down.
    assert_eq!(
        post_places(&client, &board, &page, &[(p4, "2")])
            .await
            .status,
        303
    );
    let page = client.get(&board).await;
    assert_eq!(
        &board_order(&page)[..4],
        ["P-032", "P-004", "P-037", "P-018"]
    );
    assert_eq!(
        page.text(".flash"),
        "Rangordningen är sparad: 7 objekt fick ny plats."
    );

    // The move button takes P-004 one step up, without JavaScript.
    let page = client
        .post_from(
            &board,
            &board,
            &[
                ("version", &page.value("#ranking-version").unwrap()),
                ("move", &format!("up:{p4}")),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    assert!(page.location().unwrap().ends_with(&format!("#rad-{p4}")));
    let page = client.get(&board).await;
    assert_eq!(&board_order(&page)[..2], ["P-004", "P-032"]);
    assert_eq!(
        page.text(".flash"),
        "Flyttad till plats 1 av 34. Rangordningen är sparad."
    );

    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT old_value, new_value FROM audit_log WHERE action = 'ranking_updated' \
         AND old_value LIKE 'P-004%' ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            ("P-004: 9".into(), "P-004: 8".into()),
            ("P-004: 8".into(), "P-004: 2".into()),
            ("P-004: 2".into(), "P-004: 1".into())
        ]
    );
}

/// The typed place is the saved place, moving down as well as up: the walk found "7 → 8"
/// staying at 7 and "7 → 9" landing at 8.
#[tokio::test]
async fn an_item_typed_to_a_place_ends_at_that_place_down_or_up() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let page = client.get(&board).await;
    let before = board_order(&page);
    assert_eq!(before[8], "P-004", "P-004 starts ninth");
    let place_of = |page: &crate::support::Page, item: &str| {
        board_order(page).iter().position(|r| r == item).unwrap() + 1
    };

    // One place down: P-004 is tenth, the tenth moves up to ninth, nothing else moves.
    let saved = post_places(&client, &board, &page, &[("4", "10")]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = client.get(&board).await;
    assert_eq!(place_of(&page, "P-004"), 10);
    let mut expected = before.clone();
    expected.swap(8, 9);
    assert_eq!(board_order(&page), expected);
    assert_eq!(
        places(&page).iter().find(|(r, _)| r == "P-004").unwrap().1,
        "10"
    );
    assert_eq!(
        page.text(".flash"),
        "Rangordningen är sparad: 2 objekt fick ny plats."
    );

    // Two places down, then up again, then to the first and the last place.
    for (typed, lands) in [("12", 12), ("3", 3), ("1", 1), ("35", 35), ("99", 35)] {
        let page = client.get(&board).await;
        let saved = post_places(&client, &board, &page, &[("4", typed)]).await;
        assert_eq!(saved.status, 303, "{typed}: {}", saved.body);
        let page = client.get(&board).await;
        assert_eq!(place_of(&page, "P-004"), lands, "typed {typed}");
        let others: Vec<String> = board_order(&page)
            .into_iter()
            .filter(|r| r != "P-004")
            .collect();
        let before_others: Vec<String> = before.iter().filter(|r| *r != "P-004").cloned().collect();
        assert_eq!(
            others, before_others,
            "typed {typed}: the others keep their order"
        );
    }
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT new_value FROM audit_log WHERE action = 'ranking_updated' \
         AND new_value LIKE 'P-004%' ORDER BY id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audited,
        [
            "P-004: 10",
            "P-004: 12",
            "P-004: 3",
            "P-004: 1",
            "P-004: 35"
        ]
    );
}

#[tokio::test]
async fn a_place_that_is_not_a_number_is_shown_next_to_the_row_and_nothing_moves() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let before = client.get(&board).await;
    let p1 = "1";
    let page = post_places(&client, &board, &before, &[(p1, "först")]).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        page.field_error(&format!("rank-{p1}")).unwrap(),
        "P-001: ”först” är ingen plats. Ange ett heltal från 1, eller lämna tomt."
    );
    assert_eq!(page.value(&format!("#rank-{p1}")).as_deref(), Some("först"));
    assert_eq!(board_order(&client.get(&board).await), board_order(&before));
}

#[tokio::test]
async fn two_members_ranking_at_once_lose_nothing() {
    let app = TestApp::spawn().await;
    // A second member of the coordination group.
    sqlx::query(
        "WITH u AS (INSERT INTO app_user (id, email, display_name, password_hash) \
                    SELECT gen_random_uuid(), 'samordning2@demo.portfolj.se', 'Sten Ström', password_hash \
                    FROM app_user WHERE email = $1 RETURNING id) \
         INSERT INTO user_role (id, user_id, role) SELECT gen_random_uuid(), id, 'coordination_group' FROM u",
    )
    .bind(COORDINATION)
    .execute(&app.db)
    .await
    .unwrap();
    let first = app.signed_in(COORDINATION).await;
    let second = app.signed_in("samordning2@demo.portfolj.se").await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let (p2, p9) = ("2", "9");
    let seen_by_second = second.get(&board).await;

    // The first member moves P-002 up a step.
    let saved = first
        .post_from(
            &board,
            &board,
            &[
                (
                    "version",
                    &seen_by_second.value("#ranking-version").unwrap(),
                ),
                ("move", &format!("up:{p2}")),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);

    // The second, on the page loaded before, types place 1 for P-009.
    let refused = post_places(&second, &board, &seen_by_second, &[(p9, "1")]).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.texts(".conflict li"), ["P-009: plats 24 → plats 1"]);
    // The page shows the first member's change…
    let order = board_order(&refused);
    assert_eq!(order.iter().position(|r| r == "P-002"), Some(10));
    // …and re-applying puts the second member's on top of it.
    let token = refused.csrf_token();
    let html = refused.html();
    let form = scraper::Selector::parse(".conflict form input[type=hidden]").unwrap();
    let mut fields: Vec<(String, String)> = html
        .select(&form)
        .map(|i| {
            (
                i.value().attr("name").unwrap().to_owned(),
                i.value().attr("value").unwrap().to_owned(),
            )
        })
        .collect();
    fields.retain(|(n, _)| n != "csrf_token");
    fields.push(("csrf_token".into(), token));
    let page = second.post_values(&board, &fields).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let order = board_order(&first.get(&board).await);
    assert_eq!(order[0], "P-009");
    assert_eq!(
        order.iter().position(|r| r == "P-002"),
        Some(11),
        "{order:?}"
    );
}

#[tokio::test]
async fn a_round_goes_from_compiling_through_review_and_meeting_to_decided() {
    let app = TestApp::spawn().await;
    let it_center = app.signed_in(IT_CENTER).await;
    let coordination = app.signed_in(COORDINATION).await;
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await;
    let smedjebacken = app.signed_in(STRATEGY_SMEDJEBACKEN).await;

    // Only one round is open at a time: the form is not offered, and a post is refused.
    let rounds = it_center.get("/omgangar").await;
    assert!(rounds.form_fields("/omgangar").is_none());
    assert!(rounds.text("main").contains("En omgång pågår"));
    let token = it_center.csrf_token().await;
    let refused = it_center
        .post_raw(
            "/omgangar",
            &[
                ("csrf_token", &token),
                ("quarter", "2027-Q1"),
                ("hours_capacity", "2000"),
                ("budget", "3 mnkr"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .field_error("quarter")
            .unwrap()
            .contains("Omgång 2026-Q4 är inte beslutad ännu")
    );

    decide_q4(&app, &coordination).await;
    let round = create_next_round(&it_center).await;
    let page = it_center.get(&round).await;
    assert_eq!(page.text("h1"), "Prioriteringsomgång 2027-Q1");
    assert_eq!(page.text("[aria-current=step]"), "Sammanställning");
    // What 2026-Q4 postponed, and what it prioritised but nobody has ordered, is on the new
    // agenda: the next decided round is the authority on it.
    let carried = app
        .count(
            "SELECT count(*) FROM round_item ri JOIN round r ON r.id = ri.round_id \
                WHERE r.quarter = '2026-Q4' AND ri.decision IN ('postponed', 'prioritised')",
        )
        .await;
    assert!(carried > 0);
    assert_eq!(page.text("table.totals tfoot td"), carried.to_string());

    let advance = format!("{round}/fas");
    assert_eq!(
        it_center.submit_form(&round, &advance, &[]).await.status,
        303
    );
    let page = it_center.get(&round).await;
    assert_eq!(
        page.text("[aria-current=step]"),
        "Beredning i IT-strategigrupperna"
    );
    // The phase inside a sentence keeps its capitals: "IT", not "it".
    assert_eq!(
        page.text(".flash"),
        "Omgång 2027-Q1 är nu i fasen beredning i IT-strategigrupperna."
    );

    // Ludvika's draft is Ludvika's alone until submitted.
    let ludvika_id = municipality_id(&app, "Ludvika").await;
    let review = format!("{round}/beredning/{ludvika_id}");
    assert_eq!(smedjebacken.get(&review).await.status, 403);
    assert_eq!(it_center.get(&review).await.status, 403);
    let form = ludvika.get(&review).await;
    let first_item = form.value("input[name=item]").unwrap();
    let first_number: i32 =
        sqlx::query_scalar("SELECT number FROM portfolio_item WHERE id = $1::uuid")
            .bind(&first_item)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let first_number = first_number.to_string();
    // Comment and place on the first line only, as a person would fill in one row.
    let mut values = form.form_values(&review);
    for field in ["comment", "rank"] {
        let at = values.iter().position(|(n, _)| n == field).unwrap();
        values[at].1 = if field == "rank" {
            "1"
        } else {
            "Viktigt för Ludvika"
        }
        .into();
    }
    let draft = ludvika.post_values(&review, &values).await;
    assert_eq!(draft.status, 303, "{}", draft.body);
    assert_eq!(smedjebacken.get(&review).await.status, 403);
    assert!(it_center.get(&round).await.body.contains("Inte inskickad"));
    let submitted = ludvika
        .submit_form(&review, &review, &[("submit", "1")])
        .await;
    assert_eq!(submitted.status, 303);
    // Submitted, it is read by those preparing the meeting, not by another municipality's group.
    assert_eq!(smedjebacken.get(&review).await.status, 403);
    let read = it_center.get(&review).await;
    assert_eq!(read.status, 200);
    assert!(read.body.contains("Viktigt för Ludvika"));
    assert!(it_center.get(&round).await.body.contains("Inskickad"));
    // A submitted review no longer changes.
    let again = ludvika
        .post_from(&round, &review, &[("version", "2")])
        .await;
    assert_eq!(again.status, 409);
    let audited = app
        .count("SELECT count(*) FROM audit_log WHERE action = 'review_submitted'")
        .await;
    assert_eq!(audited, 1);

    assert_eq!(
        it_center.submit_form(&round, &advance, &[]).await.status,
        303
    );
    // The coordination group ranks the item Ludvika recommended and decides.
    let board = format!("{round}/rangordning");
    let board_page = coordination.get(&board).await;
    assert!(
        board_page
            .text(&format!("#rad-{first_number} td.notes"))
            .contains("Ludvika: plats 1")
    );
    assert_eq!(
        post_places(&coordination, &board, &board_page, &[(&first_number, "1")])
            .await
            .status,
        303
    );
    let decision = format!("{round}/beslut");
    let decided = coordination
        .submit_form(&decision, &decision, &[("confirm", "ja")])
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let page = it_center.get(&round).await;
    assert_eq!(page.text("[aria-current=step]"), "Beslutad");
    let status: String =
        sqlx::query_scalar("SELECT status FROM portfolio_item WHERE id = $1::uuid")
            .bind(&first_item)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(status, "prioritised");

    // Decided is final: the board, the settings and the database all refuse a change.
    let page = coordination.get(&board).await;
    assert!(
        page.form_fields(&board)
            .unwrap()
            .iter()
            .all(|n| n != "rank")
    );
    let refused = coordination
        .post_from(
            &round,
            &board,
            &[("version", "2"), ("item", &first_number), ("rank", "2")],
        )
        .await;
    assert_eq!(refused.status, 409);
    let refused = it_center
        .post_from(
            &round,
            &format!("{round}/installningar"),
            &[("hours_capacity", "1"), ("budget", "1")],
        )
        .await;
    assert_eq!(refused.status, 409);
    let refused = ludvika
        .post_from(&round, &review, &[("version", "2")])
        .await;
    assert_eq!(
        refused.status, 409,
        "a review of a decided round is refused, not an error"
    );
    let in_db = sqlx::query("UPDATE round_item SET rank = 5 WHERE item_id = $1::uuid")
        .bind(&first_item)
        .execute(&app.db)
        .await;
    assert!(in_db.unwrap_err().to_string().contains("cannot change"));
}

#[tokio::test]
async fn a_decision_needs_a_reason_for_what_is_not_prioritised_and_a_place_for_what_is() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let decision = format!("/omgangar/{q4}/beslut");
    let form = client.get(&decision).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let p5 = item_id(&app, 19).await; // unranked
    let p31 = item_id(&app, 31).await;
    let mut values = form.form_values(&decision);
    let at = |values: &Vec<(String, String)>, id: &str| {
        values
            .iter()
            .position(|(n, v)| n == "item" && v == id)
            .unwrap()
    };
    let i = at(&values, &p5);
    values[i + 1].1 = "prioritised".into();
    values[i + 2].1 = "2027-Q1".into();
    let i = at(&values, &p31);
    values[i + 1].1 = "rejected".into();
    values[i + 3].1 = String::new();
    let page = client.post_values(&decision, &values).await;
    assert_eq!(page.status, 422);
    assert!(
        page.field_error(&format!("decision-{p5}"))
            .unwrap()
            .contains("bara rangordnade objekt")
    );
    assert!(
        page.field_error(&format!("reason-{p31}"))
            .unwrap()
            .contains("motivera varför objektet avslås")
    );
    assert!(page.field_error("confirm").unwrap().contains("Bekräfta"));
    assert_eq!(
        app.count("SELECT count(*) FROM round WHERE phase = 'decided'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_auditor_reads_every_board_and_strategy_groups_their_own_notes_once_decided() {
    let app = TestApp::spawn().await;
    let q4 = round_id(&app, "2026-Q4").await;
    let q3 = round_id(&app, "2026-Q3").await;
    // The auditor reads everything: the open round's board too, without a field to change it.
    let auditor = app.signed_in(AUDITOR).await;
    let open = auditor.get(&format!("/omgangar/{q4}/rangordning")).await;
    assert_eq!(open.status, 200);
    assert!(open.texts("#board-rows input[name=rank]").is_empty());
    assert!(open.text(".notice").contains("Du läser rangordningen"));
    assert!(
        open.body.contains("Ludvika"),
        "the groups' notes are the auditor's to read"
    );
    let decided = auditor.get(&format!("/omgangar/{q3}/rangordning")).await;
    assert_eq!(decided.status, 200);
    assert!(decided.body.contains("Skjuts upp"));

    // A strategy group: the open round's board is the coordination group's working material.
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await;
    let refused = ludvika.get(&format!("/omgangar/{q4}/rangordning")).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body.contains("när omgången är beslutad"),
        "{}",
        refused.body
    );
    assert!(
        !ludvika
            .get(&format!("/omgangar/{q4}"))
            .await
            .body
            .contains(&format!("/omgangar/{q4}/rangordning\""))
    );
    // Once decided, it sees where its recommendations ended up, and only its own.
    sqlx::query(
        "UPDATE round SET phase = 'decided', decided_at = now(), meeting_date = current_date \
         WHERE id = $1::uuid",
    )
    .bind(&q4)
    .execute(&app.db)
    .await
    .unwrap();
    let own = ludvika.get(&format!("/omgangar/{q4}/rangordning")).await;
    assert_eq!(own.status, 200);
    assert!(own.texts("#board-rows input[name=rank]").is_empty());
    assert!(own.text(".notice").contains("era egna rekommendationer"));
    assert!(
        own.texts("#board-rows td.notes strong")
            .iter()
            .all(|m| m == "Ludvika" || m == "måste"),
        "{:?}",
        own.texts("#board-rows td.notes strong")
    );
    assert!(
        own.texts("#board-rows td.notes strong")
            .iter()
            .any(|m| m == "Ludvika")
    );
    let everything = auditor.get(&format!("/omgangar/{q4}/rangordning")).await;
    assert!(
        everything
            .texts("#board-rows td.notes strong")
            .iter()
            .any(|m| m == "Smedjebacken"),
        "the demo's Smedjebacken notes are on the auditor's board"
    );
    // The items are those that concern Ludvika, as on its portfolio list.
    let listed: Vec<String> = ludvika
        .get("/portfolj")
        .await
        .texts("table.portfolio-list tbody td:nth-child(2)");
    let on_board = own.texts("#board-rows .item-ref");
    assert!(!on_board.is_empty());
    assert!(
        on_board.iter().all(|r| listed.contains(r)),
        "{on_board:?} not all in {listed:?}"
    );
    assert!(
        on_board.len() < everything.texts("#board-rows .item-ref").len(),
        "Smedjebacken's own items are not on Ludvika's board"
    );
    assert!(
        ludvika
            .get(&format!("/omgangar/{q4}"))
            .await
            .body
            .contains(&format!("/omgangar/{q4}/rangordning\""))
    );
}

#[tokio::test]
async fn a_refused_save_keeps_what_was_typed_in_a_review_and_in_a_decision() {
    let app = TestApp::spawn().await;
    let it_center = app.signed_in(IT_CENTER).await;
    let coordination = app.signed_in(COORDINATION).await;

    // The decision form opened, then IT-center changes an item's hours: the figures the
    // decision would freeze are not the ones on the form any more.
    let q4 = round_id(&app, "2026-Q4").await;
    let decision = format!("/omgangar/{q4}/beslut");
    let opened = coordination.get(&decision).await;
    let p31 = item_id(&app, 31).await;
    let edit = format!("/portfolj/{p31}/redigera");
    assert_eq!(
        it_center
            .submit_form(&edit, &edit, &[("effort_hours", "2000")])
            .await
            .status,
        303
    );
    let mut values = opened.form_values(&decision);
    let at = values
        .iter()
        .position(|(n, v)| n == "item" && *v == p31)
        .unwrap();
    values[at + 3].1 = "Krav från försäkringsbolaget".into();
    let refused = coordination.post_values(&decision, &values).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused
            .text(".conflict")
            .contains("objektens uppgifter ändrades")
    );
    assert_eq!(
        refused.value(&format!("#reason-{p31}")).as_deref(),
        Some("Krav från försäkringsbolaget")
    );
    assert_eq!(
        app.count("SELECT count(*) FROM round WHERE phase = 'decided'")
            .await,
        1
    );
    // Sent again from the refreshed form, it is decided with the new figures.
    let token = refused.csrf_token();
    let mut values = refused.form_values(&decision);
    values.retain(|(n, _)| n != "csrf_token");
    values.push(("csrf_token".into(), token));
    values.push(("confirm".into(), "ja".into()));
    assert_eq!(
        coordination.post_values(&decision, &values).await.status,
        303
    );
    let frozen: String = sqlx::query_scalar(
        "SELECT snapshot ->> 'effort_hours' FROM round_item WHERE item_id = $1::uuid AND snapshot IS NOT NULL \
         AND round_id = $2::uuid",
    )
    .bind(&p31)
    .bind(&q4)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(frozen, "2000");

    // A new round under review: two members of Ludvika's group write at once.
    let created = it_center
        .submit_form(
            "/omgangar",
            "/omgangar",
            &[("hours_capacity", "2000"), ("budget", "3 mnkr")],
        )
        .await;
    let round = created.location().unwrap().to_owned();
    it_center
        .submit_form(&round, &format!("{round}/fas"), &[])
        .await;
    let ludvika = municipality_id(&app, "Ludvika").await;
    let review = format!("{round}/beredning/{ludvika}");
    let first = app.signed_in(STRATEGY_LUDVIKA).await;
    let stale = first.get(&review).await;
    assert_eq!(first.submit_form(&review, &review, &[]).await.status, 303);
    let mut values = stale.form_values(&review);
    let at = values.iter().position(|(n, _)| n == "comment").unwrap();
    values[at].1 = "Det här vill vi ha".into();
    let refused = first.post_values(&review, &values).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("Det här vill vi ha"));
    assert!(
        refused
            .text(".conflict h2")
            .contains("sparat beredningen medan du skrev")
    );
}

#[tokio::test]
async fn a_decided_round_refuses_additions_in_the_database_and_rounds_follow_each_other() {
    let app = TestApp::spawn().await;
    let q3 = round_id(&app, "2026-Q3").await;
    let added = sqlx::query(
        "INSERT INTO round_item (round_id, item_id, decision) \
         SELECT $1::uuid, id, 'prioritised' FROM portfolio_item WHERE number = 1",
    )
    .bind(&q3)
    .execute(&app.db)
    .await;
    assert!(added.unwrap_err().to_string().contains("cannot change"));
    let reviewed = sqlx::query(
        "INSERT INTO review (round_id, municipality_id) SELECT $1::uuid, id FROM municipality LIMIT 1",
    )
    .bind(&q3)
    .execute(&app.db)
    .await;
    assert!(reviewed.unwrap_err().to_string().contains("cannot change"));

    let coordination = app.signed_in(COORDINATION).await;
    decide_q4(&app, &coordination).await;
    let it_center = app.signed_in(IT_CENTER).await;
    let earlier = it_center
        .submit_form(
            "/omgangar",
            "/omgangar",
            &[
                ("quarter", "2026-Q2"),
                ("hours_capacity", "100"),
                ("budget", "1"),
            ],
        )
        .await;
    assert_eq!(earlier.status, 422);
    assert_eq!(
        earlier.field_error("quarter").unwrap(),
        "Fel: Nästa omgång måste gälla ett kvartal efter 2026-Q4."
    );
}

#[tokio::test]
async fn applying_the_suggestion_leaves_what_it_left_out_unranked() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let suggestion = format!("/omgangar/{q4}/forslag");
    let chosen = client
        .get(&suggestion)
        .await
        .texts("table.suggestion tr.chosen")
        .len();
    assert_eq!(
        client
            .submit_form(&suggestion, &suggestion, &[])
            .await
            .status,
        303
    );
    let board = client.get(&format!("/omgangar/{q4}/rangordning")).await;
    assert_eq!(
        board.text("tr.unranked-heading"),
        format!("Ej rangordnade ({} objekt)", 41 - chosen)
    );
    assert!(
        board.texts("#strecket").is_empty(),
        "everything ranked fits"
    );
}

#[tokio::test]
async fn the_boards_script_gets_the_saved_rows_back_with_the_new_version() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let page = client.get(&board).await;
    let version = page.value("#ranking-version").unwrap();
    let token = page.csrf_token();
    let saved = client
        .post_with_headers(
            &board,
            &[("X-Requested-With", "portfolj-board")],
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("move", "up:4"),
            ],
        )
        .await;
    assert_eq!(saved.status, 200);
    let new_version = saved.header("x-ranking-version").unwrap().to_owned();
    assert_eq!(
        new_version.parse::<i32>().unwrap(),
        version.parse::<i32>().unwrap() + 1
    );
    assert_eq!(
        saved.header("x-announcement"),
        Some("Flyttad+till+plats+8+av+35.+Rangordningen+%C3%A4r+sparad.")
    );
    // The fragment is the board's rows as a fresh page shows them after the save.
    let fragment =
        scraper::Html::parse_fragment(&format!("<table><tbody>{}</tbody></table>", saved.body));
    let cells = scraper::Selector::parse("tr[data-item] .item-ref").unwrap();
    let sent: Vec<String> = fragment
        .select(&cells)
        .map(|c| c.text().collect::<String>().trim().to_owned())
        .collect();
    assert_eq!(sent, board_order(&client.get(&board).await));
    assert_eq!(sent[7], "P-004");
    // A second save from the old version is refused for the script too.
    let stale = client
        .post_with_headers(
            &board,
            &[("X-Requested-With", "portfolj-board")],
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("move", "up:4"),
            ],
        )
        .await;
    assert_eq!(stale.status, 409);
}

/// Creates the next round as IT-center; returns its path.
async fn create_next_round(it_center: &Client) -> String {
    let created = it_center
        .submit_form(
            "/omgangar",
            "/omgangar",
            &[("hours_capacity", "2 000"), ("budget", "3 mnkr")],
        )
        .await;
    assert_eq!(created.status, 303, "{:?}", created.texts(".field__error"));
    created.location().unwrap().to_owned()
}

/// Creates the next round and moves it to its prioritisation meeting; returns its path.
async fn next_round_at_its_meeting(it_center: &Client) -> String {
    let round = create_next_round(it_center).await;
    for _ in 0..2 {
        let moved = it_center
            .submit_form(&round, &format!("{round}/fas"), &[])
            .await;
        assert_eq!(moved.status, 303);
    }
    round
}

/// Decides the round at `round` as the form proposes it.
async fn decide(coordination: &Client, round: &str) {
    let decision = format!("{round}/beslut");
    let decided = coordination
        .submit_form(&decision, &decision, &[("confirm", "ja")])
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
}

/// An item prioritised in one round and postponed by a later decided round is no longer
/// "Prioriterat …, ej beställt": the later round is the gate's authority, and the board and the
/// decision form say what the gate says.
#[tokio::test]
async fn a_later_decided_round_that_postponed_an_item_takes_back_its_earlier_priority() {
    let app = TestApp::spawn().await;
    let it_center = app.signed_in(IT_CENTER).await;
    let coordination = app.signed_in(COORDINATION).await;
    // P-031 is first on 2026-Q4's board: prioritised there, and nobody orders it.
    decide_q4(&app, &coordination).await;
    let q1 = next_round_at_its_meeting(&it_center).await;
    let board = coordination.get(&format!("{q1}/rangordning")).await;
    assert!(
        board
            .text("#rad-31 th")
            .contains("Prioriterat 2026-Q4, ej beställt")
    );
    // 2027-Q1 leaves it unranked: the proposal postpones it, and the group decides so.
    decide(&coordination, &q1).await;
    let postponed: String = sqlx::query_scalar(
        "SELECT ri.decision FROM round_item ri JOIN round r ON r.id = ri.round_id \
         JOIN portfolio_item i ON i.id = ri.item_id WHERE r.quarter = '2027-Q1' AND i.number = 31",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(postponed, "postponed");

    let q2 = next_round_at_its_meeting(&it_center).await;
    let board = coordination.get(&format!("{q2}/rangordning")).await;
    let row = board.text("#rad-31 th");
    assert!(!row.contains("Prioriterat"), "{row}");
    let decision = format!("{q2}/beslut");
    let form = coordination.get(&decision).await;
    let p31 = item_id(&app, 31).await;
    assert_eq!(
        form.value(&format!("#reason-{p31}")).unwrap(),
        "Inte rangordnat i omgången."
    );
    // The gate agrees: ordering it waits, because 2027-Q1 postponed it.
    let item = format!("/portfolj/{p31}");
    it_center
        .post_from(
            &item,
            &format!("{item}/bestallningar"),
            &[("reference", "BE-2027-0001")],
        )
        .await;
    assert!(
        it_center
            .get(&item)
            .await
            .text(".flash")
            .contains("sköt upp objektet i den senast beslutade omgången (2027-Q1)")
    );
}

/// A decision is recorded after the meeting: a date after today is refused next to the field,
/// and the form proposes the round's meeting date only once it has passed.
#[tokio::test]
async fn a_decision_is_dated_on_or_before_today() {
    let app = TestApp::spawn().await;
    let coordination = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let decision = format!("/omgangar/{q4}/beslut");
    let today = portfolj::web::format::today();
    let set_meeting = |date: chrono::NaiveDate| {
        let db = app.db.clone();
        let q4 = q4.clone();
        async move {
            sqlx::query("UPDATE round SET meeting_date = $2 WHERE id = $1::uuid")
                .bind(&q4)
                .bind(date)
                .execute(&db)
                .await
                .unwrap();
        }
    };
    set_meeting(today + chrono::Days::new(10)).await;
    let form = coordination.get(&decision).await;
    assert_eq!(form.value("#meeting_date").unwrap(), today.to_string());
    let earlier = today - chrono::Days::new(3);
    set_meeting(earlier).await;
    let form = coordination.get(&decision).await;
    assert_eq!(form.value("#meeting_date").unwrap(), earlier.to_string());

    let tomorrow = (today + chrono::Days::new(1)).to_string();
    let refused = coordination
        .submit_form(
            &decision,
            &decision,
            &[("confirm", "ja"), ("meeting_date", &tomorrow)],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.field_error("meeting_date").unwrap(),
        "Fel: Beslutet registreras efter prioriteringsmötet: datumet ligger i framtiden."
    );
    assert_eq!(
        app.count("SELECT count(*) FROM round WHERE phase = 'decided'")
            .await,
        1
    );
}

/// Saving the board as it is changes nothing: no new version for the others to conflict with,
/// no audit entry, and the page says so. The first row cannot move up, nor the last ranked row
/// (or an unranked one) down.
#[tokio::test]
async fn an_unchanged_ranking_is_not_a_change() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let board = format!("/omgangar/{q4}/rangordning");
    let version = || {
        let db = app.db.clone();
        let q4 = q4.clone();
        async move {
            sqlx::query_scalar::<_, i32>("SELECT ranking_version FROM round WHERE id = $1::uuid")
                .bind(&q4)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    let before = version().await;
    let page = client.get(&board).await;
    let order = board_order(&page);
    let disabled = |id: String| {
        page.html()
            .select(&scraper::Selector::parse(&format!("#{id}")).unwrap())
            .next()
            .unwrap()
            .value()
            .attr("disabled")
            .is_some()
    };
    assert_eq!(order[0], "P-031");
    assert!(disabled("upp-31".into()), "the first row cannot move up");
    assert!(!disabled("ned-31".into()));
    assert!(!disabled("upp-32".into()));
    let ranked = places(&page).iter().filter(|(_, p)| !p.is_empty()).count();
    let number = |reference: &str| reference[2..].parse::<i32>().unwrap();
    let last = number(&order[ranked - 1]);
    assert!(
        disabled(format!("ned-{last}")),
        "the last ranked row cannot move down"
    );
    let unranked = number(&order[ranked]);
    assert!(disabled(format!("ned-{unranked}")));
    assert!(
        !disabled(format!("upp-{unranked}")),
        "an unranked row moves up into the ranking"
    );

    for changes in [vec![], vec![("move", "up:31")]] {
        let saved = client.submit_form(&board, &board, &changes).await;
        assert_eq!(saved.status, 303);
        let shown = client.get(saved.location().unwrap()).await;
        assert_eq!(shown.text(".flash"), "Ingen ändring att spara.");
        assert_eq!(board_order(&shown), order);
    }
    assert_eq!(version().await, before);
    assert_eq!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'ranking_updated'")
            .await,
        0
    );
    // Another member's board, opened before, still saves.
    let moved = post_places(&client, &board, &page, &[("4", "1")]).await;
    assert_eq!(moved.status, 303);
    assert_eq!(version().await, before + 1);
}
