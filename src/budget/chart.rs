//! A project's budget against its cumulative outcome by month, drawn as an SVG line chart that
//! needs no script: the outcome month by month from the kept monthly figures
//! (`project_month_outcome`), summed from the first month, against the budget and the
//! appropriation as level lines. Coordinates are whole numbers in a 640 × 300 view box.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    domain::money::Money,
    web::chart_scale::{nice_top, share},
};

/// The plot area inside the view box: x from LEFT to RIGHT, y from BOTTOM (zero) up to TOP.
const LEFT: i64 = 80;
const RIGHT: i64 = 610;
const TOP: i64 = 30;
const BOTTOM: i64 = 250;

/// One month of outcome with its place on the chart.
#[derive(Debug, Clone)]
pub struct MonthPoint {
    pub month: NaiveDate,
    pub amount: Money,
    pub cumulative: Money,
    pub x: i64,
    pub y: i64,
}

impl MonthPoint {
    /// "2024-03", as the ledger names a month.
    pub fn label(&self) -> String {
        self.month.format("%Y-%m").to_string()
    }
}

/// A level line (the budget, the appropriation) and where it is drawn.
#[derive(Debug, Clone)]
pub struct Level {
    pub amount: Money,
    pub y: i64,
}

#[derive(Debug, Clone)]
pub struct OutcomeChart {
    pub points: Vec<MonthPoint>,
    pub budget: Level,
    pub appropriation: Option<Level>,
    /// The axis' top value.
    pub top: Money,
}

impl OutcomeChart {
    /// The months from the first with outcome to the last, each with its outcome and the sum
    /// so far; `None` when the project has no outcome yet.
    pub fn new(
        months: &[(NaiveDate, Decimal)],
        budget: Decimal,
        appropriation: Option<Decimal>,
    ) -> Option<Self> {
        let first = months.iter().position(|(_, a)| !a.is_zero())?;
        let last = months.iter().rposition(|(_, a)| !a.is_zero())?;
        let shown = &months[first..=last];
        let mut sum = Decimal::ZERO;
        let cumulative: Vec<Decimal> = shown
            .iter()
            .map(|(_, a)| {
                sum += a;
                sum
            })
            .collect();
        let highest = cumulative
            .iter()
            .copied()
            .chain([budget, appropriation.unwrap_or_default()])
            .max()
            .unwrap_or_default();
        let top = nice_top(highest);
        let span = i64::try_from(shown.len().saturating_sub(1))
            .unwrap_or(1)
            .max(1);
        let points = shown
            .iter()
            .zip(&cumulative)
            .enumerate()
            .map(|(i, ((month, amount), total))| MonthPoint {
                month: *month,
                amount: Money::from_stored(*amount),
                cumulative: Money::from_stored(*total),
                x: LEFT + i64::try_from(i).unwrap_or(0) * (RIGHT - LEFT) / span,
                y: height(*total, top),
            })
            .collect();
        Some(Self {
            points,
            budget: Level {
                amount: Money::from_stored(budget),
                y: height(budget, top),
            },
            appropriation: appropriation.filter(|a| *a != budget).map(|a| Level {
                amount: Money::from_stored(a),
                y: height(a, top),
            }),
            top: Money::from_stored(top),
        })
    }

    /// The cumulative outcome as a stepless line through the months.
    pub fn polyline(&self) -> String {
        self.points
            .iter()
            .map(|p| format!("{},{}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn first(&self) -> &MonthPoint {
        &self.points[0]
    }

    pub fn last(&self) -> &MonthPoint {
        &self.points[self.points.len() - 1]
    }

    /// Whether the outcome so far has passed the budget.
    pub fn over_budget(&self) -> bool {
        self.last().cumulative > self.budget.amount
    }
}

/// The y of `value` on an axis from 0 (BOTTOM) to `top` (TOP); below zero stays on the axis.
fn height(value: Decimal, top: Decimal) -> i64 {
    BOTTOM - share(value, top, BOTTOM - TOP)
}

/// The project's outcome per month, every month of every year with outcome.
pub async fn months(
    conn: &mut PgConnection,
    project: Uuid,
) -> Result<Vec<(NaiveDate, Decimal)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT month, amount FROM project_month_outcome WHERE project_id = $1 ORDER BY month",
        project
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.month, r.amount)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn month(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    #[test]
    fn the_outcome_adds_up_from_its_first_month_to_its_last() {
        let months = [
            (month(2023, 1), d(0)),
            (month(2023, 2), d(100000)),
            (month(2023, 3), d(0)),
            (month(2023, 4), d(250000)),
            (month(2023, 5), d(0)),
        ];
        let chart = OutcomeChart::new(&months, d(400000), Some(d(500000))).unwrap();
        let totals: Vec<String> = chart
            .points
            .iter()
            .map(|p| p.cumulative.format_kr().replace('\u{a0}', " "))
            .collect();
        assert_eq!(totals, ["100 000", "100 000", "350 000"]);
        assert_eq!(chart.first().label(), "2023-02");
        assert_eq!(chart.last().label(), "2023-04");
        // The axis tops at 500 000: the appropriation is the highest figure.
        assert_eq!(chart.top.format_kr().replace('\u{a0}', " "), "500 000");
        assert_eq!(chart.appropriation.as_ref().unwrap().y, TOP);
        // 400 000 of 500 000 is four fifths of the height.
        assert_eq!(chart.budget.y, BOTTOM - (BOTTOM - TOP) * 4 / 5);
        assert_eq!(chart.points[0].x, LEFT);
        assert_eq!(chart.last().x, RIGHT);
        assert!(!chart.over_budget());
    }

    #[test]
    fn no_outcome_no_chart_and_a_credit_stays_on_the_axis() {
        assert!(OutcomeChart::new(&[(month(2024, 1), d(0))], d(1), None).is_none());
        let chart = OutcomeChart::new(&[(month(2024, 1), d(-5000))], d(10000), None).unwrap();
        assert_eq!(chart.points[0].y, BOTTOM);
        assert!(chart.appropriation.is_none());
    }
}
