//! Database constraint names mapped to the field and message a user sees: the one place where a
//! unique or foreign-key violation becomes a sentence next to a form field.

/// The form field and Swedish message for a violated constraint, if it is one users can cause.
pub fn field_message(error: &sqlx::Error) -> Option<(&'static str, &'static str)> {
    let constraint = error.as_database_error()?.constraint()?;
    Some(match constraint {
        "app_user_email_key" => ("email", "E-postadressen används redan av ett annat konto."),
        "municipality_name_key" => ("name", "Det finns redan en kommun med det namnet."),
        "board_name_per_municipality_key" => {
            ("name", "Kommunen har redan en nämnd med det namnet.")
        }
        "project_case_number_unique" => (
            "case_number",
            "Nämnden har redan ett projekt med det diarienumret.",
        ),
        "sub_entity_name_unique" => (
            "sub_name",
            "Projektet har redan en delenhet med det namnet.",
        ),
        "council_goal_title_unique" => ("title", "Kommunen har redan ett mål med den rubriken."),
        "activity_code_per_board_key" => ("code", "Nämnden har redan en verksamhet med den koden."),
        "follow_up_occasion_number_key" => {
            ("number", "Året har redan ett tillfälle med det numret.")
        }
        "follow_up_occasion_period_key" => (
            "through_month",
            "Året har redan ett tillfälle för samma period.",
        ),
        "portfolio_order_reference_per_item" => (
            "reference",
            "Objektet har redan en beställning med den referensen.",
        ),
        "action_measure_place_key" => (
            "number",
            "Handlingsplanen har redan en åtgärd med det löpnumret i gruppen.",
        ),
        "fund_year_unique" => ("year", "Kommunen har redan en fond för det året."),
        "fund_direction_name_unique" => {
            ("name", "Kommunen har redan en inriktning med det namnet.")
        }
        "scoring_model_name_unique" => ("name", "Det finns redan en modell med det namnet."),
        "benefit_stakeholder_name_unique" => {
            ("name", "Kalkylen har redan en intressent med det namnet.")
        }
        _ => return None,
    })
}
