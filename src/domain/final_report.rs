//! The sentences of a final report (slutredovisning) that the project's data decides, worded as
//! in Norrtälje's report (seed 000): the proposal to the committee, the budget sentence in tkr,
//! the verdict on economy, effect goals and schedule, and the count of effect goals in words.
//! Figures inside sentences keep their groups together with non-breaking spaces, as in tables.
//! Also the report's status on its way to the committee ([`ReportStatus`]) and its moves.

use chrono::NaiveDate;

use crate::domain::{budget::Totals, effect_goal::Assessment};

/// "Kommunstyrelsens arbetsutskott föreslår:" and the proposal itself, as two paragraphs. The
/// case number is quoted exactly as registered: the seed's en dash (`KS 2020–339`) is a word
/// processor's autocorrection, and a changed number is not found in the registry.
pub fn proposal(
    proposing_body: &str,
    deciding_body: &str,
    project_name: &str,
    case_number: &str,
) -> (String, String) {
    (
        format!("{proposing_body} föreslår:"),
        format!(
            "{deciding_body} godkänner slutredovisningen av investeringsprojektet \"{project_name}\", Dnr {case_number}."
        ),
    )
}

/// The budget paragraph in tkr. `explanation` continues the first sentence when a sub-entity is
/// excluded (why it withdrew, typed by the author); the rest is generated:
/// "Projektets beslutade budget var på 3 200 tkr inkl. VA-bolaget<explanation>. Budget exklusive
/// VA uppgick till 2 700 tkr. Utfallet per 2023-01-04 var 2 636 tkr med en avvikelse om 64 tkr
/// exkl. VA."
pub fn budget_sentence(
    totals: &Totals,
    excluded_name: Option<&str>,
    as_of: Option<NaiveDate>,
    explanation: &str,
) -> String {
    let as_of = as_of.map_or_else(|| "[datum saknas]".to_owned(), |d| d.to_string());
    let Some(outcome) = totals.outcome else {
        let budget = totals.budget_including.format_tkr();
        return format!(
            "Projektets beslutade budget var på {budget} tkr{explanation}. Per {as_of} fanns inget bokfört utfall."
        );
    };
    let outcome = outcome.format_tkr();
    let deviation = totals.deviation.format_tkr();
    match (&totals.budget_excluding, excluded_name) {
        (Some((excluding, short)), Some(name)) => format!(
            "Projektets beslutade budget var på {} tkr inkl. {name}{explanation}. Budget exklusive \
             {short} uppgick till {} tkr. Utfallet per {as_of} var {outcome} tkr med en avvikelse \
             om {deviation} tkr exkl. {short}.",
            totals.budget_including.format_tkr(),
            excluding.format_tkr(),
        ),
        _ => format!(
            "Projektets beslutade budget var på {} tkr{explanation}. Utfallet per {as_of} var \
             {outcome} tkr med en avvikelse om {deviation} tkr.",
            totals.budget_including.format_tkr(),
        ),
    }
}

/// How far a goal of the project was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fulfilment {
    Met,
    Partly,
    NotMet,
}

/// The three things a final report judges; `None` where the data cannot tell yet (no outcome,
/// no assessed goals, no dates), in which case the verdict leaves that part out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub economy: Option<Fulfilment>,
    pub effect_goals: Option<Fulfilment>,
    pub schedule: Option<Fulfilment>,
}

