//! The follow-up's views: the overview of the year's occasions with each board's status, and
//! one board's report laid out as seed 002 (the proposal, the summary, bilaga 1's tables and
//! bilaga 2's action plan), every figure in mnkr from exact kronor.

use std::borrow::Borrow;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use sqlx::PgConnection;

use crate::{
    domain::{
        follow_up::{
            FollowUpStatus, Operating, ROUNDING_NOTE, Row,
            action_plan::{self, Group, Sums},
            format_percent, status_label, text,
        },
        money::Money,
    },
    follow_up::{
        decision::repo::Correction,
        entry,
        forms::ForecastForm,
        policy,
        repo::{self, Occasion, StatusRow},
        report::{self, Report},
    },
    web::{AppError, AppState, Chrome, CurrentUser, Page, Typed, form::FieldErrors, format},
};

/// An occasion with the boards' statuses.
pub struct OccasionStatus {
    pub occasion: Occasion,
    pub boards: Vec<StatusRow>,
}

pub struct Overview {
    pub years: Vec<i32>,
    pub year: Option<i32>,
    pub occasions: Vec<OccasionStatus>,
}

impl Overview {
    /// The year asked for if it has occasions, else the current year's, else the latest.
    pub async fn load(
        conn: &mut PgConnection,
        me: &CurrentUser,
        asked: &str,
    ) -> Result<Self, AppError> {
        // A year that is no year is refused as on the data entry's pages; a year without
        // occasions shows the nearest one that has them.
        let asked = match asked.trim() {
            "" => None,
            typed => Some(super::entry::grid::year(typed).map_err(AppError::BadRequest)?),
        };
        let years = repo::occasion_years(&mut *conn).await?;
        let current = format::today().year();
        let year = asked
            .filter(|y| years.contains(y))
            .or_else(|| years.iter().copied().find(|y| *y == current))
            .or_else(|| years.first().copied());
        let mut occasions = Vec::new();
        if let Some(year) = year {
            let scope = policy::board_scope(me);
            let statuses = repo::statuses(&mut *conn, year, scope.as_deref()).await?;
            for occasion in repo::occasions(&mut *conn, year).await? {
                let boards = statuses
                    .iter()
                    .filter(|s| s.occasion_id == occasion.id)
                    .cloned()
                    .collect();
                occasions.push(OccasionStatus { occasion, boards });
            }
        }
        Ok(Self {
            years,
            year,
            occasions,
        })
    }
}

impl OccasionStatus {
    /// The next occasion with the boards' statuses, for the start page of those who follow the
    /// boards' reports; none before any occasion is set up.
    pub async fn next(conn: &mut PgConnection, me: &CurrentUser) -> Result<Option<Self>, AppError> {
        let Some(occasion) = repo::next_occasion(&mut *conn, format::today()).await? else {
            return Ok(None);
        };
        let scope = policy::board_scope(me);
        let boards = repo::statuses(&mut *conn, occasion.year, scope.as_deref())
            .await?
            .into_iter()
            .filter(|s| s.occasion_id == occasion.id)
            .collect();
        Ok(Some(Self { occasion, boards }))
    }

    /// "januari–augusti 2022".
    pub fn period(&self) -> String {
        text::period_name(self.occasion.year, self.occasion.through())
    }
}

#[derive(Template)]
#[template(path = "follow_up/overview.html")]
struct OverviewView {
    chrome: Chrome,
    overview: Overview,
}

impl OverviewView {
    fn period(&self, o: &Occasion) -> String {
        text::period_name(o.year, o.through())
    }

    fn status(&self, s: &Option<FollowUpStatus>) -> &'static str {
        status_label(*s)
    }

    fn is_year(&self, year: &i32) -> bool {
        self.overview.year == Some(*year)
    }

    fn year_href(&self, year: &i32) -> String {
        format!("{}?ar={year}", crate::paths::follow_ups())
    }

    /// Whether the reader enters the follow-up's data (the "Underlag" link).
    fn can_enter(&self) -> bool {
        (self.chrome.user.as_ref()).is_some_and(entry::policy::may_enter_any)
    }
}

pub fn render_overview(chrome: Chrome, overview: Overview) -> Result<Html<String>, AppError> {
    Ok(Html(OverviewView { chrome, overview }.render()?))
}

#[derive(Template)]
#[template(path = "follow_up/report.html")]
struct ReportView {
    chrome: Chrome,
    report: Report,
    today: chrono::NaiveDate,
    may: Allowed,
    corrections: Vec<Correction>,
}

/// What the reader may do with the report as it stands.
#[derive(Default)]
pub struct Allowed {
    /// A controller on a report in progress (or not started): forecasts, text, measures.
    pub edit: bool,
    /// A controller on a complete report in progress.
    pub submit: bool,
    /// A controller on a submitted report.
    pub withdraw: bool,
    /// The board's secretary on a submitted report.
    pub decide: bool,
    /// A controller on a decided report: its text, with a reason.
    pub correct: bool,
}

impl Allowed {
    pub fn for_report(me: &CurrentUser, report: &Report) -> Self {
        let board = report.header.board_id;
        let writer = policy::may_write(me, board);
        let status = report.header.status;
        let in_progress = policy::editable(status);
        Self {
            edit: writer && in_progress,
            submit: writer && status == Some(FollowUpStatus::InProgress) && report.is_complete(),
            withdraw: writer && status == Some(FollowUpStatus::Submitted),
            decide: policy::may_decide(me, board) && status == Some(FollowUpStatus::Submitted),
            correct: writer && status == Some(FollowUpStatus::Decided),
        }
    }
}

