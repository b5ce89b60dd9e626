//! A board's period report at an occasion, assembled from its rows: the operating table per
//! activity and in total, the investment table per project and in total, the action plan, the
//! members' shares, the implementation rate per year and the generated sentences. What is not
//! yet entered is listed, so an incomplete report is marked as a draft rather than shown as
//! if complete. Its own module, importing none of its users.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::{
        follow_up::{
            Investment, Operating,
            action_plan::{self, Measure},
            implementation_rate, shares, text,
            written::{Marking, Shown, Texts},
        },
        money::Money,
    },
    follow_up::{
        entry,
        repo::{self, Header},
    },
};

/// One activity's two tables.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityFigures {
    pub code: String,
    pub name: String,
    pub period: Operating,
    pub full_year: Operating,
    pub comment: String,
    pub has_forecast: bool,
}

/// One project's investment row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProjectFigures {
    pub id: Uuid,
    pub name: String,
    pub project_number: Option<String>,
    pub figures: Investment,
    pub comment: String,
    pub has_forecast: bool,
    /// The carry-over to the next year proposed at the year-end occasion.
    #[serde(default)]
    pub proposed_carry_over: Option<Money>,
}

impl ProjectFigures {
    /// The most that can be carried over: the appropriation not spent in the period (at the
    /// year-end occasion, the year).
    pub fn carry_over_limit(&self) -> Money {
        let left = self.figures.total() - self.figures.outcome;
        if left.is_negative() {
            Money::ZERO
        } else {
            left
        }
    }

