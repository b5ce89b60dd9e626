//! The audit log page: what auditors and administrators read.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};
use serde::Deserialize;

use crate::{
    audit::repo::{self, LogRow},
    web::{AppError, AppState, Chrome, format, paging},
};

const PAGE_SIZE: i64 = 100;

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    #[serde(default)]
    sida: String,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogView {
    chrome: Chrome,
    rows: Vec<LogRow>,
    page: u32,
    has_next: bool,
}

impl LogView {
    fn action_label(&self, action: &str) -> String {
        action_label(action).to_owned()
    }

    fn field_label(&self, field: &Option<String>) -> String {
        field
            .as_deref()
            .map(field_label)
            .unwrap_or_default()
            .to_owned()
    }

    fn entity_label(&self, entity: &str) -> String {
        entity_label(entity).to_owned()
    }

    fn when(&self, row: &LogRow) -> String {
        format::date_time(row.at)
    }
}

pub async fn show_log(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(query): Query<LogQuery>,
) -> Result<Html<String>, AppError> {
    let page = paging::page_number(&query.sida);
    let offset = paging::offset(page, PAGE_SIZE);
    let mut rows = repo::latest(&state.db, PAGE_SIZE + 1, offset).await?;
    let has_next =
        rows.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX) && page < paging::MAX_PAGE;
    rows.truncate(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX));
    Ok(Html(
        LogView {
            chrome,
            rows,
            page,
            has_next,
        }
        .render()?,
    ))
}

/// The Swedish name of an audited action.
pub fn action_label(action: &str) -> &str {
    match action {
        "sign_in" => "Inloggning",
        "sign_in_failed" => "Misslyckad inloggning",
        "sign_out" => "Utloggning",
        "user_created" => "Användare skapad",
        "user_updated" => "Användare ändrad",
        "user_deactivated" => "Användare inaktiverad",
        "user_activated" => "Användare aktiverad",
        "password_changed" => "Lösenord ändrat",
        "project_created" => "Projekt skapat",
        "project_updated" => "Projekt ändrat",
        "project_economy_updated" => "Anslag ändrat",
        "project_status_changed" => "Status ändrad",
        "budget_line_created" => "Budgetpost skapad",
        "budget_line_updated" => "Budgetpost ändrad",
        "budget_over_appropriation" => "Budget över anslaget bekräftad",
        "outcome_entry_created" => "Utfall registrerat",
        "sub_entity_created" => "Delenhet skapad",
        "effect_goal_created" => "Effektmål skapat",
        "effect_goal_updated" => "Effektmål ändrat",
        "measurement_created" => "Mätning registrerad",
        "council_goal_created" => "Mål skapat",
        "final_report_saved" => "Slutredovisning sparad",
        "final_report_corrected" => "Slutredovisning rättad efter beslut",
        "final_report_moved" => "Slutredovisningens status ändrad",
        "council_goal_updated" => "Mål ändrat",
        "demo_loaded" => "Demodata inlästa",
        "portfolio_item_created" => "Portföljobjekt skapat",
        "portfolio_item_imported" => "Portföljobjekt importerat",
        "portfolio_item_updated" => "Portföljobjekt ändrat",
        "order_registered" => "Beställning registrerad",
        "order_refused" => "Beställning väntar på prioritering",
        "round_created" => "Prioriteringsomgång skapad",
        "round_phase" => "Omgångens fas ändrad",
        "round_settings_updated" => "Omgångens ramar ändrade",
        "round_weights_updated" => "Omgångens vikter ändrade",
        "round_items_taken" => "Objekt tagna in i omgången",
        "round_item_withdrawn" => "Objekt draget ur omgången",
        "round_item_decided" => "Beslut om objekt",
        "round_decided" => "Prioriteringsomgång beslutad",
        "review_updated" => "Beredning ändrad",
        "review_submitted" => "Beredning inlämnad",
        "review_deadline" => "Sista dag för beredning ändrad",
        "ranking_updated" => "Rangordning ändrad",
        "ranking_from_suggestion" => "Rangordning från förslaget",
        other => other,
    }
}

