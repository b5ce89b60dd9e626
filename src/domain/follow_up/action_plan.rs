//! The action plan (handlingsplan, bilaga 2 of seed 002): measures for an economy in balance,
//! numbered 1.1 … 4.3 in four groups, with their economic effect in mnkr with two decimals, a
//! subtotal per group (Delsumma) and TOTALT. A measure counts in the final full-year forecast
//! only when the head of administration has approved it and the controller includes it.

use chrono::NaiveDate;

use crate::domain::money::Money;

/// The plan's groups, numbered 1 to 4 as in the seed's template.
pub const GROUPS: u8 = 4;

crate::coded_enum! {
    /// Who decided the measure ("Förvaltning eller nämnd?").
    pub enum DecidedBy {
        Administration = ("administration", "Förvaltning"),
        Board = ("board", "Nämnd"),
    }
}

crate::coded_enum! {
    /// "Är åtgärden planerad el påbörjad?"
    pub enum Stage {
        Planned = ("planned", "Planerad"),
        Started = ("started", "Påbörjad"),
    }
}

/// One measure of the plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Measure {
    /// 1 to [`GROUPS`].
    pub group: u8,
    /// The place within its group: 1 for "1.1".
    pub number: u8,
    pub activity: String,
    pub description: String,
    pub goal: String,
    pub decided_by: Option<DecidedBy>,
    pub decided_on: Option<NaiveDate>,
    pub stage: Option<Stage>,
    pub go_live: Option<NaiveDate>,
    /// Economic effect for the period.
    pub effect_period: Money,
    /// Economic effect on the full year.
    pub effect_forecast: Money,
    /// The controller wants it in the final forecast.
    pub in_forecast: bool,
    /// Approved by the head of administration (förvaltningschef).
    pub approved: bool,
}

impl Measure {
    /// "1.1".
    pub fn reference(&self) -> String {
        format!("{}.{}", self.group, self.number)
    }

    /// The amount that counts in the final full-year forecast: the full-year effect of an
    /// included measure once approved, else nothing.
    pub fn counted(&self) -> Money {
        if self.in_forecast && self.approved {
            self.effect_forecast
        } else {
            Money::ZERO
        }
    }

    /// "Ja"/"Nej" in the column "Ingår i slutlig helårsprognos?".
    pub fn counted_label(&self) -> &'static str {
        if self.in_forecast && self.approved {
            "Ja"
        } else {
            "Nej"
        }
    }
}

/// The three sums of a group or of the whole plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub period: Money,
    pub forecast: Money,
    pub counted: Money,
}

impl Sums {
    fn add(&mut self, m: &Measure) {
        self.period = self.period + m.effect_period;
        self.forecast = self.forecast + m.effect_forecast;
        self.counted = self.counted + m.counted();
    }
}

/// One group of the plan with its measures in order and its subtotal.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub number: u8,
    pub measures: Vec<&'a Measure>,
    pub subtotal: Sums,
}

/// The plan as the report lays it out: always four groups (empty ones too, as the template
/// does), each with its subtotal, and the total. An empty plan is valid: "Inga åtgärder".
pub fn layout(measures: &[Measure]) -> (Vec<Group<'_>>, Sums) {
    let mut total = Sums::default();
    let groups = (1..=GROUPS)
        .map(|number| {
            let mut in_group: Vec<&Measure> =
                measures.iter().filter(|m| m.group == number).collect();
            in_group.sort_by_key(|m| m.number);
            let mut subtotal = Sums::default();
            for m in &in_group {
                subtotal.add(m);
                total.add(m);
            }
            Group {
                number,
                measures: in_group,
                subtotal,
            }
        })
        .collect();
    (groups, total)
}

/// The sum the final full-year forecast may include from the plan.
pub fn counted_in_forecast(measures: &[Measure]) -> Money {
    measures.iter().map(Measure::counted).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(
        group: u8,
        number: u8,
        period: i64,
        forecast: i64,
        in_forecast: bool,
        approved: bool,
    ) -> Measure {
        Measure {
            group,
            number,
            activity: "IT-center".into(),
            description: "Åtgärd".into(),
            goal: String::new(),
            decided_by: Some(DecidedBy::Administration),
            decided_on: None,
            stage: Some(Stage::Planned),
            go_live: None,
            effect_period: Money::kr(period),
            effect_forecast: Money::kr(forecast),
            in_forecast,
            approved,
        }
    }

    #[test]
    fn only_approved_and_included_measures_count_in_the_forecast() {
        let plan = [
            measure(1, 2, 100_000, 400_000, true, true),
            measure(1, 1, 50_000, 250_000, true, false),
            measure(3, 1, 0, 120_000, false, true),
        ];
        let (groups, total) = layout(&plan);
        assert_eq!(groups.len(), 4);
        assert_eq!(
            groups[0]
                .measures
                .iter()
                .map(|m| m.reference())
                .collect::<Vec<_>>(),
            ["1.1", "1.2"]
        );
        assert_eq!(
            groups[0].subtotal,
            Sums {
                period: Money::kr(150_000),
                forecast: Money::kr(650_000),
                counted: Money::kr(400_000)
            }
        );
        assert!(groups[1].measures.is_empty());
        assert_eq!(groups[1].subtotal, Sums::default());
        assert_eq!(total.counted, Money::kr(400_000));
        assert_eq!(total.forecast, Money::kr(770_000));
        assert_eq!(counted_in_forecast(&plan), Money::kr(400_000));
        assert_eq!(plan[1].counted_label(), "Nej");
        assert_eq!(Money::kr(400_000).format_mnkr_cents(), "0,40");
    }

    #[test]
    fn an_empty_plan_has_four_empty_groups_and_zero_sums() {
        let (groups, total) = layout(&[]);
        assert_eq!(groups.len(), 4);
        assert_eq!(total.counted.format_mnkr_cents(), "0,00");
    }
}