    /// "0003-0365 Digital arbetsplats".
    pub fn title(&self) -> String {
        match &self.project_number {
            Some(n) => format!("{n} {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// A year's implementation rate.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct YearRate {
    pub year: i32,
    pub appropriation: Money,
    pub outcome: Money,
    pub rate: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub header: Header,
    pub activities: Vec<ActivityFigures>,
    pub period: Operating,
    /// The full year with the approved measures of the action plan that count in it.
    pub full_year: Operating,
    /// What the action plan adds to the full-year result (lower costs).
    pub counted_measures: Money,
    pub projects: Vec<ProjectFigures>,
    pub investments: Investment,
    pub measures: Vec<Measure>,
    /// Each member's share of the forecast result (a surplus returned is positive).
    pub member_shares: Vec<(String, Money)>,
    pub years: Vec<YearRate>,
    /// What is missing before the report is complete, in the order the page shows it.
    pub missing: Vec<String>,
}

impl Report {
    pub fn year(&self) -> i32 {
        self.header.occasion.year
    }

    /// "januari–augusti 2022".
    pub fn period_name(&self) -> String {
        text::period_name(self.year(), self.header.occasion.through())
    }

    /// The date the proposal cites for the attachments; today until one is set.
    pub fn attachments_dated(&self, today: NaiveDate) -> NaiveDate {
        self.header.attachments_dated.unwrap_or(today)
    }

    pub fn proposal(&self, today: NaiveDate) -> [String; 2] {
        text::proposal(self.attachments_dated(today), self.year())
    }

    pub fn operating_summary(&self) -> String {
        text::operating_summary(&self.period)
    }

    pub fn deviations(&self) -> String {
        text::deviations(&self.period)
    }

    pub fn forecast_sentence(&self) -> String {
        let who = if self.header.reporting_unit.trim().is_empty() {
            self.header.board.as_str()
        } else {
            self.header.reporting_unit.as_str()
        };
        text::forecast(who, &self.full_year)
    }

    pub fn investment_sentence(&self) -> String {
        text::investments(self.year(), &self.investments)
    }

    pub fn investment_forecast_sentence(&self) -> String {
        text::investment_forecast(&self.investments)
    }

    pub fn has_activity_comments(&self) -> bool {
        self.activities.iter().any(|a| !a.comment.trim().is_empty())
    }

    pub fn has_project_comments(&self) -> bool {
        self.projects.iter().any(|p| !p.comment.trim().is_empty())
    }

    /// The proposed carry-over to the next year, in total.
    pub fn proposed_carry_over(&self) -> Money {
        self.projects
            .iter()
            .filter_map(|p| p.proposed_carry_over)
            .sum()
    }

    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// The figures that changed since the officials' text was last saved; none when none did
    /// (or nothing is written yet).
    pub fn marking(&self) -> Option<Marking> {
        self.header.written.as_ref()?.marking(&self.shown())
    }

    /// The officials' text as it stands (see `domain::follow_up::written`).
    pub fn texts(&self) -> Texts {
        let h = &self.header;
        let activities = self
            .activities
            .iter()
            .filter(|a| !a.comment.trim().is_empty())
            .map(|a| (format!("Vht {} {}", a.code, a.name), a.comment.clone()));
        let projects = self
            .projects
            .iter()
            .filter(|p| !p.comment.trim().is_empty())
            .map(|p| (p.title(), p.comment.clone()));
        Texts {
            summary: h.summary_text.clone(),
            operating: h.operating_text.clone(),
            investment: h.investment_text.clone(),
            comments: activities.chain(projects).collect(),
        }
    }

    /// The figures the officials' text can speak of, as the report shows them: the totals, and
    /// the figures of each activity and project that has a comment.
    pub fn shown(&self) -> Shown {
        let mut shown = Shown::default();
        for (row, figures) in self.period.rows() {
            shown.push(
                format!("{row}, periodens avvikelse"),
                figures.deviation.format_mnkr(),
            );
        }
        for (row, figures) in self.full_year.rows() {
            shown.push(
                format!("{row}, helårsprognos"),
                figures.actual.format_mnkr(),
            );
            shown.push(
                format!("{row}, helårets avvikelse"),
                figures.deviation.format_mnkr(),
            );
        }
        let i = &self.investments;
        shown.push("Investeringar, totalt anslag", i.total().format_mnkr());
        shown.push(
            "Investeringar, utfall för perioden",
            i.outcome.format_mnkr(),
        );
        shown.push("Investeringar, prognos", i.forecast.format_mnkr());
        for a in self
            .activities
            .iter()
            .filter(|a| !a.comment.trim().is_empty())
        {
            let what = format!("Vht {} {}", a.code, a.name);
            shown.push(
                format!("{what}: periodens nettoavvikelse"),
                a.period.net().deviation.format_mnkr(),
            );
            shown.push(
                format!("{what}: helårets nettoavvikelse"),
                a.full_year.net().deviation.format_mnkr(),
            );
        }
        for p in self
            .projects
            .iter()
            .filter(|p| !p.comment.trim().is_empty())
        {
            let what = p.title();
            shown.push(
                format!("{what}: totalt anslag"),
                p.figures.total().format_mnkr(),
            );
            shown.push(
                format!("{what}: utfall för perioden"),
                p.figures.outcome.format_mnkr(),
            );
            shown.push(format!("{what}: prognos"), p.figures.forecast.format_mnkr());
        }
        shown
    }
}

fn money(amount: Decimal) -> Money {
    Money::from_stored(amount)
}

/// Reads the report of `board_id` at `occasion_id`; none when either is unknown. A decided
/// report is read as the board decided it (its frozen figures); any other is assembled from its
/// rows as they stand.
pub async fn load(
    conn: &mut PgConnection,
    board_id: Uuid,
    occasion_id: Uuid,
) -> Result<Option<Report>, sqlx::Error> {
    let Some(mut header) = repo::header(&mut *conn, board_id, occasion_id).await? else {
        return Ok(None);
    };
    match header.snapshot.take() {
        Some(frozen) => Frozen::thaw(header, &frozen).map(Some),
        None => live(conn, header).await.map(Some),
    }
}

/// Assembles the report from its rows as they stand, in six statements (seven for a joint
/// board without a key of the year).
pub async fn live(conn: &mut PgConnection, header: Header) -> Result<Report, sqlx::Error> {
    let occasion = header.occasion.clone();
    let board_id = header.board_id;
    let follow_up = header.follow_up_id;
    let activity_rows = repo::activities(&mut *conn, board_id, &occasion, follow_up).await?;
    let project_rows = repo::projects(&mut *conn, board_id, &occasion, follow_up).await?;
    let measures = repo::measures(&mut *conn, follow_up).await?;
    let key = repo::member_key(&mut *conn, board_id, occasion.year).await?;
    // Whether a key is missing is asked only when there is none.
    let key_missing = key.is_empty() && entry::repo::is_joint(&mut *conn, board_id).await?;
    let year_rows = repo::years(&mut *conn, board_id, occasion.year).await?;
    let mut report = assemble(
        header,
        activity_rows,
        project_rows,
        measures,
        &key,
        year_rows,
    );
    if key_missing {
        report.missing.push(format!(
            "Medlemsandelar (fördelningsnyckel) för {}",
            occasion.year
        ));
    }
    Ok(report)
}

/// The figures of a decided report as the board saw them, stored with the decision
/// (`follow_up.decided_snapshot`) so that later postings and changes of the underlying rows do
/// not change what was decided. The header (texts, decision) stays live: its corrections are
/// recorded one by one.
#[derive(Serialize, Deserialize)]
struct Frozen {
    activities: Vec<ActivityFigures>,
    period: Operating,
    full_year: Operating,
    counted_measures: Money,
    projects: Vec<ProjectFigures>,
    investments: Investment,
    measures: Vec<Measure>,
    member_shares: Vec<(String, Money)>,
    years: Vec<YearRate>,
}

impl Frozen {
    fn thaw(header: Header, json: &str) -> Result<Report, sqlx::Error> {
        let f: Frozen = serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(Report {
            header,
            activities: f.activities,
            period: f.period,
            full_year: f.full_year,
            counted_measures: f.counted_measures,
            projects: f.projects,
            investments: f.investments,
            measures: f.measures,
            member_shares: f.member_shares,
            years: f.years,
            missing: Vec::new(),
        })
    }
}

impl Report {
    /// The figures to freeze when the board decides, as JSON.
    pub fn freeze(&self) -> serde_json::Result<String> {
        let frozen = Frozen {
            activities: self.activities.clone(),
            period: self.period,
            full_year: self.full_year,
            counted_measures: self.counted_measures,
            projects: self.projects.clone(),
            investments: self.investments,
            measures: self.measures.clone(),
            member_shares: self.member_shares.clone(),
            years: self.years.clone(),
        };
        serde_json::to_string(&frozen)
    }
}

fn assemble(
    header: Header,
    activity_rows: Vec<repo::ActivityRow>,
    project_rows: Vec<repo::ProjectRow>,
    measures: Vec<Measure>,
    key: &[(String, Decimal)],
    year_rows: Vec<repo::YearRow>,
) -> Report {
    let mut missing = Vec::new();
    let activities: Vec<ActivityFigures> = activity_rows.into_iter().map(activity).collect();
    for a in activities.iter().filter(|a| !a.has_forecast) {
        missing.push(format!(
            "Helårsprognos för verksamhet {} {}",
            a.code, a.name
        ));
    }
    let projects: Vec<ProjectFigures> = project_rows.into_iter().map(project).collect();
    for p in projects.iter().filter(|p| !p.has_forecast) {
        missing.push(format!("Prognos för projekt {}", p.title()));
    }
    if activities.is_empty() {
        missing.push("Verksamheter med budget och utfall".to_owned());
    }
    let counted_measures = action_plan::counted_in_forecast(&measures);
    let period: Operating = activities.iter().map(|a| a.period).sum();
    let mut full_year: Operating = activities.iter().map(|a| a.full_year).sum();
    full_year.cost_actual = full_year.cost_actual - counted_measures;
    let investments: Investment = projects.iter().map(|p| p.figures).sum();
    let key_refs: Vec<(&str, Decimal)> = key.iter().map(|(n, p)| (n.as_str(), *p)).collect();
    let member_shares = shares::member_shares(full_year.net().deviation, &key_refs)
        .into_iter()
        .map(|(name, share)| (name.to_owned(), share))
        .collect();
    let years = year_rows
        .into_iter()
        .map(|y| YearRate {
            year: y.year,
            appropriation: money(y.appropriation),
            outcome: money(y.outcome),
            rate: implementation_rate(money(y.outcome), money(y.appropriation)),
        })
        .collect();
    Report {
        header,
        activities,
        period,
        full_year,
        counted_measures,
        projects,
        investments,
        measures,
        member_shares,
        years,
        missing,
    }
}

fn activity(r: repo::ActivityRow) -> ActivityFigures {
    let has_forecast = r.forecast_revenue.is_some() && r.forecast_costs.is_some();
    ActivityFigures {
        period: Operating {
            revenue_budget: money(r.period_revenue_budget),
            revenue_actual: money(r.revenue_outcome),
            cost_budget: money(r.period_cost_budget),
            cost_actual: money(r.cost_outcome),
        },
        // Without a forecast the year is shown on budget until one is entered.
        full_year: Operating {
            revenue_budget: money(r.year_revenue_budget),
            revenue_actual: money(r.forecast_revenue.unwrap_or(r.year_revenue_budget)),
            cost_budget: money(r.year_cost_budget),
            cost_actual: money(r.forecast_costs.unwrap_or(r.year_cost_budget)),
        },
        code: r.code,
        name: r.name,
        comment: r.comment,
        has_forecast,
    }
}

fn project(r: repo::ProjectRow) -> ProjectFigures {
    let mut figures = Investment {
        annual_budget: money(r.annual_budget),
        extra_granted: money(r.extra_granted),
        carried_over: money(r.carried_over),
        outcome: money(r.outcome),
        forecast: Money::ZERO,
    };
    // Without a forecast the whole appropriation is assumed spent until one is entered.
    figures.forecast = r.forecast.map_or(figures.total(), money);
    ProjectFigures {
        id: r.id,
        name: r.name,
        project_number: r.project_number,
        figures,
        comment: r.comment,
        has_forecast: r.forecast.is_some(),
        proposed_carry_over: r.proposed.map(money),
    }
}
