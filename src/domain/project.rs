//! Investment projects: the case number, the portfolio plans, the status and which status may
//! follow which, and the cost-allocation key between municipalities.

use std::fmt;

use rust_decimal::Decimal;

/// A diarienummer such as `KS 2020-339`: the register's letters, the year, the serial number.
/// An en dash (`KS 2020–339`, as typed in Word) is read as a hyphen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseNumber(String);

impl CaseNumber {
    pub fn parse(input: &str) -> Result<Self, String> {
        let refuse = || {
            format!(
                "”{}” är inget diarienummer. Skriv registrets bokstäver, år och löpnummer, till exempel KS 2020-339.",
                input.trim()
            )
        };
        let text = input.trim().replace(['–', '—'], "-");
        let (register, rest) = text.split_once(' ').ok_or_else(refuse)?;
        let (year, serial) = rest.trim().split_once('-').ok_or_else(refuse)?;
        let register_ok = (1..=6).contains(&register.chars().count())
            && register
                .chars()
                .all(|c| c.is_alphabetic() && c.is_uppercase());
        let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        let serial_ok =
            (1..=6).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_digit());
        if register_ok && year_ok && serial_ok {
            Ok(CaseNumber(format!("{register} {year}-{serial}")))
        } else {
            Err(refuse())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::coded_enum! {
    /// The four plans of the digitalisation portfolio (seed 002).
    pub enum Plan {
        Digitalisation = ("digitalisation", "Digitaliseringsplan"),
        BusinessSystems = ("business_systems", "Förvaltningsplan – Verksamhetssystem"),
        ServiceCatalogue = ("service_catalogue", "Förvaltningsplan – IT-centers tjänstekatalog"),
        Infrastructure = ("infrastructure", "Förvaltningsplan – IT-infrastruktur och IT-säkerhet"),
    }
}

impl Plan {
    /// The name without "Förvaltningsplan –", for narrow columns such as the ranking board's.
    pub fn short_label(self) -> &'static str {
        match self {
            Plan::Digitalisation => "Digitalisering",
            Plan::BusinessSystems => "Verksamhetssystem",
            Plan::ServiceCatalogue => "Tjänstekatalog",
            Plan::Infrastructure => "Infrastruktur och säkerhet",
        }
    }
}

crate::coded_enum! {
    /// Where a project is in its life.
    pub enum Status {
        Idea = ("idea", "Idé"),
        PreStudy = ("pre_study", "Förstudie"),
        Decided = ("decided", "Beslutat"),
        InProgress = ("in_progress", "Pågår"),
        Completed = ("completed", "Avslutat"),
        FinalReportApproved = ("final_report_approved", "Slutredovisning godkänd"),
        Cancelled = ("cancelled", "Avbrutet"),
    }
}

impl Status {
    /// The statuses a person may move a project to from this one: one step forward, one step
    /// back to correct a mistake, or cancelled while it is open. "Slutredovisning godkänd" is
    /// never among them: only recording the committee's decision on the final report sets it
    /// (`final_report`), so that the decision and its completeness checks cannot be skipped.
    pub fn next(self) -> Vec<Status> {
        use Status::*;
        let order = [Idea, PreStudy, Decided, InProgress, Completed];
        if self == FinalReportApproved {
            return vec![];
        }
        let Some(i) = order.iter().position(|s| *s == self) else {
            // A cancelled project can be reopened as an idea, nothing else.
            return vec![Idea];
        };
        let mut next = Vec::new();
        if let Some(forward) = order.get(i + 1) {
            next.push(*forward);
        }
        if i > 0 {
            next.push(order[i - 1]);
        }
        if self < Completed {
            next.push(Cancelled);
        }
        next
    }

    pub fn may_become(self, to: Status) -> bool {
        self.next().contains(&to)
    }

