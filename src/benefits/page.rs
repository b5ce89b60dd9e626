//! The benefit calculation's page: its key figures with their formulas, the years, the
//! stakeholders, the benefit lines, the sensitivity table, the forms and the frozen versions;
//! and the page that starts a calculation.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::{
    benefits::{
        forms::{LineForm, SettingsForm, StakeholderForm},
        policy::{self, SubjectView},
        repo::{self, Calculation, VersionRow},
    },
    domain::benefit::{Result as Evaluation, Scenario, formula, register::KindCode},
    web::{AppError, Chrome, CurrentUser, Typed},
};

/// One year of the base calculation, as the table shows it.
pub struct YearRow {
    pub calendar: i32,
    pub year: u32,
    pub benefit: String,
    pub cost: String,
    pub net: String,
    pub factor: String,
    pub present: String,
    pub cumulative: String,
}

pub struct LineRow {
    pub id: uuid::Uuid,
    pub stakeholder: String,
    pub description: String,
    pub kind: &'static str,
    pub value: String,
}

pub struct ScenarioRow {
    pub label: &'static str,
    pub net_present_value: String,
    pub ratio: String,
    pub payback: String,
}

pub struct StakeholderRow {
    pub name: String,
    pub per_year: String,
    pub qualitative: usize,
}

/// Every figure of a calculation, formatted, with its formula.
pub struct Figures {
    pub net_present_value: String,
    pub net_present_value_formula: String,
    pub ratio: String,
    pub ratio_formula: String,
    pub payback: String,
    pub payback_formula: String,
    pub first_year_cost: String,
    pub years: Vec<YearRow>,
    pub lines: Vec<LineRow>,
    pub stakeholders: Vec<StakeholderRow>,
    pub scenarios: Vec<ScenarioRow>,
}

fn ratio(e: &Evaluation) -> String {
    e.benefit_cost_ratio().map_or("–".into(), |r| {
        r.round_dp(2).to_string().replace('.', ",")
    })
}

fn payback(e: &Evaluation) -> String {
    e.payback_year
        .map_or("inom kalkylperioden: nej".into(), |y| format!("år {y}"))
}

impl Figures {
    pub fn of(c: &Calculation) -> Self {
        let inputs = c.inputs();
        let sensitivity = inputs.sensitivity();
        let base = &sensitivity[0];
        let years = base
            .years
            .iter()
            .map(|y| YearRow {
                calendar: c.first_year + i32::try_from(y.year).unwrap_or(1) - 1,
                year: y.year,
                benefit: formula::kr(y.benefit),
                cost: formula::kr(y.cost),
                net: formula::kr(y.net()),
                factor: formula::factor(&inputs, y),
                present: formula::kr(y.present_net()),
                cumulative: formula::kr(y.cumulative_net),
            })
            .collect();
        let lines = c
            .benefits
            .iter()
            .zip(&inputs.lines)
            .map(|(b, line)| LineRow {
                id: b.id,
                stakeholder: c.stakeholder_name(&b.stakeholder_id).to_owned(),
                description: b.description.clone(),
                kind: b.kind.label(),
                value: formula::line_value(&inputs, line),
            })
            .collect();
        let stakeholders = inputs
            .per_stakeholder()
            .into_iter()
            .zip(&c.stakeholders)
            .map(|((name, sum), s)| StakeholderRow {
                name,
                per_year: formula::kr(sum),
                qualitative: c
                    .benefits
                    .iter()
                    .filter(|b| b.stakeholder_id == s.id && b.kind == KindCode::Qualitative)
                    .count(),
            })
            .collect();
        let scenarios = sensitivity
            .iter()
            .map(|e| ScenarioRow {
                label: e.scenario.label(),
                net_present_value: formula::kr(e.net_present_value()),
                ratio: ratio(e),
                payback: payback(e),
            })
            .collect();
        debug_assert_eq!(base.scenario, Scenario::Base);
        Figures {
            net_present_value: formula::kr(base.net_present_value()),
            net_present_value_formula: formula::net_present_value(base),
            ratio: ratio(base),
            ratio_formula: formula::benefit_cost_ratio(base),
            payback: payback(base),
            payback_formula: formula::payback(base),
            first_year_cost: formula::first_year_cost(&inputs),
            years,
            lines,
            stakeholders,
            scenarios,
        }
    }
}

/// One calendar year of what the calculation promised in kronor against what was measured.
pub struct PromiseRow {
    pub year: i32,
    pub planned: String,
    pub realised: String,
    pub difference: String,
}

