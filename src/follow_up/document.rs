//! A board's period report as a document (tjänsteskrivelse, seed 002): the letter with the
//! proposal, the summary, the operating costs and investments with their significant
//! deviations and the members' shares; bilaga 1 with the operating and investment tables and
//! bilaga 2 with the action plan. One list of parts and blocks that the Word, Excel, PDF and
//! print exports render alike; figures stay exact (`Cell`) until a writer shows or stores them.

use chrono::NaiveDate;

use crate::{
    domain::{
        follow_up::{Operating, ROUNDING_NOTE, action_plan, format_percent},
        money::Money,
        text::capitalised,
    },
    follow_up::report::Report,
    web::download::plain_file_name,
};

/// A table cell: text, or an exact amount and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// In mnkr with one decimal.
    Mnkr(Money),
    /// In mnkr with two decimals (the action plan).
    Mnkr2(Money),
    /// In whole kronor.
    Kr(Money),
}

impl Cell {
    fn text(t: impl Into<String>) -> Self {
        Cell::Text(t.into())
    }

    /// The cell as a reader sees it.
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Mnkr(m) => m.format_mnkr(),
            Cell::Mnkr2(m) => m.format_mnkr_cents(),
            Cell::Kr(m) => m.format_kr(),
        }
    }

    pub fn is_figure(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// What a row is: a body row, a group's heading (one cell across the table), a subtotal or
/// the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Body,
    Group,
    Subtotal,
    Total,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub kind: RowKind,
    /// One per column; the first spans `span` columns, whose other cells are empty.
    pub cells: Vec<Cell>,
    pub span: usize,
}

impl Row {
    fn new(kind: RowKind, cells: Vec<Cell>) -> Self {
        Row {
            kind,
            cells,
            span: 1,
        }
    }

    /// The cells as laid out: the first one, then those after the columns it spans.
    pub fn laid_out(&self) -> impl Iterator<Item = &Cell> {
        self.cells
            .iter()
            .take(1)
            .chain(self.cells.iter().skip(self.span.max(1)))
    }
}

/// A column: its heading, whether it holds figures (right-aligned) and its share of the
/// table's width in points on an A4 page (portrait or landscape as its part is).
#[derive(Debug, Clone)]
pub struct Column {
    pub label: String,
    pub figures: bool,
    pub width: u16,
}

