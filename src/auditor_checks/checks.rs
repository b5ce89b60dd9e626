//! The auditors' six checks (seed 004's findings and seed 001's recommendation), each a count
//! with the rows behind it: the page, its drill-down and the Excel export show the same rows.

use chrono::Datelike;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    auditor_checks::repo::{self, Named},
    benefits::{overdue, register::repo as register},
    domain::{
        benefit::register::smart_flags as benefit_flags,
        effect_goal::{SmartFlag, smart_flags},
        follow_up::{format_percent, implementation_rate},
        fund::{format_share, share},
        money::Money,
    },
    fund::repo as fund_repo,
    goals::repo as goals_repo,
    paths,
    web::format,
};

crate::coded_enum! {
    /// The checks, in the order the auditors' start page shows them; the code is the slug of
    /// the drill-down's address.
    pub enum Check {
        GoalLinkage = ("malkoppling", "Koppling till fullmäktiges mål"),
        Smart = ("smart", "SMART-test av effektmål och nyttor"),
        FollowUp = ("uppfoljning", "Uppföljning av projekt, bidrag och nyttor"),
        FundGrowth = ("fonden", "Fondens tillväxt mot uppföljningen"),
        ImplementationRate = ("genomforandegrad", "Genomförandegrad per nämnd och år"),
        BoardActivity = ("aktivitet", "Nämnder utan digitaliseringsaktivitet eller handlingsplan"),
    }
}

impl Check {
    /// What the check asks, in the auditors' words.
    pub fn question(self) -> &'static str {
        match self {
            Check::GoalLinkage => {
                "Mål utan projekt eller bidrag, projekt och bidrag utan mål, och fondens inriktningar som inget mål stödjer."
            }
            Check::Smart => "Effektmål och nyttor som inte klarar SMART-testet, med skälen.",
            Check::FollowUp => {
                "Avslutade projekt utan uppföljning på tolv månader, beviljade bidrag utan uppföljning och försenade nyttor."
            }
            Check::FundGrowth => {
                "Per år: fondens storlek, andelen uppföljda bidrag och andelen beviljade medel med realiserad nytta. Räknar år där inte alla bidrag följts upp."
            }
            Check::ImplementationRate => {
                "Investeringarnas utfall mot anslag per nämnd och år, som i periodens uppföljning. Räknar år under 100 %."
            }
            Check::BoardActivity => {
                "Nämnder som under året varken har ett pågående projekt eller åtgärder i en handlingsplan."
            }
        }
    }
}

/// One row behind a check: its cells in the order of the headers, and where it leads.
#[derive(Debug, Clone)]
pub struct Row {
    pub cells: Vec<String>,
    pub href: String,
}

/// A check's count and its rows.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub check: Check,
    pub count: usize,
    pub headers: &'static [&'static str],
    pub rows: Vec<Row>,
}

/// Where the checks look: one municipality or all, and the year of the board check.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub municipality: Option<Uuid>,
    pub year: i32,
}

fn named(kind: &str, reason: &str, list: Vec<Named>, href: fn(Uuid) -> String) -> Vec<Row> {
    list.into_iter()
        .map(|n| Row {
            cells: vec![kind.to_owned(), n.municipality, n.name, reason.to_owned()],
            href: href(n.id),
        })
        .collect()
}

fn reasons(flags: &[SmartFlag]) -> String {
    flags
        .iter()
        .map(|f| f.reason())
        .collect::<Vec<_>>()
        .join(" ")
}

fn kr(value: rust_decimal::Decimal) -> String {
    Money::from_stored(value).format_kr()
}