/// The monetised benefit year by year: planned as the latest decided version (or, before any
/// decision, the working copy) computes it, realised as each benefit's last reading of the year
/// values it (hours at the promise's hourly cost). Ratings are left out: they are not kronor.
pub fn promise_rows(
    promised: &Calculation,
    measured: &[(
        uuid::Uuid,
        KindCode,
        chrono::NaiveDate,
        rust_decimal::Decimal,
    )],
) -> Vec<PromiseRow> {
    use crate::domain::benefit::register::{in_kronor, realised_in};
    use chrono::Datelike;
    let base = promised.inputs().evaluate(Scenario::Base);
    let calendar = |year: u32| promised.first_year + i32::try_from(year).unwrap_or(1) - 1;
    let last_measured = measured.iter().map(|(_, _, d, _)| d.year()).max();
    let last = calendar(base.years.len().try_into().unwrap_or(1)).max(last_measured.unwrap_or(0));
    // Each benefit's readings, valued in kronor: a year's realisation is its last one.
    let mut benefits: Vec<(uuid::Uuid, Vec<(chrono::NaiveDate, rust_decimal::Decimal)>)> =
        Vec::new();
    for (id, kind, date, value) in measured {
        let valued = (*date, in_kronor(*kind, *value, promised.hourly_cost));
        match benefits.iter_mut().find(|(b, _)| b == id) {
            Some((_, readings)) => readings.push(valued),
            None => benefits.push((*id, vec![valued])),
        }
    }
    (promised.first_year..=last)
        .map(|year| {
            let planned = base
                .years
                .iter()
                .find(|y| calendar(y.year) == year)
                .map_or(rust_decimal::Decimal::ZERO, |y| y.benefit);
            let realised: Vec<_> = benefits
                .iter()
                .filter_map(|(_, readings)| realised_in(year, readings))
                .collect();
            let realised = (!realised.is_empty()).then(|| realised.into_iter().sum());
            PromiseRow {
                year,
                planned: formula::kr(planned),
                realised: realised.map_or("–".into(), formula::kr),
                difference: realised.map_or("–".into(), |r| formula::kr(r - planned)),
            }
        })
        .collect()
}

/// The calculation page's three forms; the one that was refused comes back as typed.
#[derive(Default)]
pub struct Forms {
    pub settings: Option<Typed<SettingsForm>>,
    pub stakeholder: Option<Typed<StakeholderForm>>,
    pub line: Option<Typed<LineForm>>,
}

#[derive(Template)]
#[template(path = "benefits/calculation.html")]
struct CalculationView {
    chrome: Chrome,
    subject: SubjectView,
    calculation: Calculation,
    figures: Figures,
    /// When a frozen version is shown: which one.
    frozen: Option<VersionRow>,
    versions: Vec<VersionRow>,
    /// What the latest decision promised against what was realised, with the decision (none
    /// before a decision).
    promise: (Option<String>, Vec<PromiseRow>),
    settings: Typed<SettingsForm>,
    stakeholder: Typed<StakeholderForm>,
    line: Typed<LineForm>,
    can_edit: bool,
}

impl CalculationView {
    fn kinds(&self) -> [KindCode; 3] {
        KindCode::ALL
    }
}

/// The calculation `id`, or its frozen version `number`.
pub async fn render_calculation(
    state: &crate::web::AppState,
    chrome: Chrome,
    me: &CurrentUser,
    (id, number): (uuid::Uuid, Option<i32>),
    forms: Forms,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let live = repo::find(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = policy::load_subject(&mut conn, live.subject(), me).await?;
    let versions = repo::versions(&mut conn, id).await?;
    let measured = repo::measurements(&mut conn, id).await?;
    let promise = match repo::latest_version(&mut conn, id).await? {
        Some((v, decided)) => (
            Some(format!("version {}: {}", v.number, v.decision)),
            promise_rows(&decided, &measured),
        ),
        None => (None, promise_rows(&live, &measured)),
    };
    let (frozen, calculation) = match number {
        Some(n) => {
            let (version, calculation) = repo::version(&mut conn, id, n)
                .await?
                .ok_or(AppError::NotFound)?;
            (Some(version), calculation)
        }
        None => (None, live),
    };
    let status = crate::web::form::worst([
        forms.settings.as_ref().map(Typed::page_status),
        forms.stakeholder.as_ref().map(Typed::page_status),
        forms.line.as_ref().map(Typed::page_status),
    ]);
    let can_edit = frozen.is_none() && policy::may_edit(me) && subject.locked.is_none();
    let settings = Typed::or_fresh(
        forms.settings,
        || SettingsForm::from_calculation(&calculation),
        |f| f.version = calculation.version,
    );
    let view = CalculationView {
        chrome,
        figures: Figures::of(&calculation),
        subject,
        frozen,
        versions,
        promise,
        settings,
        stakeholder: forms
            .stakeholder
            .unwrap_or_else(|| Typed::fresh(StakeholderForm::default())),
        line: forms
            .line
            .unwrap_or_else(|| Typed::fresh(LineForm::default())),
        calculation,
        can_edit,
    };
    Ok((status, Html(view.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "benefits/new.html")]
struct NewView {
    chrome: Chrome,
    subject: SubjectView,
    form: Typed<SettingsForm>,
    action: String,
    can_edit: bool,
}

/// The page of a subject without a calculation: what one is, and the form that starts it.
pub async fn render_new(
    chrome: Chrome,
    me: &CurrentUser,
    subject: SubjectView,
    form: Typed<SettingsForm>,
) -> Result<Response, AppError> {
    let status = form.page_status();
    let action = match subject.subject {
        repo::Subject::Project(id) => crate::paths::project_calculation(id),
        repo::Subject::Item(id) => crate::paths::item_calculation(id),
        repo::Subject::Application(id) => crate::paths::application_calculation(id),
    };
    let view = NewView {
        chrome,
        can_edit: policy::may_edit(me) && subject.locked.is_none(),
        subject,
        form,
        action,
    };
    Ok((status, Html(view.render()?)).into_response())
}
