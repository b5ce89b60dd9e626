//! A benefit calculation's Excel export recomputes in a real spreadsheet: LibreOffice opens the
//! workbook without the model's cached results, calculates every formula itself, and the key
//! figures are the model's (`domain::benefit`); opened as exported, with LibreOffice's default
//! of trusting an Excel file's results, it shows the same.

use portfolj::domain::benefit::{Costs, Inputs, Kind, Line, Scenario};
use rust_decimal::Decimal;

use portfolj::benefits::xlsx::Cached;

use crate::support::documents::{libreoffice_convert, libreoffice_recalculated};

fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

fn calculation(rate: &str, start: u32) -> Inputs {
    let line = |stakeholder, description: &str, kind| Line {
        stakeholder,
        description: description.into(),
        kind,
    };
    Inputs {
        stakeholders: vec!["Invånare".into(), "Socialförvaltningen".into()],
        lines: vec![
            line(
                1,
                "Färre licenser",
                Kind::Financial {
                    per_year: d("45000"),
                },
            ),
            line(
                0,
                "Kortare väntan",
                Kind::Redistributable {
                    hours_per_year: d("320.5"),
                },
            ),
            line(
                0,
                "Tryggare beslut",
                Kind::Qualitative {
                    rating: 3,
                    reason: "Färre manuella steg".into(),
                },
            ),
        ],
        costs: Costs {
            investment: d("250000"),
            running_per_year: d("18500.50"),
            internal_hours: d("150"),
        },
        horizon: 7,
        discount_rate: d(rate),
        start,
        hourly_cost: d("512.25"),
    }
}

/// The value next to `label` in column A of the sheet converted to CSV with raw values (a
/// label with a comma is quoted).
fn figure(csv: &str, label: &str) -> String {
    csv.lines()
        .find_map(|l| {
            let rest = l
                .strip_prefix(&format!("\"{label}\","))
                .or_else(|| l.strip_prefix(&format!("{label},")))?;
            let value = rest.strip_prefix('"').map_or_else(
                || rest.split(',').next().unwrap_or_default(),
                |quoted| quoted.split('"').next().unwrap_or_default(),
            );
            Some(value.to_owned())
        })
        .unwrap_or_else(|| panic!("no {label} in {csv}"))
}

/// The key figures LibreOffice shows for the workbook: recalculating every formula, or as
/// exported (with the model's results cached).
async fn shown(inputs: &Inputs, cached: Cached) -> String {
    let bytes = portfolj::benefits::xlsx::write("Nyttokalkyl", inputs, cached).expect("a workbook");
    // Raw values, not as shown: token 9 of the CSV filter's options.
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false";
    let csv = tokio::task::spawn_blocking(move || match cached {
        Cached::Nothing => libreoffice_recalculated(&bytes, "kalkyl.xlsx", filter, "csv"),
        Cached::ModelResults => libreoffice_convert(&bytes, "kalkyl.xlsx", filter, "csv"),
    })
    .await
    .expect("LibreOffice");
    String::from_utf8(csv).expect("UTF-8")
}

#[tokio::test]
async fn the_excel_export_recomputes_to_the_models_figures() {
    for (rate, start, cached) in [
        ("0.035", 2, Cached::Nothing),
        ("0.08", 1, Cached::Nothing),
        ("0", 4, Cached::Nothing),
        ("0.035", 2, Cached::ModelResults),
    ] {
        let inputs = calculation(rate, start);
        let expected = inputs.evaluate(Scenario::Base);
        let csv = shown(&inputs, cached).await;
        let kr = |label: &str| -> Decimal {
            figure(&csv, label)
                .parse::<Decimal>()
                .unwrap_or_else(|_| panic!("{label} is no number in {csv}"))
                .round_dp(2)
        };
        let case = format!("{rate} from year {start}, {cached:?}");
        assert_eq!(
            kr("Nettonuvärde, kr"),
            expected.net_present_value().round_dp(2),
            "{case}"
        );
        assert_eq!(
            kr("Nuvärde av nyttor, kr"),
            expected.present_benefit.round_dp(2)
        );
        assert_eq!(
            kr("Nuvärde av kostnader, kr"),
            expected.present_cost.round_dp(2)
        );
        assert_eq!(
            Some(kr("Nytta/kostnad")),
            expected.benefit_cost_ratio().map(|r| r.round_dp(2))
        );
        let payback = figure(&csv, "Återbetalningsår");
        assert_eq!(
            payback,
            expected
                .payback_year
                .map_or("ingen inom kalkylperioden".to_owned(), |y| y.to_string()),
            "{case}"
        );
    }
}