impl Verdict {
    /// Economy is met when the outcome stays within the budget compared with it; effect goals
    /// are met when all are achieved, not met when none is even partly achieved, partly met
    /// otherwise; the schedule is met when the project ended by its planned end.
    pub fn from_data(
        totals: &Totals,
        assessments: &[Option<Assessment>],
        planned_end: Option<NaiveDate>,
        actual_end: Option<NaiveDate>,
    ) -> Self {
        let economy = totals.outcome.map(|_| {
            if totals.deviation.is_negative() {
                Fulfilment::NotMet
            } else {
                Fulfilment::Met
            }
        });
        let assessed: Vec<Assessment> = assessments.iter().flatten().copied().collect();
        let judged = |a: &Assessment| *a != Assessment::NotYetAssessable;
        let effect_goals = if assessed.len() < assessments.len() || !assessed.iter().any(judged) {
            // Some goal lacks an assessment, or none can be judged yet: no verdict on goals.
            None
        } else if assessed.iter().all(|a| *a == Assessment::Achieved) {
            Some(Fulfilment::Met)
        } else if !assessed
            .iter()
            .any(|a| matches!(a, Assessment::Achieved | Assessment::PartlyAchieved))
        {
            Some(Fulfilment::NotMet)
        } else {
            Some(Fulfilment::Partly)
        };
        let schedule = match (planned_end, actual_end) {
            (Some(planned), Some(actual)) if actual <= planned => Some(Fulfilment::Met),
            (Some(_), Some(_)) => Some(Fulfilment::NotMet),
            _ => None,
        };
        Verdict {
            economy,
            effect_goals,
            schedule,
        }
    }

    /// "Projektet uppfyllde målet ekonomi, delvis effektmålen men inte tidplanen."
    pub fn sentence(&self) -> Option<String> {
        let parts = [
            ("målet ekonomi", self.economy),
            ("effektmålen", self.effect_goals),
            ("tidplanen", self.schedule),
        ];
        let with = |wanted: Fulfilment| -> Vec<&str> {
            parts
                .iter()
                .filter(|(_, f)| *f == Some(wanted))
                .map(|(name, _)| *name)
                .collect()
        };
        let (met, partly, not_met) = (
            with(Fulfilment::Met),
            with(Fulfilment::Partly),
            with(Fulfilment::NotMet),
        );
        let mut positive = join(&met, " och ");
        for part in &partly {
            if !positive.is_empty() {
                positive.push_str(", ");
            }
            positive.push_str("delvis ");
            positive.push_str(part);
        }
        let negative = join(&not_met, " eller ");
        match (positive.is_empty(), negative.is_empty()) {
            (true, true) => None,
            (false, true) => Some(format!("Projektet uppfyllde {positive}.")),
            (true, false) => Some(format!("Projektet uppfyllde inte {negative}.")),
            (false, false) => Some(format!(
                "Projektet uppfyllde {positive} men inte {negative}."
            )),
        }
    }
}

/// "a", "a och b", "a, b och c" (with `last` as the final joiner).
fn join(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., final_item] => format!("{}{last}{final_item}", init.join(", ")),
    }
}