/// The Swedish name of an audited field.
pub fn field_label(field: &str) -> &str {
    match field {
        "email" => "E-post",
        "display_name" => "Namn",
        "title" => "Titel",
        "active" => "Aktiv",
        "roles" => "Roller",
        "name" => "Namn",
        "case_number" => "Diarienummer",
        "project_number" => "Projektnummer",
        "board" => "Ägande nämnd",
        "project_manager" => "Projektledare",
        "plan" => "Portföljplan",
        "description" => "Beskrivning",
        "planned_start" => "Planerad start",
        "planned_end" => "Planerat slut",
        "actual_start" => "Faktisk start",
        "actual_end" => "Faktiskt slut",
        "allocation" => "Fördelningsnyckel",
        "council_goals" => "Fullmäktiges mål",
        "category" => "Budgetpost",
        "sub_entity" => "Delenhet",
        "budget" => "Budget",
        "income" => "Intäkt/kreditering",
        "outcome" => "Utfall",
        "amount" => "Belopp",
        "goal" => "Effektmål",
        "indicator" => "Indikator",
        "baseline" => "Utgångsläge",
        "target_value" => "Målvärde",
        "unit" => "Enhet",
        "target_date" => "Måldatum",
        "assessment" => "Bedömning",
        "assessment_comment" => "Resultat och kommentar",
        "value" => "Värde",
        "short_name" => "Kortnamn",
        "excluded" => "Räknas bort ur totalen",
        "appropriation" => "Investeringsanslag",
        "decision_body" => "Beslutande organ",
        "decision_date" => "Beslutsdatum",
        "decision_paragraph" => "Paragraf",
        "status" => "Status",
        "meeting_date" => "Sammanträde",
        "decision_text" => "Beslut",
        "correction_reason" => "Skäl till rättelse",
        "rank" => "Plats",
        "recommended_rank" => "Rekommenderad plats",
        "reason" => "Skäl",
        "version" => "Version",
        "reference" => "Beställningsreferens",
        "note" => "Anteckning",
        "comment" => "Kommentar",
        "phase" => "Fas",
        "items" => "Objekt",
        "decision" => "Beslut",
        "quarter" => "Kvartal",
        "hours_capacity" => "Timmar att fördela",
        "submitted" => "Inlämnad",
        "kind" => "Typ",
        "complexity" => "Komplexitet",
        "complexity_reason" => "Motivering komplexitet",
        "effort_hours" => "IT-centers insats (timmar)",
        "investment" => "Investering",
        "running_cost" => "Driftkostnad per år",
        "score_citizen" => "Nytta för invånare",
        "score_efficiency" => "Effektivitet och tidsbesparing",
        "score_necessity" => "Lag- eller säkerhetskrav",
        "score_strategy" => "Strategisk koppling",
        "benefit_note" => "Nyttomotivering",
        "dependencies" => "Beroenden",
        "earliest_start" => "Tidigast start",
        "contact" => "Kontaktperson",
        "municipalities" => "Kommuner",
        "project" => "Investeringsprojekt",
        other => other,
    }
}

/// The Swedish name of what an entry is about.
pub fn entity_label(entity: &str) -> &str {
    match entity {
        "session" => "Inloggning",
        "user" => "Användare",
        "project" => "Projekt",
        "budget_line" => "Budgetpost",
        "outcome_entry" => "Utfall",
        "sub_entity" => "Delenhet",
        "effect_goal" => "Effektmål",
        "measurement" => "Mätning",
        "council_goal" => "Fullmäktiges mål",
        "final_report" => "Slutredovisning",
        "portfolio_item" => "Portföljobjekt",
        "portfolio_order" => "Beställning",
        "round" => "Prioriteringsomgång",
        "round_item" => "Objekt i omgång",
        "review" => "Beredning",
        "database" => "Databasen",
        other => other,
    }
}
