//! Lists to Excel as users take them: the project list and the portfolio with the filter on
//! the page, every row the filter selects in the list's order, figures as numbers and text as
//! text, also text that looks like a formula.

use calamine::{Data, Reader, Xlsx};

use crate::support::{CONTROLLER, STRATEGY_LUDVIKA, TestApp};

/// The first sheet of a downloaded workbook, row by row.
fn sheet(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    book.worksheet_range(&name)
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

#[tokio::test]
async fn the_project_list_goes_to_excel_with_its_filter_and_text_stays_text() {
    let app = TestApp::spawn().await;
    sqlx::query("UPDATE project SET name = '=SUMMA(A1)+1' WHERE case_number = 'KS 2020-339'")
        .execute(&app.db)
        .await
        .unwrap();
    let controller = app.signed_in(CONTROLLER).await;
    let list = controller
        .get("/projekt?status=in_progress&sortera=namn")
        .await;
    let export = list
        .html()
        .select(&scraper::Selector::parse("a").unwrap())
        .find(|a| a.text().collect::<String>() == "Exportera till Excel")
        .and_then(|a| a.value().attr("href").map(str::to_owned))
        .unwrap();
    assert!(export.starts_with("/projekt.xlsx?"), "{export}");
    let file = controller.get(&export).await;
    assert_eq!(file.status, 200);
    let rows = sheet(&file.bytes);
    assert_eq!(rows[2][0], Data::String("Projekt".into()));
    let shown: Vec<String> = list.texts("tbody th");
    let exported: Vec<String> = rows[3..].iter().map(|r| r[0].to_string()).collect();
    assert!(!exported.is_empty());
    // The list's first page in the same order (the export holds every page).
    assert_eq!(&exported[..shown.len().min(exported.len())], &shown[..]);
    assert!(
        rows[3..]
            .iter()
            .all(|r| r[4] == Data::String("Pågår".into()))
    );
    // Budget and outcome as numbers.
    assert!(rows[3..].iter().any(|r| matches!(r[7], Data::Float(_))));
    // A name that looks like a formula stays text, if the filter selects it.
    let all = controller.get("/projekt.xlsx?q=SUMMA").await;
    let rows = sheet(&all.bytes);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[3][0], Data::String("=SUMMA(A1)+1".into()));
}

#[tokio::test]
async fn the_portfolio_goes_to_excel_with_the_values_of_the_rounds_model() {
    let app = TestApp::spawn().await;
    let ludvika = app.signed_in(STRATEGY_LUDVIKA).await;
    let list = ludvika.get("/portfolj?plan=digitalisation").await;
    let file = ludvika.get("/portfolj.xlsx?plan=digitalisation").await;
    assert_eq!(file.status, 200);
    let rows = sheet(&file.bytes);
    let exported: Vec<String> = rows[3..].iter().map(|r| r[0].to_string()).collect();
    let shown: Vec<String> = list
        .texts("tbody tr td:nth-child(2)")
        .into_iter()
        .filter(|t| t.starts_with("P-"))
        .collect();
    assert_eq!(
        exported, shown,
        "the strategy group's own items, in the list's order"
    );
    // P-001 in the demo's model: (30 × 5/5 + 25 × 4/5 + 30 × 1/5 + 15 × 3/5) = 65.
    let p001 = rows
        .iter()
        .find(|r| r[0] == Data::String("P-001".into()))
        .unwrap();
    assert_eq!(p001[10], Data::Float(65.0));
    assert_eq!(p001[6], Data::Float(320.0));
    assert!(
        rows[0][0]
            .to_string()
            .contains("Samordningsgruppens nyttovärdering")
    );
}

#[tokio::test]
async fn a_projects_budget_and_outcome_go_to_excel_as_numbers() {
    let app = TestApp::spawn().await;
    let id = crate::projects::project_id(&app, "GSN 2021-7").await;
    let controller = app.signed_in(CONTROLLER).await;
    let page = controller.get(&format!("/projekt/{id}/budget")).await;
    let link = page
        .html()
        .select(&scraper::Selector::parse("a").unwrap())
        .find(|a| a.text().collect::<String>() == "Exportera budget och utfall till Excel")
        .and_then(|a| a.value().attr("href").map(str::to_owned))
        .unwrap();
    let file = controller.get(&link).await;
    assert_eq!(file.status, 200);
    let rows = sheet(&file.bytes);
    assert!(matches!(&rows[0][0], Data::String(t) if t.contains("Fiberstam kärnnätverk")));
    let lines = &rows[3..];
    let sum = |col: usize| -> f64 {
        lines
            .iter()
            .map(|r| match &r[col] {
                Data::Float(f) => *f,
                _ => 0.0,
            })
            .sum()
    };
    let kept = app
        .count(&format!(
            "SELECT budget_total::bigint FROM project WHERE id = '{id}'"
        ))
        .await;
    assert_eq!(sum(3), kept as f64);
    let outcome = app
        .count(&format!(
            "SELECT outcome_total::bigint FROM project WHERE id = '{id}'"
        ))
        .await;
    assert_eq!(sum(4), outcome as f64);
    // Budget − outcome on every line.
    for line in lines {
        if let (Data::Float(b), Data::Float(o), Data::Float(d)) = (&line[3], &line[4], &line[5]) {
            assert_eq!(b - o, *d, "{line:?}");
        }
    }
    // A strategy group of another municipality does not get it.
    let norrtalje = crate::projects::project_id(&app, "KS 2020-339").await;
    let refused = app
        .signed_in(STRATEGY_LUDVIKA)
        .await
        .get(&format!("/projekt/{norrtalje}/budget.xlsx"))
        .await;
    assert!(matches!(refused.status, 403 | 404), "{}", refused.status);
}

#[tokio::test]
async fn the_effect_goals_go_to_excel_with_their_smart_findings_and_text_stays_text() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "UPDATE effect_goal SET goal = '=HYPERLINK(\"x\")' \
         WHERE id = (SELECT id FROM effect_goal ORDER BY id LIMIT 1)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let controller = app.signed_in(CONTROLLER).await;
    let list = controller.get("/effektmal").await;
    assert!(list.body.contains("href=\"/effektmal.xlsx\""));
    let shown = list.texts("tbody tr").len();
    let file = controller.get("/effektmal.xlsx").await;
    assert_eq!(file.status, 200);
    let rows = sheet(&file.bytes);
    assert_eq!(rows.len() - 3, shown);
    assert!(
        rows[3..]
            .iter()
            .any(|r| r[3] == Data::String("=HYPERLINK(\"x\")".into()))
    );
    assert!(
        rows[3..]
            .iter()
            .all(|r| matches!(&r[12], Data::String(s) if !s.is_empty()))
    );
    let flagged = rows[3..]
        .iter()
        .filter(|r| r[12] != Data::String("Uppfyller SMART".into()))
        .count();
    assert!(
        list.text(".lead")
            .contains(&format!("varav {flagged} med brister"))
    );
}
