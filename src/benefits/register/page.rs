//! The benefit register's pages: the register with its filter and SMART flags, and a benefit's
//! page with what its calculation promised and what was realised, year by year, its
//! measurements, its follow-up form and its effect goals.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::{
    admin::repo::Reference,
    benefits::{
        policy::SubjectView,
        register::{
            forms::{FilterForm, FollowUpForm, MeasurementForm},
            policy::{load_visible, may_follow_up},
            repo::{self, Benefit, GoalLink, Measurement},
        },
        repo as calculation_repo,
    },
    domain::{
        benefit::register::{self as rules, KindCode, Status},
        effect_goal::SmartFlag,
        number,
    },
    projects::scope,
    web::{AppError, AppState, Chrome, CurrentUser, Typed, form::FieldErrors, format},
};

/// A benefit with its SMART flags on today.
pub struct Row {
    pub benefit: Benefit,
    pub flags: Vec<SmartFlag>,
    pub overdue: bool,
}

impl Row {
    fn of(benefit: Benefit, today: chrono::NaiveDate) -> Self {
        let facts = benefit.facts();
        Row {
            flags: rules::smart_flags(&facts, today),
            overdue: rules::overdue(&facts, today),
            benefit,
        }
    }
}

/// A value in a benefit's own unit, for reading: "60 000 kr per år", "120 timmar per år".
pub fn in_unit(kind: KindCode, value: Decimal) -> String {
    format!("{} {}", number::format_quantity(value), kind.unit())
}

#[derive(Template)]
#[template(path = "benefits/register.html")]
struct RegisterView {
    chrome: Chrome,
    rows: Vec<Row>,
    filter: FilterForm,
    municipalities: Vec<(Uuid, String)>,
    people: Vec<(Uuid, String)>,
    overdue: usize,
}

impl RegisterView {
    /// "3 nyttor, varav 1 försenad."
    fn count_line(&self) -> String {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        let all = crate::web::format::count(n(self.rows.len()), "nytta", "nyttor");
        let late = crate::web::format::count(n(self.overdue), "försenad", "försenade");
        format!("{all}, varav {late}.")
    }

    fn kinds(&self) -> [KindCode; 3] {
        KindCode::ALL
    }
    fn statuses(&self) -> [Status; 5] {
        Status::ALL
    }
    fn value(&self, b: &Benefit) -> String {
        match b.kind {
            KindCode::Qualitative => format!("betyg {}", b.rating.unwrap_or_default()),
            kind => in_unit(kind, b.yearly()),
        }
    }
}

/// The register, filtered by `filter`, of the benefits `me` may see.
pub async fn render_register(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    filter: FilterForm,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let visible = scope::visible_municipalities(me);
    let today = format::today();
    let rows: Vec<Row> = repo::list(&mut conn, visible.as_deref(), &filter.filter())
        .await?
        .into_iter()
        .map(|b| Row::of(b, today))
        .collect();
    let view = RegisterView {
        chrome,
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows,
        filter,
        municipalities: Reference::municipalities_of(&mut *conn, visible.as_deref()).await?,
        people: repo::people(&mut conn).await?,
    };
    Ok(Html(view.render()?).into_response())
}

/// One year of the follow-up, formatted.
pub struct YearRow {
    pub year: i32,
    pub planned: String,
    pub realised: String,
    pub difference: String,
}

/// What the benefit was promised as, and by which decision (or the working calculation).
pub struct Promise {
    pub source: String,
    pub years: Vec<YearRow>,
}