/// Runs `check` in `scope`.
pub async fn run(
    conn: &mut PgConnection,
    check: Check,
    scope: Scope,
) -> Result<Outcome, sqlx::Error> {
    let m = scope.municipality;
    let visible = m.map(|id| vec![id]);
    let today = format::today();
    let (headers, rows, count): (&'static [&'static str], Vec<Row>, Option<usize>) = match check {
        Check::GoalLinkage => {
            let mut rows = named(
                "Fullmäktiges mål",
                "Inget projekt eller beviljat bidrag",
                repo::goals_without_work(conn, m).await?,
                |_| paths::council_goals(),
            );
            rows.extend(named(
                "Projekt",
                "Inget av fullmäktiges mål",
                repo::projects_without_goal(conn, m).await?,
                paths::project,
            ));
            rows.extend(named(
                "Bidrag ur fonden",
                "Inget av fullmäktiges mål",
                repo::grants_without_goal(conn, m).await?,
                paths::fund_application,
            ));
            rows.extend(named(
                "Fondens inriktning",
                "Inget av fullmäktiges mål stödjer den",
                repo::directions_without_goal(conn, m).await?,
                paths::fund,
            ));
            (&["Slag", "Kommun", "Namn", "Brist"], rows, None)
        }
        Check::Smart => {
            let mut rows = Vec::new();
            for g in goals_repo::all_goals(conn, visible.as_deref()).await? {
                let flags = smart_flags(&g.goal.facts(), today);
                if !flags.is_empty() {
                    rows.push(Row {
                        cells: vec![
                            "Effektmål".into(),
                            format!("{} ({})", g.project_name, g.case_number),
                            format!("{}. {}", g.goal.position, g.goal.goal),
                            reasons(&flags),
                        ],
                        href: format!(
                            "{}#mal-{}",
                            paths::project_goals(g.goal.project_id),
                            g.goal.id
                        ),
                    });
                }
            }
            // Benefits of what serves the municipality by name: an item that names none is
            // the shared portfolio's, not one municipality's finding.
            let filter = register::Filter {
                municipality: m,
                ..register::Filter::default()
            };
            for b in register::list(conn, None, &filter).await? {
                let flags = benefit_flags(&b.facts(), today);
                if !flags.is_empty() {
                    rows.push(Row {
                        cells: vec![
                            "Nytta".into(),
                            b.subject.clone(),
                            b.description.clone(),
                            reasons(&flags),
                        ],
                        href: paths::benefit(b.id),
                    });
                }
            }
            (
                &["Slag", "Projekt eller objekt", "Mål eller nytta", "Skäl"],
                rows,
                None,
            )
        }
        Check::FollowUp => {
            let mut rows: Vec<Row> = overdue::lagging_projects(conn, visible.as_deref(), today)
                .await?
                .into_iter()
                .map(|p| Row {
                    cells: vec![
                        "Avslutat projekt".into(),
                        format!("{} ({})", p.name, p.case_number),
                        match p.last_follow_up {
                            Some(l) => format!("Avslutat {}, senast uppföljt {l}", p.completed_on),
                            None => format!("Avslutat {}, aldrig uppföljt", p.completed_on),
                        },
                    ],
                    href: paths::project_goals(p.id),
                })
                .collect();
            rows.extend(
                repo::grants_without_follow_up(conn, m)
                    .await?
                    .into_iter()
                    .map(|g| Row {
                        cells: vec![
                            "Bidrag ur fonden".into(),
                            g.name,
                            format!("{}: inte uppföljt", g.municipality),
                        ],
                        href: paths::fund_application(g.id),
                    }),
            );
            rows.extend(
                overdue::overdue_benefits(conn, m, today)
                    .await?
                    .into_iter()
                    .map(|b| Row {
                        cells: vec![
                            "Nytta".into(),
                            format!("{}: {}", b.subject, b.description),
                            format!(
                                "Planerad från {}, ingen mätning",
                                b.schedule().planned_from()
                            ),
                        ],
                        href: paths::benefit(b.id),
                    }),
            );
            (&["Slag", "Namn", "Brist"], rows, None)
        }
        Check::FundGrowth => {
            let years = fund_repo::fund_years(conn, visible.as_deref()).await?;
            let short = years.iter().filter(|f| f.followed_up < f.grants).count();
            let rows = years
                .into_iter()
                .map(|f| Row {
                    href: paths::fund(f.id),
                    cells: vec![
                        f.municipality.clone(),
                        f.year.to_string(),
                        kr(f.amount),
                        kr(f.granted),
                        format!(
                            "{} av {} ({})",
                            f.followed_up,
                            f.grants,
                            format_share(share(
                                rust_decimal::Decimal::from(f.followed_up),
                                rust_decimal::Decimal::from(f.grants),
                            ))
                        ),
                        format_share(share(f.granted_realised, f.granted)),
                    ],
                })
                .collect();
            (
                &[
                    "Kommun",
                    "År",
                    "Fond, kr",
                    "Beviljat, kr",
                    "Uppföljda bidrag",
                    "Beviljade medel med realiserad nytta",
                ],
                rows,
                Some(short),
            )
        }
        Check::ImplementationRate => {
            let years = repo::board_years(conn, m).await?;
            let mut below = 0;
            let rows = years
                .into_iter()
                .map(|y| {
                    let rate = implementation_rate(
                        Money::from_stored(y.outcome),
                        Money::from_stored(y.appropriation),
                    );
                    if rate.is_some_and(|r| r < rust_decimal::Decimal::ONE_HUNDRED) {
                        below += 1;
                    }
                    Row {
                        href: paths::follow_ups(),
                        cells: vec![
                            y.board,
                            y.municipality,
                            y.year.to_string(),
                            kr(y.appropriation),
                            kr(y.outcome),
                            rate.map_or("–".into(), |_| format!("{} %", format_percent(rate))),
                        ],
                    }
                })
                .collect();
            (
                &[
                    "Nämnd",
                    "Kommun",
                    "År",
                    "Totalt anslag, kr",
                    "Utfall, kr",
                    "Genomförandegrad",
                ],
                rows,
                Some(below),
            )
        }
        Check::BoardActivity => {
            let rows = named(
                "Nämnd",
                "Inget pågående projekt och ingen handlingsplan",
                repo::boards_without_activity(conn, m, scope.year).await?,
                |_| paths::follow_ups(),
            );
            (&["Slag", "Kommun", "Nämnd", "Brist"], rows, None)
        }
    };
    Ok(Outcome {
        check,
        count: count.unwrap_or(rows.len()),
        headers,
        rows,
    })
}

/// Every check in `scope`.
pub async fn run_all(conn: &mut PgConnection, scope: Scope) -> Result<Vec<Outcome>, sqlx::Error> {
    let mut all = Vec::new();
    for check in Check::ALL {
        all.push(run(conn, check, scope).await?);
    }
    Ok(all)
}

/// The board check's default year: this one.
pub fn this_year() -> i32 {
    format::today().year()
}

/// The checks on an auditor's start page (all municipalities, this year); none for others.
pub async fn for_start(
    conn: &mut PgConnection,
    user: &crate::web::CurrentUser,
) -> Result<Vec<Outcome>, sqlx::Error> {
    if !user.has_role(crate::domain::role::Role::Auditor) {
        return Ok(Vec::new());
    }
    let scope = Scope {
        municipality: None,
        year: this_year(),
    };
    run_all(conn, scope).await
}
