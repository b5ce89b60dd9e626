//! A final report assembled from the project's data and the author's text, in the order and
//! wording of seed 000, as a list of blocks that the HTML page and the Word and PDF exports
//! render alike.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    budget::{repo::Line, table::BudgetTable},
    domain::{
        effect_goal::Assessment,
        final_report::{self, Verdict},
        money::Money,
        project::Status,
    },
    final_report::content::{Content, Figures, fill, paragraphs},
    goals::repo::Goal,
    projects::repo::Project,
};

/// One piece of the document.
pub enum Block {
    /// Level 2 or 3.
    Heading(u8, String),
    Paragraph(String),
    /// The budget / outcome / deviation table.
    Table,
    /// A signature: name, title, unit, one per line.
    Signature(Vec<String>),
}

pub struct Document {
    pub issuing_unit: String,
    pub officer: Vec<String>,
    pub addressee: String,
    pub title: String,
    /// Who prepared the report, for the exported files' properties: the officer when named,
    /// else the issuing unit, else the board's municipality.
    pub author: String,
    pub case_number: String,
    pub blocks: Vec<Block>,
    pub table: BudgetTable,
    /// What keeps the draft from being complete, in Swedish.
    pub missing: Vec<String>,
    /// The figures as they are now, to store with a saved version.
    pub figures: Figures,
}

/// What an exported file says about itself besides the report: whose page header it has, when
/// it was made, and whether the report is still a draft.
pub struct Imprint {
    pub municipality: String,
    pub at: DateTime<Utc>,
    /// The report's status is draft (or it was never saved): every page header says UTKAST,
    /// so a printed or forwarded copy cannot pass for the version sent to the meeting.
    pub draft: bool,
}

/// The project's figures as the text shows them.
pub fn figures(project: &Project, table: &BudgetTable) -> Figures {
    let totals = &table.totals;
    Figures {
        appropriation: appropriation_mnkr(project),
        budget: table.total_budget.join(" "),
        outcome: totals.outcome.map(Money::format_kr).unwrap_or_default(),
        deviation: totals.deviation.format_kr(),
    }
}

fn appropriation_mnkr(project: &Project) -> String {
    project
        .appropriation
        .map(|a| format!("{} mnkr", Money::from_stored(a).format_mnkr()))
        .unwrap_or_else(|| "[investeringsanslag saknas]".to_owned())
}