/// A count in Swedish words for a neuter noun ("ett effektmål", "fem effektmål"); digits from
/// thirteen on, as Swedish style guides recommend for running text.
pub fn count_in_words(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva",
        "tolv",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// "Vid projektets införande sattes fem effektmål som skulle realiseras vid projektets avslut.
/// Alla de fem effektmålen har delvis uppnåtts enligt slutredovisningen."
pub fn goals_paragraph(assessments: &[Option<Assessment>]) -> String {
    let n = assessments.len();
    let words = count_in_words(n);
    let set = format!(
        "Vid projektets införande sattes {words} effektmål som skulle realiseras vid projektets avslut."
    );
    let outcome = |a: Assessment| match a {
        Assessment::Achieved => "uppnåtts",
        Assessment::PartlyAchieved => "delvis uppnåtts",
        Assessment::NotAchieved => "inte uppnåtts",
        Assessment::NotYetAssessable => "ännu inte kunnat bedömas",
    };
    let first = assessments.first().copied().flatten();
    let result = match first {
        _ if n == 0 => return "Projektet hade inga effektmål.".to_owned(),
        None if assessments.iter().all(Option::is_none) => {
            if n == 1 {
                "Effektmålet har ännu inte bedömts.".to_owned()
            } else {
                format!("Inget av de {words} effektmålen har bedömts ännu.")
            }
        }
        Some(a) if assessments.iter().all(|x| *x == Some(a)) => {
            if n == 1 {
                format!("Effektmålet har {} enligt slutredovisningen.", outcome(a))
            } else {
                format!(
                    "Alla de {words} effektmålen har {} enligt slutredovisningen.",
                    outcome(a)
                )
            }
        }
        _ => {
            let mut parts = Vec::new();
            for a in Assessment::ALL {
                let count = assessments.iter().filter(|x| **x == Some(a)).count();
                if count > 0 {
                    parts.push(format!("{} {}", count_in_words(count), outcome(a)));
                }
            }
            let unassessed = assessments.iter().filter(|x| x.is_none()).count();
            if unassessed > 0 {
                parts.push(format!("{} inte bedömts", count_in_words(unassessed)));
            }
            let text = join(
                &parts.iter().map(String::as_str).collect::<Vec<_>>(),
                " och ",
            );
            format!("Av de {words} effektmålen har {text} enligt slutredovisningen.")
        }
    };
    format!("{set} {result}")
}

crate::coded_enum! {
    /// Where a final report is on its way to the committee: a draft, ready for a meeting, or
    /// decided (then locked; later saves are corrections).
    pub enum ReportStatus {
        Draft = ("draft", "Utkast"),
        Ready = ("ready", "Klar för sammanträde"),
        Decided = ("decided", "Beslutad"),
    }
}

impl ReportStatus {
    /// The statuses a person may move a report at this one to; recording the decision only
    /// when `may_decide` (the board's secretary, see `final_report::policy`). Staying ready is
    /// allowed too (it changes the meeting date) but is not a move.
    pub fn next(self, may_decide: bool) -> Vec<ReportStatus> {
        match self {
            ReportStatus::Draft => vec![ReportStatus::Ready],
            ReportStatus::Ready if may_decide => vec![ReportStatus::Draft, ReportStatus::Decided],
            ReportStatus::Ready => vec![ReportStatus::Draft],
            ReportStatus::Decided => vec![],
        }
    }

    /// The status a report at this one gets when asked to become `to`, or why it cannot.
    pub fn move_to(self, to: ReportStatus) -> Result<ReportStatus, String> {
        use ReportStatus::*;
        match (self, to) {
            (Draft, Draft) => {
                Err("Slutredovisningen är redan ett utkast. Välj den status den ska få.".to_owned())
            }
            (Draft | Ready, Ready) | (Ready, Draft | Decided) => Ok(to),
            (from, to) => Err(from.cannot_become(to.label())),
        }
    }

    /// The refusal of a move to the status labelled `to`.
    pub fn cannot_become(self, to: &str) -> String {
        format!("En slutredovisning med status ”{self}” kan inte bli ”{to}”.")
    }

    /// A report for a meeting says which: every status but the draft has a meeting date.
    pub fn has_meeting(self) -> bool {
        self != ReportStatus::Draft
    }

    /// A decided report is locked: a save is then a correction with its reason.
    pub fn is_decided(self) -> bool {
        self == ReportStatus::Decided
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        budget::{LineFigures, SubEntity, totals},
        money::Money,
    };

    fn seed_totals() -> Totals {
        let line = |budget: i64, outcome: Option<i64>, va: bool| LineFigures {
            budget: Money::kr(budget),
            outcome: outcome.map(Money::kr),
            sub_entity: va.then(|| SubEntity {
                name: "VA-bolaget".into(),
                short_name: "VA".into(),
                excluded: true,
            }),
        };
        totals(&[
            line(700_000, Some(719_000), false),
            line(700_000, Some(504_000), false),
            line(100_000, None, false),
            line(700_000, Some(386_659), false),
            line(500_000, Some(1_026_200), false),
            line(350_000, None, true),
            line(150_000, None, true),
        ])
    }

    /// The seed's text with its ordinary spaces; ours keeps figures together with NBSP.
    fn plain(text: &str) -> String {
        text.replace('\u{a0}', " ")
    }

    #[test]
    fn seed_000_proposal() {
        let (intro, proposal) = proposal(
            "Kommunstyrelsens arbetsutskott",
            "Kommunstyrelsen",
            "Nytt beslut och ledningsstödsystem",
            "KS 2020-339",
        );
        assert_eq!(intro, "Kommunstyrelsens arbetsutskott föreslår:");
        assert_eq!(
            proposal,
            "Kommunstyrelsen godkänner slutredovisningen av investeringsprojektet \"Nytt beslut och ledningsstödsystem\", Dnr KS 2020-339."
        );
    }

    #[test]
    fn seed_000_budget_sentence() {
        let date = NaiveDate::from_ymd_opt(2023, 1, 4).unwrap();
        let text = budget_sentence(
            &seed_totals(),
            Some("VA-bolaget"),
            Some(date),
            " som vid tidpunkten skulle implementera Hypergene. VA-bolaget valde sedan att inte implementera Hypergene och således finns heller inget kostnadsutfall för detta",
        );
        assert_eq!(
            plain(&text),
            "Projektets beslutade budget var på 3 200 tkr inkl. VA-bolaget som vid tidpunkten skulle implementera Hypergene. VA-bolaget valde sedan att inte implementera Hypergene och således finns heller inget kostnadsutfall för detta. Budget exklusive VA uppgick till 2 700 tkr. Utfallet per 2023-01-04 var 2 636 tkr med en avvikelse om 64 tkr exkl. VA."
        );
        assert!(text.contains("3\u{a0}200 tkr"), "figures keep together");
    }

    #[test]
    fn seed_000_verdict_and_goals() {
        let partly = vec![Some(Assessment::PartlyAchieved); 5];
        let verdict = Verdict::from_data(
            &seed_totals(),
            &partly,
            NaiveDate::from_ymd_opt(2021, 12, 31),
            NaiveDate::from_ymd_opt(2023, 1, 4),
        );
        assert_eq!(
            verdict.sentence().unwrap(),
            "Projektet uppfyllde målet ekonomi, delvis effektmålen men inte tidplanen."
        );
        assert_eq!(
            goals_paragraph(&partly),
            "Vid projektets införande sattes fem effektmål som skulle realiseras vid projektets avslut. Alla de fem effektmålen har delvis uppnåtts enligt slutredovisningen."
        );
    }

    #[test]
    fn every_verdict_combination_reads_right() {
        use Fulfilment::*;
        let v = |economy, effect_goals, schedule| {
            Verdict {
                economy,
                effect_goals,
                schedule,
            }
            .sentence()
        };
        let cases = [
            (
                Some(Met),
                Some(Met),
                Some(Met),
                "Projektet uppfyllde målet ekonomi, effektmålen och tidplanen.",
            ),
            (
                Some(Met),
                Some(Partly),
                Some(Met),
                "Projektet uppfyllde målet ekonomi och tidplanen, delvis effektmålen.",
            ),
            (
                Some(Met),
                Some(NotMet),
                Some(Met),
                "Projektet uppfyllde målet ekonomi och tidplanen men inte effektmålen.",
            ),
            (
                Some(Met),
                Some(Met),
                Some(NotMet),
                "Projektet uppfyllde målet ekonomi och effektmålen men inte tidplanen.",
            ),
            (
                Some(Met),
                Some(Partly),
                Some(NotMet),
                "Projektet uppfyllde målet ekonomi, delvis effektmålen men inte tidplanen.",
            ),
            (
                Some(Met),
                Some(NotMet),
                Some(NotMet),
                "Projektet uppfyllde målet ekonomi men inte effektmålen eller tidplanen.",
            ),
            (
                Some(NotMet),
                Some(Met),
                Some(Met),
                "Projektet uppfyllde effektmålen och tidplanen men inte målet ekonomi.",
            ),
            (
                Some(NotMet),
                Some(Partly),
                Some(Met),
                "Projektet uppfyllde tidplanen, delvis effektmålen men inte målet ekonomi.",
            ),
            (
                Some(NotMet),
                Some(NotMet),
                Some(Met),
                "Projektet uppfyllde tidplanen men inte målet ekonomi eller effektmålen.",
            ),
            (
                Some(NotMet),
                Some(Met),
                Some(NotMet),
                "Projektet uppfyllde effektmålen men inte målet ekonomi eller tidplanen.",
            ),
            (
                Some(NotMet),
                Some(Partly),
                Some(NotMet),
                "Projektet uppfyllde delvis effektmålen men inte målet ekonomi eller tidplanen.",
            ),
            (
                Some(NotMet),
                Some(NotMet),
                Some(NotMet),
                "Projektet uppfyllde inte målet ekonomi, effektmålen eller tidplanen.",
            ),
            (Some(Met), None, None, "Projektet uppfyllde målet ekonomi."),
            (
                None,
                Some(Partly),
                None,
                "Projektet uppfyllde delvis effektmålen.",
            ),
        ];
        for (economy, goals, schedule, expected) in cases {
            assert_eq!(v(economy, goals, schedule).as_deref(), Some(expected));
        }
        assert_eq!(v(None, None, None), None);
    }

    #[test]
    fn verdict_rules() {
        let t = seed_totals();
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let all = |a| vec![Some(a); 3];
        let v = Verdict::from_data(
            &t,
            &all(Assessment::Achieved),
            date(2023, 1, 4),
            date(2023, 1, 4),
        );
        assert_eq!(
            (v.effect_goals, v.schedule),
            (Some(Fulfilment::Met), Some(Fulfilment::Met))
        );
        let v = Verdict::from_data(&t, &all(Assessment::NotAchieved), None, date(2023, 1, 4));
        assert_eq!(
            (v.effect_goals, v.schedule),
            (Some(Fulfilment::NotMet), None)
        );
        let unassessed = [Some(Assessment::Achieved), None];
        assert_eq!(
            Verdict::from_data(&t, &unassessed, None, None).effect_goals,
            None
        );
        let mixed = [
            Some(Assessment::Achieved),
            Some(Assessment::NotYetAssessable),
        ];
        assert_eq!(
            Verdict::from_data(&t, &mixed, None, None).effect_goals,
            Some(Fulfilment::Partly)
        );
    }

    #[test]
    fn goal_counts_in_words() {
        assert_eq!(count_in_words(1), "ett");
        assert_eq!(count_in_words(12), "tolv");
        assert_eq!(count_in_words(13), "13");
        let mixed = [
            Some(Assessment::Achieved),
            Some(Assessment::Achieved),
            Some(Assessment::PartlyAchieved),
            None,
        ];
        assert_eq!(
            goals_paragraph(&mixed),
            "Vid projektets införande sattes fyra effektmål som skulle realiseras vid projektets avslut. Av de fyra effektmålen har två uppnåtts, ett delvis uppnåtts och ett inte bedömts enligt slutredovisningen."
        );
        assert_eq!(
            goals_paragraph(&[Some(Assessment::Achieved)]),
            "Vid projektets införande sattes ett effektmål som skulle realiseras vid projektets avslut. Effektmålet har uppnåtts enligt slutredovisningen."
        );
    }

    #[test]
    fn a_report_moves_draft_ready_decided_and_only_a_secretary_decides() {
        use ReportStatus::*;
        assert_eq!(Draft.next(true), [Ready]);
        assert_eq!(Ready.next(false), [Draft]);
        assert_eq!(Ready.next(true), [Draft, Decided]);
        assert!(Decided.next(true).is_empty());
        for from in ReportStatus::ALL {
            for to in from.next(true) {
                assert_eq!(from.move_to(to), Ok(to), "{from:?} → {to:?}");
            }
        }
        assert_eq!(Ready.move_to(Ready), Ok(Ready));
        assert!(Draft.move_to(Draft).is_err());
        assert_eq!(
            Draft.move_to(Decided),
            Err("En slutredovisning med status ”Utkast” kan inte bli ”Beslutad”.".to_owned())
        );
        assert!(Decided.move_to(Draft).is_err());
    }
}