fn column(label: impl Into<String>, figures: bool, width: u16) -> Column {
    Column {
        label: label.into(),
        figures,
        width,
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub caption: String,
    /// Headings over groups of columns (label, columns spanned), above the column headings.
    pub column_groups: Vec<(String, usize)>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// Level 2 or 3 (level 1 is the part's title).
    Heading(u8, String),
    Paragraph(String),
    /// A paragraph that starts with a bold lead-in: "Driftkostnader." and the rest.
    LeadIn(String, String),
    Bullet(String),
    /// The rounding rule and similar, under a table.
    Note(String),
    Table(Table),
}

/// The letter, or an attachment on pages of its own.
#[derive(Debug, Clone)]
pub struct Part {
    pub title: String,
    /// The sheet's name in the Excel export; the letter has none.
    pub sheet: Option<&'static str>,
    pub landscape: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Document {
    /// The page header: the board's municipalities and the Dnr.
    pub page_header: String,
    /// The report is not complete: every page header says UTKAST.
    pub draft: bool,
    pub missing: Vec<String>,
    pub board: String,
    /// The file's title property and the print view's title.
    pub title: String,
    /// Who prepared it, for the file properties.
    pub author: String,
    /// The file name without extension, ASCII only.
    pub file_stem: String,
    pub parts: Vec<Part>,
}

/// "Ludvika och Smedjebacken".
fn joined(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

/// `text` in ASCII for a file name: å, ä, ö without dots (as the download's plain name has
/// them), words joined by single hyphens.
fn ascii_slug(text: &str) -> String {
    plain_file_name(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph(p.to_owned()))
}

/// The operating table of `rows` (label and the period's and full year's figures).
fn operating_table(
    caption: String,
    report: &Report,
    groups: &[(String, Operating, Operating)],
) -> Table {
    let mut rows = Vec::new();
    for (group, period, year) in groups {
        if !group.is_empty() {
            rows.push(Row::new(RowKind::Group, vec![Cell::text(group.clone())]));
        }
        for ((label, p), (_, y)) in period.rows().into_iter().zip(year.rows()) {
            rows.push(Row::new(
                RowKind::Body,
                vec![
                    Cell::text(label),
                    Cell::Mnkr(p.budget),
                    Cell::Mnkr(p.actual),
                    Cell::Mnkr(p.deviation),
                    Cell::Mnkr(y.budget),
                    Cell::Mnkr(y.actual),
                    Cell::Mnkr(y.deviation),
                ],
            ));
        }
    }
    Table {
        caption,
        column_groups: vec![
            (String::new(), 1),
            (capitalised(&report.period_name()), 3),
            (format!("Helår {}", report.year()), 3),
        ],
        columns: vec![
            column("", false, 125),
            column("Budget", true, 55),
            column("Utfall", true, 55),
            column("Avvikelse", true, 55),
            column("Budget", true, 55),
            column("Prognos", true, 55),
            column("Avvikelse", true, 55),
        ],
        rows,
    }
}

fn investment_table(report: &Report, occasion: &str) -> Table {
    let figures = |label: String, f: &crate::domain::follow_up::Investment, kind| {
        Row::new(
            kind,
            vec![
                Cell::Text(label),
                Cell::Mnkr(f.annual_budget),
                Cell::Mnkr(f.added_during_year()),
                Cell::Mnkr(f.total()),
                Cell::Mnkr(f.outcome),
                Cell::Mnkr(f.period_deviation()),
                Cell::Mnkr(f.forecast),
                Cell::Mnkr(f.forecast_deviation()),
            ],
        )
    };
    let mut rows: Vec<Row> = report
        .projects
        .iter()
        .map(|p| figures(p.title(), &p.figures, RowKind::Body))
        .collect();
    rows.push(figures(
        "Totalt".to_owned(),
        &report.investments,
        RowKind::Total,
    ));
    Table {
        caption: format!("Investeringar mnkr, {occasion}"),
        column_groups: vec![
            (String::new(), 1),
            (capitalised(&report.period_name()), 5),
            (format!("Helår {}", report.year()), 2),
        ],
        columns: vec![
            column("Projekt", false, 111),
            column("Årsbudget", true, 48),
            column("Extra beviljat + överfört under året", true, 50),
            column("Totalt anslag för året", true, 48),
            column("Utfall för perioden", true, 48),
            column("Periodens avvikelse mot totalt anslag för året", true, 52),
            column("Prognos", true, 48),
            column("Prognosens avvikelse mot totalt anslag för året", true, 52),
        ],
        rows,
    }
}

fn action_plan_table(report: &Report, occasion: &str) -> Table {
    let (groups, total) = action_plan::layout(&report.measures);
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let sums = |label: String, s: action_plan::Sums, kind| {
        let mut cells = vec![Cell::Text(label)];
        cells.extend((0..7).map(|_| Cell::text("")));
        cells.extend([
            Cell::Mnkr2(s.period),
            Cell::Mnkr2(s.forecast),
            Cell::text(""),
            Cell::Mnkr2(s.counted),
        ]);
        Row {
            kind,
            cells,
            span: 8,
        }
    };
    let mut rows = Vec::new();
    for g in &groups {
        for m in &g.measures {
            rows.push(Row::new(
                RowKind::Body,
                vec![
                    Cell::Text(m.reference()),
                    Cell::text(m.activity.clone()),
                    Cell::text(m.description.clone()),
                    Cell::text(m.goal.clone()),
                    Cell::text(m.decided_by.map(|d| d.label()).unwrap_or_default()),
                    Cell::Text(date(m.decided_on)),
                    Cell::text(m.stage.map(|s| s.label()).unwrap_or_default()),
                    Cell::Text(date(m.go_live)),
                    Cell::Mnkr2(m.effect_period),
                    Cell::Mnkr2(m.effect_forecast),
                    Cell::text(m.counted_label()),
                    Cell::Mnkr2(m.counted()),
                ],
            ));
        }
        rows.push(sums(
            format!("Delsumma {}", g.number),
            g.subtotal,
            RowKind::Subtotal,
        ));
    }
    rows.push(sums("TOTALT".to_owned(), total, RowKind::Total));
    Table {
        caption: format!("Handlingsplan, {occasion}"),
        column_groups: Vec::new(),
        columns: vec![
            column("Löpnr", false, 38),
            column("Verksamhet som berörs", false, 60),
            column("Beskrivning", false, 74),
            column("Ev. mål", false, 72),
            column("Beslut om åtgärd: förvaltning eller nämnd", false, 56),
            column("Datum", false, 54),
            column("Planerad eller påbörjad", false, 48),
            column("Driftsättning, datum", false, 66),
            column(format!("Utfall {}, mnkr", report.period_name()), true, 44),
            column(format!("Prognos helår {}, mnkr", report.year()), true, 44),
            column("Ingår i slutlig helårsprognos?", false, 76),
            column("Belopp, mnkr", true, 44),
        ],
        rows,
    }
}

/// The letter: proposal, summary, operating costs, investments and the list of attachments.
fn letter(report: &Report, attachments_date: &str, proposal: [String; 2]) -> Vec<Block> {
    let h = &report.header;
    let mut b = vec![Block::Heading(
        2,
        "Förvaltningens förslag till beslut".to_owned(),
    )];
    b.extend(proposal.into_iter().map(Block::Paragraph));
    b.push(Block::Heading(2, "Sammanfattning".to_owned()));
    b.extend(paragraphs(&h.summary_text));
    b.push(Block::Paragraph(format!(
        "Denna rapportering av {}s ekonomiska läge avser perioden {}, och innefattar en prognos till årets slut (bilaga 1). Prognosen för driftskostnaderna beaktar de åtgärder som framgår av handlingsplan (bilaga 2).",
        h.board,
        report.period_name()
    )));
    b.push(Block::LeadIn(
        "Driftkostnader.".to_owned(),
        format!(
            "{} {}",
            report.operating_summary(),
            report.forecast_sentence()
        ),
    ));
    b.push(Block::LeadIn(
        "Investeringar.".to_owned(),
        report.investment_sentence(),
    ));

    b.push(Block::Heading(2, "Driftkostnader".to_owned()));
    b.push(Block::Paragraph(report.deviations()));
    b.extend(paragraphs(&h.operating_text));
    if report.has_activity_comments() {
        b.push(Block::Heading(
            3,
            format!(
                "Väsentliga avvikelser under perioden {}",
                report.period_name()
            ),
        ));
        b.extend(
            report
                .activities
                .iter()
                .filter(|a| !a.comment.trim().is_empty())
                .map(|a| {
                    Block::Bullet(format!(
                        "Vht {} {} (periodens nettoavvikelse {} mnkr, helårsprognos {} mnkr): {}",
                        a.code,
                        a.name,
                        a.period.net().deviation.format_mnkr(),
                        a.full_year.net().deviation.format_mnkr(),
                        a.comment.trim()
                    ))
                }),
        );
    }
    let mut forecast = report.forecast_sentence();
    if report.counted_measures != Money::ZERO {
        forecast.push_str(&format!(
            " Prognosen räknar med godkända åtgärder i handlingsplanen på {} mnkr.",
            report.counted_measures.format_mnkr()
        ));
    }
    b.push(Block::Paragraph(forecast));
    if !report.member_shares.is_empty() {
        b.push(Block::Heading(
            3,
            "Medlemmarnas andel av prognostiserat resultat".to_owned(),
        ));
        b.push(Block::Paragraph(format!(
            "Nämnden ska ha ett nollresultat. Ett prognostiserat överskott återförs till medlemmarna och ett underskott debiteras dem efter medlemsbidragets fördelningsnyckel {}.",
            report.year()
        )));
        b.push(Block::Table(Table {
            caption: "Medlemmarnas andel".to_owned(),
            column_groups: Vec::new(),
            columns: vec![
                column("Medlem", false, 200),
                column("Andel av helårsavvikelsen, kr", true, 150),
            ],
            rows: report
                .member_shares
                .iter()
                .map(|(name, share)| {
                    Row::new(
                        RowKind::Body,
                        vec![Cell::text(name.clone()), Cell::Kr(*share)],
                    )
                })
                .collect(),
        }));
    }

    b.push(Block::Heading(2, "Investeringar".to_owned()));
    b.push(Block::Paragraph(report.investment_forecast_sentence()));
    b.extend(paragraphs(&h.investment_text));
    if report.has_project_comments() {
        b.push(Block::Heading(
            3,
            "Väsentliga avvikelser per projekt".to_owned(),
        ));
        b.extend(
            report
                .projects
                .iter()
                .filter(|p| !p.comment.trim().is_empty())
                .map(|p| {
                    Block::Bullet(format!(
                        "{} (totalt anslag {} mnkr, prognos {} mnkr): {}",
                        p.title(),
                        p.figures.total().format_mnkr(),
                        p.figures.forecast.format_mnkr(),
                        p.comment.trim()
                    ))
                }),
        );
    }
    b.push(Block::Heading(2, "Bilagor".to_owned()));
    for (n, title) in attachment_titles(report, attachments_date)
        .iter()
        .enumerate()
    {
        b.push(Block::Paragraph(format!("{}. {title}", n + 1)));
    }
    b
}

fn attachment_titles(report: &Report, date: &str) -> [String; 2] {
    [
        format!("Rapportering av driftkostnader och investeringar, daterad {date}"),
        format!(
            "Handlingsplan med åtgärder för att bidra till en ekonomi i balans {}, daterad {date}",
            report.year()
        ),
    ]
}

/// The report as a document, its attachments dated as the report says (today until set).
pub fn assemble(report: &Report, today: NaiveDate) -> Document {
    let h = &report.header;
    let attachments_date =
        crate::domain::follow_up::text::long_date(report.attachments_dated(today));
    let occasion = format!("tillfälle {} år {}", h.occasion.number, report.year());
    let title = format!(
        "Rapportering tillfälle {} år {}",
        h.occasion.number,
        report.year()
    );
    let [first, second] = attachment_titles(report, &attachments_date);

    let mut bilaga1 = vec![Block::Table(operating_table(
        format!("Intäkter och kostnader mnkr, {occasion}"),
        report,
        &[(String::new(), report.period, report.full_year)],
    ))];
    bilaga1.push(Block::Note(format!(
        "{ROUNDING_NOTE} Avvikelse för intäkter är utfall minus budget, för kostnader och netto budget minus utfall; en positiv avvikelse är gynnsam. Netto är kostnader minus intäkter."
    )));
    if !report.activities.is_empty() {
        let groups: Vec<(String, Operating, Operating)> = report
            .activities
            .iter()
            .map(|a| (format!("Vht {} {}", a.code, a.name), a.period, a.full_year))
            .collect();
        bilaga1.push(Block::Table(operating_table(
            "Intäkter och kostnader mnkr per verksamhet".to_owned(),
            report,
            &groups,
        )));
        bilaga1.push(Block::Note(ROUNDING_NOTE.to_owned()));
    }
    bilaga1.push(Block::Table(investment_table(report, &occasion)));
    bilaga1.push(Block::Note(format!(
        "{ROUNDING_NOTE} Avvikelsen mot totalt anslag är utfall eller prognos minus anslaget. Prognosen förbrukar {} procent av anslaget.",
        format_percent(report.investments.forecast_share())
    )));
    let bilaga2 = vec![
        Block::Paragraph(
            "Planerade åtgärder får ingå i slutlig helårsprognos först efter att de har godkänts av förvaltningschef."
                .to_owned(),
        ),
        Block::Table(action_plan_table(report, &occasion)),
        Block::Note(
            "Beloppen visas i miljoner kronor med två decimaler; summorna är beräknade på exakta belopp."
                .to_owned(),
        ),
    ];

    let mut municipalities: Vec<&str> = report
        .member_shares
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    if municipalities.is_empty() {
        municipalities.push(&h.municipality);
    }
    let page_header = match &h.diary_number {
        Some(dnr) => format!("{} · {} · Dnr {dnr}", joined(&municipalities), h.board),
        None => format!("{} · {}", joined(&municipalities), h.board),
    };
    let author = if h.reporting_unit.trim().is_empty() {
        h.board.clone()
    } else {
        h.reporting_unit.trim().to_owned()
    };
    Document {
        page_header,
        draft: !report.is_complete(),
        missing: report.missing.clone(),
        board: h.board.clone(),
        file_stem: format!(
            "Rapportering-T{}-{}-{}",
            h.occasion.number,
            report.year(),
            ascii_slug(&h.board)
        ),
        title: format!("{} – {title}", h.board),
        author,
        parts: vec![
            Part {
                title,
                sheet: None,
                landscape: false,
                blocks: letter(report, &attachments_date, report.proposal(today)),
            },
            Part {
                title: format!("Bilaga 1: {first}"),
                sheet: Some("Bilaga 1"),
                landscape: false,
                blocks: bilaga1,
            },
            Part {
                title: format!("Bilaga 2: {second}"),
                sheet: Some("Bilaga 2"),
                landscape: true,
                blocks: bilaga2,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_headers_are_plain() {
        assert_eq!(
            ascii_slug("Gemensamma servicenämnden"),
            "Gemensamma-servicenamnden"
        );
        assert_eq!(
            ascii_slug("Kultur- och fritidsnämnden, Å"),
            "Kultur-och-fritidsnamnden-A"
        );
        assert_eq!(
            joined(&["Ludvika", "Smedjebacken"]),
            "Ludvika och Smedjebacken"
        );
        assert_eq!(joined(&["A", "B", "C"]), "A, B och C");
    }
}
