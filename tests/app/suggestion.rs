//! The suggestion: the most benefit within the round's hours and budget, with mandatory items
//! and dependencies respected, an explanation per item, the frontier chart, and applying it to
//! the board.

use crate::{
    portfolio::round_id,
    support::{COORDINATION, IT_CENTER, TestApp},
};

fn number(text: &str) -> i64 {
    text.replace(['\u{a0}', ' '], "").parse().unwrap()
}

#[tokio::test]
async fn the_suggestion_stays_within_both_limits_and_explains_every_item() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(IT_CENTER).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let page = client.get(&format!("/omgangar/{q4}/forslag")).await;
    assert_eq!(page.status, 200);
    // The dashed line says which frame it is; the axis ends at the largest cost drawn.
    let ticks = page.texts("svg text.tick");
    assert!(
        ticks.contains(&"Budgetram 4 500 tkr".to_owned()),
        "{ticks:?}"
    );
    let rows = page.texts("table.suggestion tbody tr > *");
    let rows: Vec<&[String]> = rows.chunks(8).collect();
    assert_eq!(rows.len(), 41);
    let chosen: Vec<&&[String]> = rows.iter().filter(|r| r[2] == "Med").collect();
    let hours: i64 = chosen.iter().map(|r| number(&r[3])).sum();
    let cost: i64 = chosen.iter().map(|r| number(&r[4])).sum();
    assert!(hours <= 3_000, "{hours} hours");
    assert!(cost <= 4_500_000, "{cost} kr");
    // Every mandatory item is in, and says why.
    for mandatory in ["P-031", "P-032", "P-037", "P-018", "P-020"] {
        let row = rows.iter().find(|r| r[0] == mandatory).unwrap();
        assert_eq!(row[2], "Med");
        assert_eq!(row[7], "Med: tvingande (lag eller säkerhet), alltid med.");
    }
    // P-010 builds on P-014: never the one without the other.
    let p10 = rows.iter().find(|r| r[0] == "P-010").unwrap();
    let p14 = rows.iter().find(|r| r[0] == "P-014").unwrap();
    assert!(p10[2] != "Med" || p14[2] == "Med");
    // Every item has a reason, and the ones left out say what it would take.
    assert!(rows.iter().all(|r| !r[7].is_empty()));
    let datacenter = rows.iter().find(|r| r[0] == "P-030").unwrap();
    assert_eq!(datacenter[2], "Utanför");
    assert!(datacenter[7].starts_with("Utanför:"), "{}", datacenter[7]);
    assert!(
        page.text(".summary")
            .contains("Ingen annan sammansättning inom ramarna ger mer nytta.")
    );
    // The chart says in words what it shows, and its values are in a table too.
    assert!(page.text("svg desc").contains("Förslaget ger nytta"));
    let frontier = crate::portfolio::table_rows(&page, "Fronten i siffror");
    assert!(frontier.len() >= 3, "{frontier:?}");
    // As the frame grows the best benefit never falls, and no point costs more than its frame.
    let benefit = |r: &Vec<String>| r[1].replace(',', ".").parse::<f64>().unwrap();
    for pair in frontier.windows(2) {
        assert!(benefit(&pair[0]) <= benefit(&pair[1]), "{pair:?}");
    }
    assert!(frontier.iter().all(|r| number(&r[2]) <= number(&r[0])));
}

#[tokio::test]
async fn applying_the_suggestion_ranks_it_above_the_cut_line_and_is_audited() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(COORDINATION).await;
    let q4 = round_id(&app, "2026-Q4").await;
    let suggestion = format!("/omgangar/{q4}/forslag");
    let page = client.get(&suggestion).await;
    let chosen: Vec<String> = page.texts("table.suggestion tr.chosen td:first-child");
    let applied = client.submit_form(&suggestion, &suggestion, &[]).await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    let board = client.get(&format!("/omgangar/{q4}/rangordning")).await;
    let order = board.texts("#board-rows tr[data-item] .item-ref");
    let mut top: Vec<String> = order[..chosen.len()].to_vec();
    let mut expected = chosen.clone();
    top.sort();
    expected.sort();
    assert_eq!(top, expected);
    let above = board.texts("#board-rows tr[data-item]:not(.below-cut) .item-ref");
    assert_eq!(above.len(), chosen.len());
    assert!(
        app.count("SELECT count(*) FROM audit_log WHERE action = 'ranking_from_suggestion'")
            .await
            > 0
    );

    // A suggestion computed before someone else ranked is refused, not applied over it.
    let stale = client.get(&suggestion).await;
    let board_path = format!("/omgangar/{q4}/rangordning");
    let p = board.value("input[name=item]").unwrap();
    let moved = client
        .post_from(
            &board_path,
            &board_path,
            &[
                ("version", &board.value("#ranking-version").unwrap()),
                ("move", &format!("down:{p}")),
            ],
        )
        .await;
    assert_eq!(moved.status, 303);
    let token = stale.csrf_token();
    let version = stale.value("input[name=ranking_version]").unwrap();
    let refused = client
        .post_raw(
            &suggestion,
            &[("csrf_token", &token), ("ranking_version", &version)],
        )
        .await;
    assert_eq!(refused.status, 409);
}
