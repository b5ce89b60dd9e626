//! The project list as an Excel workbook: every project the filter selects, in the list's
//! order, with the list's figures as numbers.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    projects::{
        forms::ListFilter,
        list_repo::{self as repo, ListRow},
    },
    web::xlsx_table::{Cell, Table, write},
};

/// The most projects one export holds.
const LIMIT: u32 = 400;

/// Every row the filter selects, read page by page with the list's own statement, so the
/// export is exactly the list without a second query to keep in step with it.
pub async fn all_rows(
    conn: &mut PgConnection,
    filter: &ListFilter,
    visible: Option<&[Uuid]>,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let mut rows = Vec::new();
    for page in 1..=LIMIT {
        let one = ListFilter {
            page,
            ..filter.clone()
        };
        let (found, _) = repo::list(&mut *conn, &one, visible).await?;
        if found.is_empty() {
            break;
        }
        rows.extend(found);
    }
    Ok(rows)
}

const HEADERS: [(&str, u8); 10] = [
    ("Projekt", 40),
    ("Diarienummer", 14),
    ("Projektnummer", 14),
    ("Kommuner", 24),
    ("Status", 20),
    ("Plan", 30),
    ("Anslag, kr", 14),
    ("Budget, kr", 14),
    ("Utfall, kr", 14),
    ("Planerat slut", 13),
];

pub fn workbook(rows: &[ListRow]) -> Result<Vec<u8>, String> {
    let table = Table {
        sheet: "Projekt",
        title: format!("Investeringsprojekt ({} st.)", rows.len()),
        headers: &HEADERS,
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.name.clone()),
                    Cell::Text(r.case_number.clone()),
                    Cell::Text(r.project_number.clone().unwrap_or_default()),
                    Cell::Text(r.municipalities.clone()),
                    Cell::Text(r.status.label().to_owned()),
                    Cell::Text(r.plan.label().to_owned()),
                    Cell::Amount(r.appropriation),
                    Cell::Amount(r.budget),
                    Cell::Amount(r.outcome),
                    Cell::Date(r.planned_end),
                ]
            })
            .collect(),
    };
    write(&table)
}