pub fn assemble(project: &Project, lines: &[Line], goals: &[Goal], content: &Content) -> Document {
    let table = BudgetTable::new(lines);
    let figures = figures(project, &table);
    let mut missing = Vec::new();
    let mut blocks = Vec::new();
    let heading = |level, text: &str| Block::Heading(level, text.to_owned());
    let text = |t: &str| {
        paragraphs(&fill(t, &figures.appropriation))
            .into_iter()
            .map(Block::Paragraph)
            .collect::<Vec<_>>()
    };

    let name = non_empty(&content.name_in_decision).unwrap_or(&project.name);
    let proposing = non_empty(&content.proposing_body).unwrap_or("[föreslående organ]");
    let deciding = non_empty(&content.deciding_body).unwrap_or("[beslutande organ]");
    let (intro, proposal) = final_report::proposal(proposing, deciding, name, &project.case_number);
    blocks.push(heading(2, "Förslag till beslut"));
    blocks.push(Block::Paragraph(intro));
    blocks.push(Block::Paragraph(proposal));

    blocks.push(heading(2, "Sammanfattning av tjänsteutlåtandet"));
    blocks.extend(text(&content.summary));

    blocks.push(heading(2, "Ärendet"));
    blocks.push(heading(3, "Beskrivning"));
    blocks.extend(text(&content.description));
    blocks.push(Block::Paragraph(format!(
        "Projektet skulle realisera {} effektmål.",
        goals.len()
    )));
    for goal in goals {
        blocks.push(heading(3, &format!("Effektmål {}", goal.position)));
        blocks.push(Block::Paragraph(goal.goal.clone()));
        if !goal.indicator.is_empty() {
            blocks.push(Block::Paragraph(format!(
                "Vi vet att vi är på rätt väg när {}",
                goal.indicator
            )));
        }
        blocks.extend(text(&goal.assessment_comment));
        match goal.assessment() {
            Some(a) => blocks.push(Block::Paragraph(format!(
                "Bedömning: {}.",
                a.label().to_lowercase()
            ))),
            None => missing.push(format!(
                "Effektmål {} saknar slutlig bedömning.",
                goal.position
            )),
        }
    }

    let assessments: Vec<Option<Assessment>> = goals.iter().map(Goal::assessment).collect();
    let verdict = Verdict::from_data(
        &table.totals,
        &assessments,
        project.planned_end,
        project.actual_end,
    );
    let mut verdict_paragraph: Vec<String> = Vec::new();
    verdict_paragraph.extend(verdict.sentence());
    verdict_paragraph.extend(non_empty(&content.verdict_explanation).map(str::to_owned));
    verdict_paragraph.push(final_report::goals_paragraph(&assessments));
    verdict_paragraph.extend(non_empty(&content.goals_followup).map(str::to_owned));
    blocks.push(Block::Paragraph(verdict_paragraph.join(" ")));

    blocks.push(heading(2, "Lagkrav"));
    blocks.extend(text(&content.legal_requirements));
    blocks.push(heading(2, "Koppling till gällande styrdokument"));
    blocks.extend(text(&content.governing_documents));

    blocks.push(heading(2, "Ekonomiska konsekvenser och riskanalys (kr)"));
    blocks.push(Block::Table);
    let as_of = NaiveDate::parse_from_str(content.figures_as_of.trim(), "%Y-%m-%d").ok();
    if as_of.is_none() {
        missing.push("Datum som utfallet redovisas per saknas.".to_owned());
    }
    let excluded_name = lines
        .iter()
        .find(|l| l.sub_entity_excluded == Some(true))
        .and_then(|l| l.sub_entity.as_deref());
    // The explanation continues a sentence: it gets its leading space here, whatever was typed.
    let explanation = content.sub_entity_explanation.trim().trim_end_matches('.');
    let explanation = match explanation.chars().next() {
        None => String::new(),
        Some(',') => explanation.to_owned(),
        Some(_) => format!(" {explanation}"),
    };
    blocks.push(Block::Paragraph(final_report::budget_sentence(
        &table.totals,
        excluded_name,
        as_of,
        &explanation,
    )));

    blocks.push(heading(2, "Förvaltningens analys och slutsatser"));
    blocks.extend(text(&content.analysis));
    for signature in paragraphs(&content.signatures) {
        blocks.push(Block::Signature(
            signature.lines().map(|l| l.trim().to_owned()).collect(),
        ));
    }
    blocks.push(heading(2, "Beslut skickas till"));
    blocks.extend(text(&content.send_to));

    if !matches!(
        project.status,
        Status::Completed | Status::FinalReportApproved
    ) {
        missing.push(format!(
            "Projektet har status ”{}”, inte avslutat.",
            project.status.label()
        ));
    }
    if lines.is_empty() {
        missing.push("Projektet har inga budgetposter.".to_owned());
    }
    if project.actual_end.is_none() {
        missing.push(
            "Projektets faktiska slutdatum saknas, så tidplanen kan inte bedömas.".to_owned(),
        );
    }
    Document {
        issuing_unit: content.issuing_unit.clone(),
        officer: [
            ("Handläggare", &content.officer_name),
            ("Titel", &content.officer_title),
            ("E-post", &content.officer_email),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(label, v)| format!("{label}: {v}"))
        .collect(),
        addressee: content.proposing_body.clone(),
        title: non_empty(&content.title).map_or_else(
            || format!("Slutredovisning – {}", project.name),
            str::to_owned,
        ),
        author: [&content.officer_name, &content.issuing_unit]
            .into_iter()
            .find_map(|t| non_empty(t))
            .unwrap_or(&project.board_municipality)
            .to_owned(),
        case_number: project.case_number.clone(),
        blocks,
        table,
        missing,
        figures,
    }
}

fn non_empty(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty()).then_some(t)
}