    /// A person's change of this status to `to`: one of [`Status::next`], or why not. No manual
    /// change reaches "Slutredovisning godkänd", which belongs to the final report's decision.
    pub fn change_to(self, to: Status) -> Result<Status, String> {
        if self == to {
            Err(format!(
                "Projektet har redan status ”{}”. Välj den status det ska få.",
                self.label()
            ))
        } else if self.may_become(to) {
            Ok(to)
        } else {
            Err(format!(
                "Ett projekt med status ”{}” kan inte få status ”{}”.",
                self.label(),
                to.label()
            ))
        }
    }
}

/// The cost-allocation key: each municipality's share in percent (two decimals), adding up to
/// exactly 100.
pub fn check_allocation(shares: &[Decimal]) -> Result<(), String> {
    if shares.is_empty() {
        return Err("Välj minst en kommun som projektet gäller.".to_owned());
    }
    if shares
        .iter()
        .any(|s| *s <= Decimal::ZERO || *s > Decimal::ONE_HUNDRED)
    {
        return Err("Varje kommuns andel ska vara större än 0 och högst 100 %.".to_owned());
    }
    let total: Decimal = shares.iter().sum();
    if total == Decimal::ONE_HUNDRED {
        Ok(())
    } else {
        Err(format!(
            "Fördelningsnyckeln summerar till {} %, den ska bli 100 %.",
            crate::domain::number::format_quantity(total)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers() {
        assert_eq!(
            CaseNumber::parse("KS 2020-339").unwrap().as_str(),
            "KS 2020-339"
        );
        assert_eq!(
            CaseNumber::parse(" KS 2020–339 ").unwrap().as_str(),
            "KS 2020-339"
        );
        assert_eq!(
            CaseNumber::parse("GSN 2022-17").unwrap().as_str(),
            "GSN 2022-17"
        );
        assert_eq!(
            CaseNumber::parse("BSN 2021-0005").unwrap().as_str(),
            "BSN 2021-0005"
        );
        for bad in [
            "",
            "KS",
            "KS2020-339",
            "ks 2020-339",
            "KS 20-339",
            "KS 2020-",
            "KS 2020-33a",
        ] {
            assert!(CaseNumber::parse(bad).is_err(), "{bad:?}");
        }
        assert!(CaseNumber::parse("x").unwrap_err().contains("”x”"));
    }

    #[test]
    fn status_moves_one_step_or_cancels() {
        assert!(Status::Idea.may_become(Status::PreStudy));
        assert!(!Status::Idea.may_become(Status::Completed));
        assert!(Status::InProgress.may_become(Status::Cancelled));
        assert!(Status::Completed.may_become(Status::InProgress));
        assert!(!Status::Completed.may_become(Status::Cancelled));
        assert_eq!(Status::Completed.next(), vec![Status::InProgress]);
        for s in Status::ALL {
            assert!(!s.may_become(Status::FinalReportApproved), "{s:?}");
        }
        assert_eq!(Status::FinalReportApproved.next(), Vec::<Status>::new());
        assert_eq!(Status::Cancelled.next(), vec![Status::Idea]);
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert!(!s.may_become(s));
        }
    }

    #[test]
    fn allocation_adds_up_to_100() {
        let pct = |v: &[i64]| v.iter().map(|v| Decimal::from(*v)).collect::<Vec<_>>();
        assert!(check_allocation(&pct(&[100])).is_ok());
        assert!(check_allocation(&pct(&[60, 40])).is_ok());
        assert_eq!(
            check_allocation(&pct(&[60, 30])).unwrap_err(),
            "Fördelningsnyckeln summerar till 90 %, den ska bli 100 %."
        );
        assert!(check_allocation(&pct(&[100, 0])).is_err());
        assert!(check_allocation(&[]).is_err());
        let thirds = [
            Decimal::new(3333, 2),
            Decimal::new(3333, 2),
            Decimal::new(3334, 2),
        ];
        assert!(check_allocation(&thirds).is_ok());
    }
}