/// The promise of `benefit`: its line in the calculation's latest frozen version, else in the
/// working calculation; with the measurements year by year.
async fn promise(
    conn: &mut sqlx::PgConnection,
    benefit: &Benefit,
    measurements: &[Measurement],
) -> Result<Promise, AppError> {
    let frozen = calculation_repo::latest_version(conn, benefit.calculation_id).await?;
    let decided = frozen.as_ref().and_then(|(version, c)| {
        let line = c.benefits.iter().find(|l| l.id == benefit.id)?;
        let yearly = line.amount.or(line.rating.map(Decimal::from))?;
        Some((version, c.schedule(), yearly))
    });
    let (source, schedule, yearly) = match decided {
        Some((v, schedule, yearly)) => (
            format!("beslutad version {} ({})", v.number, v.decision),
            schedule,
            yearly,
        ),
        None => (
            "den aktuella kalkylen (ingen beslutad version)".to_owned(),
            benefit.schedule(),
            benefit.yearly(),
        ),
    };
    let measured: Vec<_> = measurements
        .iter()
        .map(|m| (m.measured_on, m.value))
        .collect();
    let years = rules::realisation(schedule, yearly, &measured)
        .into_iter()
        .map(|y| YearRow {
            year: y.year,
            planned: number::format_quantity(y.planned),
            realised: y.realised.map_or("–".into(), number::format_quantity),
            difference: y
                .realised
                .map_or("–".into(), |r| number::format_quantity(r - y.planned)),
        })
        .collect();
    Ok(Promise { source, years })
}

#[derive(Template)]
#[template(path = "benefits/benefit.html")]
struct BenefitView {
    chrome: Chrome,
    row: Row,
    subject: SubjectView,
    promise: Promise,
    measurements: Vec<Measurement>,
    /// The project's effect goals; `None` for an item's benefit.
    goals: Option<Vec<GoalLink>>,
    goal_errors: FieldErrors,
    people: Vec<(Uuid, String)>,
    follow_up: Typed<FollowUpForm>,
    measurement: Typed<MeasurementForm>,
    can_follow_up: bool,
    removed: bool,
}

impl BenefitView {
    fn statuses(&self) -> [Status; 5] {
        Status::ALL
    }
    fn value(&self) -> String {
        let b = &self.row.benefit;
        match b.kind {
            KindCode::Qualitative => format!(
                "betyg {} av 5: {}",
                b.rating.unwrap_or_default(),
                b.rating_reason
            ),
            kind => in_unit(kind, b.yearly()),
        }
    }
    fn quantity(&self, v: &Decimal) -> String {
        number::format_quantity(*v)
    }
}

/// The forms of a benefit's page; the refused one comes back as typed.
#[derive(Default)]
pub struct Forms {
    pub follow_up: Option<Typed<FollowUpForm>>,
    pub measurement: Option<Typed<MeasurementForm>>,
    pub goals: Option<FieldErrors>,
}

pub async fn render_benefit(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    id: Uuid,
    forms: Forms,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let (benefit, subject) = load_visible(&mut conn, id, me, false).await?;
    let measurements = repo::measurements(&mut conn, id).await?;
    let promise = promise(&mut conn, &benefit, &measurements).await?;
    let goals = match benefit.project_id {
        Some(p) => Some(repo::goal_links(&mut conn, p, id).await?),
        None => None,
    };
    let removed = benefit.removed;
    let status = crate::web::form::worst([
        forms.follow_up.as_ref().map(Typed::page_status),
        forms.measurement.as_ref().map(Typed::page_status),
        forms
            .goals
            .as_ref()
            .map(|e| crate::web::form::status(e, false)),
    ]);
    let follow_up = Typed::or_fresh(
        forms.follow_up,
        || FollowUpForm::from_benefit(&benefit),
        |f| f.version = benefit.version,
    );
    let view = BenefitView {
        chrome,
        can_follow_up: may_follow_up(me, &benefit) && !removed,
        row: Row::of(benefit, format::today()),
        subject,
        promise,
        measurements,
        goals,
        goal_errors: forms.goals.unwrap_or_default(),
        people: repo::people(&mut conn).await?,
        follow_up,
        measurement: forms
            .measurement
            .unwrap_or_else(|| Typed::fresh(MeasurementForm::default())),
        removed,
    };
    Ok((status, Html(view.render()?)).into_response())
}
