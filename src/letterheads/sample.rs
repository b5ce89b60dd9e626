//! A sample document in a municipality's template: a heading of each level, body text and a
//! table with figures, the way the exports use them, so the administrator sees what the final
//! reports, period reports and protocols will look like before anyone exports one.

use docx_rs::{Table, TableRow};

use crate::documents::{
    letterhead::Letterhead,
    word::{Properties, cell, document, heading, pack, text_paragraph},
};

pub fn write(letterhead: &Letterhead, municipality: &str) -> Result<Vec<u8>, String> {
    let rows = [
        ("Extern konsult", "1 200 000", "1 050 000", "150 000"),
        ("Licenser", "300 000", "340 000", "-40 000"),
        ("Totalt", "1 500 000", "1 390 000", "110 000"),
    ];
    let mut table = vec![TableRow::new(vec![
        cell("", false, true),
        cell("Budget", true, true),
        cell("Utfall", true, true),
        cell("Avvikelse", true, true),
    ])];
    for (n, (label, budget, outcome, deviation)) in rows.iter().enumerate() {
        let total = n == rows.len() - 1;
        table.push(TableRow::new(vec![
            cell(label, false, total),
            cell(budget, true, total),
            cell(outcome, true, total),
            cell(deviation, true, total),
        ]));
    }
    let title = format!("Provutskrift i {municipality}s Word-mall");
    let docx = document(letterhead, &format!("{municipality} · Dnr 2026/0000"), None)
        .add_paragraph(heading(1, &title))
        .add_paragraph(text_paragraph(
            "Så här ser slutredovisningar, periodrapporter och protokoll ut i mallen: \
             rubriker, brödtext och tabeller i mallens formatmallar, på mallens papper och \
             med mallens sidhuvud.",
        ))
        .add_paragraph(heading(2, "Ekonomisk redovisning"))
        .add_table(Table::new(table))
        .add_paragraph(heading(3, "Förslag till beslut"))
        .add_paragraph(text_paragraph(
            "Nämnden godkänner slutredovisningen.\nNämnden överlämnar ärendet till kommunstyrelsen.",
        ));
    pack(
        docx,
        &Properties {
            title: &title,
            author: municipality,
            at: chrono::Utc::now(),
        },
        letterhead,
    )
}
