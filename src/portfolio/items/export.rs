//! The portfolio list as an Excel workbook: the items the filter selects, in the list's order,
//! with hours, costs and the value in the current prioritisation model as numbers.

use crate::{
    domain::scoring::Model,
    portfolio::items::{page::Valuations, repo::Item},
    web::xlsx_table::{Cell, Table, write},
};

const HEADERS: [(&str, u8); 12] = [
    ("Nr", 7),
    ("Titel", 40),
    ("Plan", 30),
    ("Kommuner", 24),
    ("Typ", 20),
    ("Komplexitet", 12),
    ("Timmar", 9),
    ("Investering, kr", 15),
    ("Drift per år, kr", 15),
    ("Kostnad, kr", 15),
    ("Nytta", 9),
    ("Status", 18),
];

pub fn workbook(model: &Model, items: &[Item], valuations: &Valuations) -> Result<Vec<u8>, String> {
    let table = Table {
        sheet: "Portfölj",
        title: format!(
            "Digitaliseringsportföljen ({} objekt). Nytta 0–100 i prioriteringsmodellen {}.",
            items.len(),
            model.name
        ),
        headers: &HEADERS,
        rows: items
            .iter()
            .map(|i| {
                let value = valuations
                    .get(&i.id)
                    .map_or(Cell::Text(String::new()), |v| {
                        Cell::Figure(crate::domain::scoring::one_decimal(v.value))
                    });
                vec![
                    Cell::Text(i.reference()),
                    Cell::Text(i.title.clone()),
                    Cell::Text(i.plan.label().to_owned()),
                    Cell::Text(i.municipality_names()),
                    Cell::Text(i.kind.label().to_owned()),
                    Cell::Text(i.complexity.label().to_owned()),
                    Cell::Whole(i64::from(i.effort_hours)),
                    Cell::Amount(Some(i.investment)),
                    Cell::Amount(Some(i.running_cost)),
                    Cell::Amount(Some(i.investment + i.running_cost)),
                    value,
                    Cell::Text(i.status.label().to_owned()),
                ]
            })
            .collect(),
    };
    write(&table)
}
