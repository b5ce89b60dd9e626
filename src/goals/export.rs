//! Every effect goal the reader may see as an Excel workbook, as the SMART list shows them, with
//! each goal's indicator, baseline, target, latest measurement and the SMART check's findings.

use crate::{
    domain::effect_goal::SmartFlag,
    goals::repo::GoalWithProject,
    web::xlsx_table::{Cell, Table, write},
};

const HEADERS: [(&str, u8); 13] = [
    ("Projekt", 36),
    ("Diarienummer", 14),
    ("Nr", 5),
    ("Effektmål", 48),
    ("Indikator", 30),
    ("Utgångsläge", 12),
    ("Målvärde", 12),
    ("Enhet", 10),
    ("Måldatum", 12),
    ("Senast mätt", 12),
    ("Senaste värde", 13),
    ("Bedömning", 16),
    ("SMART-kontroll", 48),
];

pub fn workbook(goals: &[(GoalWithProject, Vec<SmartFlag>)]) -> Result<Vec<u8>, String> {
    let table = Table {
        sheet: "Effektmål",
        title: format!("Effektmål och SMART-kontroll ({} st.)", goals.len()),
        headers: &HEADERS,
        rows: goals
            .iter()
            .map(|(g, flags)| {
                let latest = g.goal.measurements.0.last();
                vec![
                    Cell::Text(g.project_name.clone()),
                    Cell::Text(g.case_number.clone()),
                    Cell::Whole(i64::from(g.goal.position)),
                    Cell::Text(g.goal.goal.clone()),
                    Cell::Text(g.goal.indicator.clone()),
                    Cell::Measure(g.goal.baseline),
                    Cell::Measure(g.goal.target_value),
                    Cell::Text(g.goal.unit.clone().unwrap_or_default()),
                    Cell::Date(g.goal.target_date),
                    Cell::Date(latest.map(|m| m.measured_on)),
                    Cell::Measure(latest.map(|m| m.value)),
                    Cell::Text(
                        g.goal
                            .assessment()
                            .map_or("Ej bedömt", |a| a.label())
                            .to_owned(),
                    ),
                    Cell::Text(if flags.is_empty() {
                        "Uppfyller SMART".to_owned()
                    } else {
                        flags
                            .iter()
                            .map(|f| f.reason())
                            .collect::<Vec<_>>()
                            .join("; ")
                    }),
                ]
            })
            .collect(),
    };
    write(&table)
}
