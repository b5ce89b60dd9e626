//! The start page handler and its panels.

use askama::Template;
use axum::{extract::State, response::Html};

use crate::{
    auditor_checks::{checks::Outcome, handlers::CheckQuery},
    benefits::overdue::Overdue,
    domain::{follow_up::status_label, project::Status, role::Role},
    follow_up::{page::OccasionStatus, policy},
    home::desks::{self, Desks},
    paths,
    portfolio::{
        reviews::{
            policy::speaks_for,
            repo::{self as review_repo, ReviewStatus},
        },
        rounds::repo::{self as round_repo, Round},
    },
    web::{AppError, AppState, Chrome, CurrentUser},
};

/// A panel on the start page: a heading, what it is about, and where to go for it.
pub struct Panel {
    pub heading: &'static str,
    pub text: &'static str,
    /// (href, label), each href built by `paths`.
    pub links: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "home/start.html")]
struct StartView {
    chrome: Chrome,
    panels: Vec<Panel>,
    /// The round not yet decided, for those who take part in it.
    open_round: Option<Round>,
    /// Review links of a strategy-group member: (municipality id, name, submitted).
    reviews: Vec<ReviewStatus>,
    /// The next follow-up occasion with each board's status, for those who follow them.
    follow_up: Option<OccasionStatus>,
    /// Overdue benefit follow-ups: an owner's own, or everyone's for controllers and auditors.
    overdue: Option<Overdue>,
    /// An auditor's six checks.
    checks: Vec<Outcome>,
    /// The checks' links: every municipality, this year.
    check_query: CheckQuery,
    /// What needs each of the reader's roles now.
    desks: Desks,
    user: CurrentUser,
}

impl StartView {
    fn follow_up_status(
        &self,
        status: &Option<crate::domain::follow_up::FollowUpStatus>,
    ) -> &'static str {
        status_label(*status)
    }

    fn runs_round(&self) -> bool {
        self.user.has_role(Role::ItCenter) || self.user.has_role(Role::CoordinationGroup)
    }
}

pub async fn show_start(
    State(state): State<AppState>,
    chrome: Chrome,
    user: CurrentUser,
) -> Result<Html<String>, AppError> {
    let panels = user.roles().into_iter().flat_map(panels_for).collect();
    let mut conn = state.db.acquire().await?;
    let takes_part = [Role::ItCenter, Role::CoordinationGroup, Role::StrategyGroup]
        .iter()
        .any(|r| user.has_role(*r));
    let open_round = if takes_part {
        round_repo::open(&mut conn).await?
    } else {
        None
    };
    let reviews = match &open_round {
        Some(round) if user.has_role(Role::StrategyGroup) => {
            review_repo::statuses(&mut conn, round.id)
                .await?
                .into_iter()
                .filter(|r| speaks_for(&user, r.municipality_id))
                .collect()
        }
        _ => Vec::new(),
    };
    let follow_up = if policy::READERS.allows(Some(&user)) {
        OccasionStatus::next(&mut conn, &user).await?
    } else {
        None
    };
    let overdue = crate::benefits::overdue::for_start(&mut conn, &user).await?;
    let checks = crate::auditor_checks::checks::for_start(&mut conn, &user).await?;
    let desks = desks::load(&mut conn, &user, open_round.as_ref()).await?;
    Ok(Html(
        StartView {
            chrome,
            panels,
            open_round,
            reviews,
            follow_up,
            overdue,
            checks,
            check_query: CheckQuery::default(),
            desks,
            user,
        }
        .render()?,
    ))
}