impl ReportView {
    // Templates pass fields by reference and method results by value: both are taken.
    fn mnkr(&self, amount: impl Borrow<Money>) -> String {
        amount.borrow().format_mnkr()
    }

    fn mnkr2(&self, amount: impl Borrow<Money>) -> String {
        amount.borrow().format_mnkr_cents()
    }

    fn percent(&self, value: impl Borrow<Option<rust_decimal::Decimal>>) -> String {
        format_percent(*value.borrow())
    }

    /// "Beslutad av … 2022-09-20, § 45." once decided.
    fn decision(&self) -> Option<String> {
        let decided = crate::follow_up::decision::record::decided(&self.report)?;
        Some(format!(
            "{decided} Siffrorna visas som nämnden beslutade om dem."
        ))
    }

    fn proposal(&self) -> [String; 2] {
        self.report.proposal(self.today)
    }

    fn rounding_note(&self) -> &'static str {
        ROUNDING_NOTE
    }

    fn status(&self) -> &'static str {
        status_label(self.report.header.status)
    }

    fn plan(&self) -> (Vec<Group<'_>>, Sums) {
        action_plan::layout(&self.report.measures)
    }

    fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| d.to_string()).unwrap_or_default()
    }

    /// The operating table's rows: label, the period's row and the full year's.
    fn operating_rows(
        &self,
        period: &Operating,
        year: &Operating,
    ) -> Vec<(&'static str, Row, Row)> {
        period
            .rows()
            .into_iter()
            .zip(year.rows())
            .map(|((label, p), (_, y))| (label, p, y))
            .collect()
    }

    /// "Januari–augusti 2022" as a column group's heading.
    fn period_heading(&self) -> String {
        let name = self.report.period_name();
        let mut chars = name.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    /// The implementation-rate chart's bars: (x, height, label) in a 100-unit-high plot where
    /// 100 % is 80 units; rates above 125 % are drawn at the top.
    fn bars(&self) -> Vec<(usize, u32, String)> {
        self.report
            .years
            .iter()
            .enumerate()
            .map(|(i, y)| {
                let height = y
                    .rate
                    .map(|r| (r * rust_decimal::Decimal::new(8, 1)).round())
                    .and_then(|h| u32::try_from(h.mantissa()).ok())
                    .unwrap_or(0)
                    .min(100);
                (20 + i * 60, height, format!("{} %", format_percent(y.rate)))
            })
            .collect()
    }

    fn chart_width(&self) -> usize {
        40 + self.report.years.len().max(1) * 60
    }

    fn attachments_date(&self) -> String {
        text::long_date(self.report.attachments_dated(self.today))
    }

    /// Whether the reader enters the follow-up's data (the "Underlag" links).
    fn can_enter(&self) -> bool {
        let board = self.report.header.board_id;
        (self.chrome.user.as_ref()).is_some_and(|u| entry::policy::may_enter(u, board))
    }
}

pub fn render_report(
    chrome: Chrome,
    me: &CurrentUser,
    report: Report,
    corrections: Vec<Correction>,
) -> Result<Html<String>, AppError> {
    let may = Allowed::for_report(me, &report);
    Ok(Html(
        ReportView {
            chrome,
            report,
            today: format::today(),
            may,
            corrections,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "follow_up/forecast.html")]
struct ForecastView {
    chrome: Chrome,
    report: Report,
    form: ForecastForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

impl ForecastView {
    fn error(&self, field: impl AsRef<str>) -> Option<&str> {
        self.errors.get(field.as_ref())
    }

    /// The two amount inputs of an activity: (name, label, id, typed value).
    fn amount_inputs(&self, code: &str) -> [(&'static str, &'static str, String, &str); 2] {
        let (revenue, costs, _) = self.form.activity_values(code);
        [
            (
                "revenue",
                "Prognos intäkter, kr",
                format!("revenue-{code}"),
                revenue,
            ),
            (
                "costs",
                "Prognos kostnader, kr",
                format!("costs-{code}"),
                costs,
            ),
        ]
    }

    fn activity_comment(&self, code: &str) -> &str {
        self.form.activity_values(code).2
    }

    /// The report's own texts: (name and id, label, typed value).
    fn text_areas(&self) -> [(&'static str, &'static str, &str); 3] {
        [
            (
                "summary_text",
                "Sammanfattning (inledning)",
                &self.form.summary_text,
            ),
            (
                "operating_text",
                "Text om driftkostnader",
                &self.form.operating_text,
            ),
            (
                "investment_text",
                "Text om investeringar",
                &self.form.investment_text,
            ),
        ]
    }

    fn mnkr(&self, amount: impl Borrow<Money>) -> String {
        amount.borrow().format_mnkr()
    }
}

/// The forecast form of `board` at `occasion`: what is saved, or what was typed when a save was
/// refused. After a conflict the typed values stay and the version becomes the saved one, so a
/// second save means "mine over theirs", having seen theirs.
pub async fn render_forecast_form(
    state: &AppState,
    page: &Page,
    (occasion, board): (uuid::Uuid, uuid::Uuid),
    typed: Option<Typed<ForecastForm>>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let report = report::load(&mut conn, board, occasion)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::editable(report.header.status) {
        return Err(AppError::Conflict(policy::NOT_IN_PROGRESS.to_owned()));
    }
    let typed = Typed::or_fresh(
        typed,
        || ForecastForm::from_report(&report),
        |f| f.version = report.header.version.to_string(),
    );
    let status = typed.page_status();
    let form = typed.form;
    let view = ForecastView {
        chrome: page.chrome().await?,
        report,
        form,
        errors: typed.errors,
        conflict: typed.conflict,
    };
    Ok((status, Html(view.render()?)).into_response())
}
