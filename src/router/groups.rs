//! Who may use a route, by group of roles: the access rules the route table is written with.

use crate::{domain::role::Role, follow_up, web::Access};

/// Administrators only.
pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Those who read the audit log.
pub const AUDIT_READERS: Access = Access::Roles(&[Role::Admin, Role::Auditor]);
/// IT-center: creates and edits projects and their effect goals.
pub const IT_CENTER: Access = Access::Roles(&[Role::ItCenter]);
/// Those who write final reports; secretaries only for their own boards (checked per project).
pub const REPORT_WRITERS: Access =
    Access::Roles(&[Role::ItCenter, Role::Controller, Role::Secretary]);
/// The coordination group: ranks and decides the portfolio.
pub const COORDINATION: Access = Access::Roles(&[Role::CoordinationGroup]);
/// Strategy groups: review the portfolio for their municipality (checked per municipality).
pub const STRATEGY_GROUPS: Access = Access::Roles(&[Role::StrategyGroup]);
/// Those who read a round's working material: the suggestion and the comparison.
pub const BOARD_READERS: Access = Access::Roles(&[
    Role::Admin,
    Role::ItCenter,
    Role::CoordinationGroup,
    Role::Auditor,
]);
/// Those who read the ranking board: the readers of the working material, and strategy groups
/// once the round is decided (checked per round: `portfolio::scope::reads_board`).
pub const BOARD_VIEWERS: Access = Access::Roles(&[
    Role::Admin,
    Role::ItCenter,
    Role::CoordinationGroup,
    Role::Auditor,
    Role::StrategyGroup,
]);
/// Those who run a round: IT-center compiles it, the coordination group prioritises it.
pub const ROUND_RUNNERS: Access = Access::Roles(&[Role::ItCenter, Role::CoordinationGroup]);
/// Those who read the period follow-ups; secretaries only their own boards' (checked per board).
pub const FOLLOW_UP_READERS: Access = follow_up::policy::READERS;
/// Controllers: budget lines, outcome and the economic fields.
pub const CONTROLLERS: Access = Access::Roles(&[Role::Controller]);
/// Secretaries: record their boards' decisions (checked per board).
pub const SECRETARIES: Access = Access::Roles(&[Role::Secretary]);
/// Heads of administration: approve their boards' action-plan measures (checked per board).
pub const HEADS_OF_ADMINISTRATION: Access = Access::Roles(&[Role::HeadOfAdministration]);
/// Those who set the follow-up's occasions of a year: controllers and administrators.
pub const OCCASION_WRITERS: Access = follow_up::entry::policy::OCCASION_WRITERS;
/// Those who prepare benefit calculations: IT-center and controllers.
pub const CALCULATION_WRITERS: Access = crate::benefits::policy::WRITERS;
/// Those who may own and follow up a benefit: everyone but the auditor.
pub const BENEFIT_OWNERS: Access = crate::benefits::register::policy::OWNERS;
/// Those who keep the digitalisation fund's records: controllers and IT-center.
pub const FUND_WRITERS: Access = crate::fund::policy::WRITERS;
/// Those who define prioritisation models, and who score items on their own criteria.
pub const MODEL_WRITERS: Access = crate::portfolio::models::policy::WRITERS;
pub const ITEM_SCORERS: Access = crate::portfolio::models::policy::SCORERS;
/// Those who take part in the quarterly rounds or read them as a matter of course: the menu
/// leads them to the rounds (everyone signed in may open the list).
pub const ROUND_PARTICIPANTS: Access = Access::Roles(&[
    Role::Admin,
    Role::ItCenter,
    Role::CoordinationGroup,
    Role::StrategyGroup,
    Role::Auditor,
]);