/// What each role's start page holds: each panel says what it is for and leads there.
fn panels_for(role: Role) -> Vec<Panel> {
    let linked = |heading, text, links| Panel {
        heading,
        text,
        links,
    };
    match role {
        Role::Admin => vec![
            linked(
                "Användare och roller",
                "Skapa konton, ge roller och koppla dem till kommuner och nämnder.",
                vec![
                    (paths::users(), "Användare"),
                    (paths::new_user(), "Nytt konto"),
                ],
            ),
            linked(
                "Kommuner och prioritering",
                "Kommunernas timkostnad i nyttokalkylerna, och prioriteringsmodellerna som omgångarna värderar objekten med.",
                vec![
                    (paths::municipalities(), "Kommuner"),
                    (paths::scoring_models(), "Prioriteringsmodeller"),
                ],
            ),
            linked(
                "Revisionslogg",
                "Alla ändringar av användare, siffror och beslut, och på begäran inloggningarna.",
                vec![(paths::audit_log(), "Revisionsloggen")],
            ),
            linked(
                "Uppföljningstillfällen",
                "Årets tillfällen för nämndernas uppföljning av driftkostnader och investeringar: nummer, period och sista dag.",
                vec![(paths::follow_up_occasions(), "Uppföljningstillfällen")],
            ),
        ],
        Role::ItCenter => vec![
            linked(
                "Investeringsprojekt",
                "Registrera projekt, effektmål och mätningar, och för projekten genom sina statusar.",
                vec![
                    (paths::projects(), "Alla projekt"),
                    (paths::new_project(), "Nytt projekt"),
                    (paths::smart_goals(), "Effektmål och SMART-kontroll"),
                ],
            ),
            linked(
                "Digitaliseringsportföljen",
                "Sammanställ portföljens fyra planer med komplexitet, insats, kostnad och verksamhetens nyttovärdering, och skapa kvartalets prioriteringsomgång.",
                vec![
                    (paths::items(), "Portföljen"),
                    (paths::new_item(), "Nytt objekt"),
                    (paths::item_import(), "Importera objekt"),
                    (paths::rounds(), "Prioriteringsomgångar"),
                ],
            ),
        ],
        Role::Controller => vec![
            linked(
                "Budget och utfall",
                "Budget, utfall per månad och beslutade anslag förs in på respektive projekt under fliken Budget och utfall.",
                vec![
                    (
                        format!("{}?status={}", paths::projects(), Status::InProgress.code()),
                        "Pågående projekt",
                    ),
                    (paths::projects(), "Alla projekt"),
                ],
            ),
            linked(
                "Utfall från huvudboken",
                "Läs in huvudbokens SIE-export: granska vad som blir projektutfall, koppla konton till budgetrader, spara som en batch och ångra vid behov.",
                vec![(paths::ledger_imports(), "Importera utfall (SIE)")],
            ),
            linked(
                "Uppföljningar",
                "Nämndernas rapportering av driftkostnader och investeringar per uppföljningstillfälle, med helårsprognos, väsentliga avvikelser och handlingsplan.",
                vec![
                    (paths::follow_ups(), "Alla uppföljningar"),
                    (paths::follow_up_occasions(), "Uppföljningstillfällen"),
                ],
            ),
        ],
        Role::StrategyGroup => vec![linked(
            "Beredning för din kommun",
            "Kommentera portföljobjekten som rör din kommun, rekommendera en ordning och markera det ni inte kan vara utan.",
            vec![(paths::items(), "Portföljobjekt som rör din kommun")],
        )],
        Role::CoordinationGroup => vec![linked(
            "Kvartalets prioritering",
            "Rangordna portföljen med strategigruppernas rekommendationer sida vid sida, ta hjälp av förslaget inom ramarna och besluta omgången.",
            vec![
                (paths::rounds(), "Prioriteringsomgångar"),
                (paths::items(), "Portföljen"),
            ],
        )],
        Role::Secretary => vec![linked(
            "Beslutsunderlag till nämnden",
            "Slutredovisningar för dina nämnder per sammanträde och status, och underlaget till ett sammanträde som en ZIP-fil.",
            vec![(paths::final_reports(), "Slutredovisningar per sammanträde")],
        )],
        Role::HeadOfAdministration => vec![linked(
            "Handlingsplaner",
            "Godkänn åtgärderna i handlingsplanen för dina nämnder. En åtgärd räknas i den slutliga helårsprognosen först när du har godkänt den.",
            vec![(paths::follow_ups(), "Uppföljningar för dina nämnder")],
        )],
        Role::Auditor => vec![
            linked(
                "Läsbehörighet",
                "Du läser projekt, portfölj, beslutade omgångar, uppföljningar och nyttor, men ändrar ingenting.",
                vec![
                    (paths::projects(), "Projekt"),
                    (paths::rounds(), "Prioriteringsomgångar"),
                ],
            ),
            linked(
                "Måluppfyllelse",
                "Effektmål som inte är SMART, mål som inget projekt bidrar till och projekt utan koppling till mål.",
                vec![
                    (paths::smart_goals(), "Effektmål och SMART-kontroll"),
                    (paths::council_goals(), "Fullmäktiges mål"),
                ],
            ),
            linked(
                "Revisionslogg",
                "Alla ändringar, filtrerade på period, person, projekt eller objekt, och till Excel.",
                vec![(paths::audit_log(), "Revisionsloggen")],
            ),
        ],
    }
}
