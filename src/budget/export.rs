//! A project's budget and outcome as an Excel workbook: each budget line with its sub-entity,
//! budget, outcome and deviation as numbers, as the budget page's table shows them.

use uuid::Uuid;

use crate::{
    budget::repo,
    projects::load_visible,
    web::{
        AppError, AppState, CurrentUser,
        xlsx_table::{Cell, Table, write},
    },
};

const HEADERS: [(&str, u8); 6] = [
    ("Budgetpost", 40),
    ("Delenhet", 24),
    ("Intäkt/kreditering", 10),
    ("Budget, kr", 14),
    ("Utfall, kr", 14),
    ("Avvikelse, kr", 14),
];

/// The file name and bytes of project `id`'s budget workbook, if `me` may see the project.
pub async fn project_workbook(
    state: &AppState,
    me: &CurrentUser,
    id: Uuid,
) -> Result<(String, Vec<u8>), AppError> {
    let mut conn = state.db.acquire().await?;
    let project = load_visible(&mut conn, id, me, false).await?;
    let lines = repo::lines(&mut conn, id).await?;
    drop(conn);
    let table = Table {
        sheet: "Budget och utfall",
        title: format!(
            "Budget och utfall: {} ({})",
            project.name, project.case_number
        ),
        headers: &HEADERS,
        rows: lines
            .iter()
            .map(|line| {
                let figures = line.figures();
                vec![
                    Cell::Text(line.category.clone()),
                    Cell::Text(line.sub_entity.clone().unwrap_or_default()),
                    Cell::Text(if line.income { "Ja" } else { "" }.to_owned()),
                    Cell::Amount(Some(figures.budget.amount())),
                    Cell::Amount(figures.outcome.map(|m| m.amount())),
                    Cell::Amount(figures.deviation().map(|m| m.amount())),
                ]
            })
            .collect(),
    };
    let bytes = write(&table).map_err(AppError::Internal)?;
    Ok((format!("budget {}.xlsx", project.case_number), bytes))
}
