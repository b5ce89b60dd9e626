//! A benefit calculation as an Excel workbook whose figures are real formulas over its inputs:
//! a reader changes the discount rate or a benefit and every year, the net present value, the
//! ratio and the payback year recompute, in Excel or LibreOffice, by the same model as
//! `domain::benefit` (docs/DESIGN.md). The inputs are numbers converted from their exact decimal
//! value only here, at the file's edge. Each formula carries the model's result as its cached
//! value, so a reader whose spreadsheet does not recalculate on opening (LibreOffice's default
//! for Excel files) still sees the figures; one that recalculates gets the same.

use rust_decimal::{Decimal, prelude::ToPrimitive};
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet, XlsxError};

use crate::domain::benefit::{Inputs, Kind, Scenario};

/// Where the inputs are: the column of their values and the rows (1-based, as Excel names them).
const HORIZON: u32 = 4;
const RATE: u32 = 5;
const START: u32 = 6;
const HOURLY: u32 = 7;
const INVESTMENT: u32 = 8;
const INTERNAL_HOURS: u32 = 9;
const RUNNING: u32 = 10;
/// The first row of the benefit lines' table (its heading is the row before).
const LINES: u32 = 14;

/// The cells a result row points at: the years' table spans `first`..=`last` (1-based).
struct Years {
    first: u32,
    last: u32,
}

impl Years {
    fn range(&self, column: char) -> String {
        format!("{column}{}:{column}{}", self.first, self.last)
    }
}

fn inputs_block(sheet: &mut Worksheet, i: &Inputs, bold: &Format) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, "Nyttokalkyl", bold)?;
    sheet.write_string(
        1,
        0,
        "Ändra indata i kolumn B eller nyttornas värden: alla år och nyckeltal räknas om.",
    )?;
    let percent = Format::new().set_num_format("0.0%");
    let kr = Format::new().set_num_format("#,##0");
    let plain = Format::new();
    let rows = [
        (
            HORIZON,
            "Kalkylperiod, år",
            Decimal::from(i.horizon),
            &plain,
        ),
        (RATE, "Kalkylränta (real)", i.discount_rate, &percent),
        (
            START,
            "Nyttorna och driften börjar år",
            Decimal::from(i.start),
            &plain,
        ),
        (HOURLY, "Timkostnad, kr", i.hourly_cost, &kr),
        (INVESTMENT, "Investering år 1, kr", i.costs.investment, &kr),
        (
            INTERNAL_HOURS,
            "Interna timmar år 1",
            i.costs.internal_hours,
            &plain,
        ),
        (
            RUNNING,
            "Driftkostnad per år, kr",
            i.costs.running_per_year,
            &kr,
        ),
    ];
    for (row, label, value, format) in rows {
        sheet.write_string(row - 1, 0, label)?;
        let value = value.to_f64().unwrap_or_default();
        sheet.write_number_with_format(row - 1, 1, value, format)?;
    }
    Ok(())
}

/// The benefit lines, each with its value a year as a formula; returns the last line's row.
/// Whether the formulas carry the model's results as their cached values: they do in the
/// export; a test leaves them out to see the spreadsheet compute every figure itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cached {
    ModelResults,
    Nothing,
}

impl Cached {
    /// A formula with the model's result as its cached value (unless left out).
    fn formula(self, text: String, result: impl ToString) -> Formula {
        match self {
            Cached::ModelResults => Formula::new(text).set_result(result.to_string()),
            Cached::Nothing => Formula::new(text),
        }
    }
}

fn lines(
    sheet: &mut Worksheet,
    (i, cached): (&Inputs, Cached),
    bold: &Format,
) -> Result<u32, XlsxError> {
    let heading = [
        "Intressent",
        "Nytta",
        "Slag",
        "Kr per år",
        "Timmar per år",
        "Värde per år, kr",
        "Betyg 1–5",
        "Skäl",
    ];
    for (c, h) in heading.iter().enumerate() {
        sheet.write_string_with_format(LINES - 2, u16::try_from(c).unwrap_or(0), *h, bold)?;
    }
    let mut row = LINES;
    for line in &i.lines {
        let r = row - 1;
        let who = i
            .stakeholders
            .get(line.stakeholder)
            .map_or("", String::as_str);
        sheet.write_string(r, 0, who)?;
        sheet.write_string(r, 1, &line.description)?;
        match &line.kind {
            Kind::Financial { per_year } => {
                sheet.write_string(r, 2, "Ekonomisk")?;
                sheet.write_number(r, 3, per_year.to_f64().unwrap_or_default())?;
                sheet.write_formula(r, 5, cached.formula(format!("=D{row}"), per_year))?;
            }
            Kind::Redistributable { hours_per_year } => {
                sheet.write_string(r, 2, "Omfördelningsbar")?;
                sheet.write_number(r, 4, hours_per_year.to_f64().unwrap_or_default())?;
                let value = i.yearly_value(line);
                sheet.write_formula(r, 5, cached.formula(format!("=E{row}*$B${HOURLY}"), value))?;
            }
            Kind::Qualitative { rating, reason } => {
                sheet.write_string(r, 2, "Kvalitativ")?;
                sheet.write_number(r, 5, 0)?;
                sheet.write_number(r, 6, *rating)?;
                sheet.write_string(r, 7, reason)?;
            }
        }
        row += 1;
    }
    Ok(row.max(LINES + 1) - 1)
}

/// One row a year, every cell a formula over the inputs; returns where the table is.
fn years(
    sheet: &mut Worksheet,
    (i, cached): (&Inputs, Cached),
    last_line: u32,
    bold: &Format,
) -> Result<Years, XlsxError> {
    let heading_row = last_line + 3;
    let heading = [
        "År",
        "Nytta, kr",
        "Kostnad, kr",
        "Netto, kr",
        "Diskonteringsfaktor",
        "Nuvärde av netto, kr",
        "Ackumulerat netto, kr",
        "Återbetald år",
    ];
    for (c, h) in heading.iter().enumerate() {
        sheet.write_string_with_format(heading_row - 1, u16::try_from(c).unwrap_or(0), *h, bold)?;
    }
    let benefits = format!("$F${LINES}:$F${last_line}");
    let first = heading_row + 1;
    let base = i.evaluate(Scenario::Base);
    for y in &base.years {
        let (year, row) = (y.year, heading_row + y.year);
        let r = row - 1;
        let paid_back = if base.payback_year.is_some_and(|p| p <= year)
            && y.cumulative_net >= Decimal::ZERO
            && !y.benefit.is_zero()
        {
            year.to_string()
        } else {
            String::new()
        };
        let cells = [
            (
                format!("=IF(A{row}>=$B${START},SUM({benefits}),0)"),
                y.benefit.to_string(),
            ),
            (
                format!(
                    "=IF(A{row}=1,$B${INVESTMENT}+$B${INTERNAL_HOURS}*$B${HOURLY},0)+IF(A{row}>=$B${START},$B${RUNNING},0)"
                ),
                y.cost.to_string(),
            ),
            (format!("=B{row}-C{row}"), y.net().to_string()),
            (format!("=1/(1+$B${RATE})^(A{row}-1)"), y.factor.to_string()),
            (format!("=D{row}*E{row}"), y.present_net().to_string()),
            (
                if year == 1 {
                    format!("=D{row}")
                } else {
                    format!("=G{}+D{row}", row - 1)
                },
                y.cumulative_net.to_string(),
            ),
            (
                format!("=IF(AND(G{row}>=0,B{row}<>0),A{row},\"\")"),
                paid_back,
            ),
        ];
        sheet.write_number(r, 0, year)?;
        for (c, (text, result)) in cells.into_iter().enumerate() {
            sheet.write_formula(
                r,
                u16::try_from(c + 1).unwrap_or(0),
                cached.formula(text, result),
            )?;
        }
    }
    Ok(Years {
        first,
        last: heading_row + i.horizon,
    })
}

/// The key figures, as formulas over the years' table.
fn results(
    sheet: &mut Worksheet,
    (i, cached): (&Inputs, Cached),
    y: &Years,
    bold: &Format,
) -> Result<(), XlsxError> {
    let row = y.last + 2;
    let base = i.evaluate(Scenario::Base);
    let none = "ingen inom kalkylperioden";
    let figures = [
        (
            "Nuvärde av nyttor, kr",
            format!("=SUMPRODUCT({},{})", y.range('B'), y.range('E')),
            base.present_benefit.to_string(),
        ),
        (
            "Nuvärde av kostnader, kr",
            format!("=SUMPRODUCT({},{})", y.range('C'), y.range('E')),
            base.present_cost.to_string(),
        ),
        (
            "Nettonuvärde, kr",
            format!("=SUM({})", y.range('F')),
            base.net_present_value().to_string(),
        ),
        (
            "Nytta/kostnad",
            // Below the heading (1-based `row`): the present benefit, then the present cost.
            format!("=IF(B{c}=0,\"\",B{b}/B{c})", b = row + 1, c = row + 2),
            base.benefit_cost_ratio()
                .map(|r| r.to_string())
                .unwrap_or_default(),
        ),
        (
            "Återbetalningsår",
            format!("=IF(COUNT({0})=0,\"{none}\",MIN({0}))", y.range('H')),
            base.payback_year.map_or(none.to_owned(), |p| p.to_string()),
        ),
    ];
    sheet.write_string_with_format(row - 1, 0, "Nyckeltal", bold)?;
    for (n, (label, text, result)) in figures.into_iter().enumerate() {
        let r = row + u32::try_from(n).unwrap_or(0);
        sheet.write_string(r, 0, label)?;
        sheet.write_formula(r, 1, cached.formula(text, result))?;
    }
    Ok(())
}

/// The .xlsx bytes of the calculation `inputs`, titled `title`.
pub fn write(title: &str, inputs: &Inputs, cached: Cached) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        workbook.set_properties(&rust_xlsxwriter::DocProperties::new().set_title(title));
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Nyttokalkyl")?;
        sheet.set_column_width(0, 34)?;
        sheet.set_column_width(1, 22)?;
        inputs_block(sheet, inputs, &bold)?;
        let last_line = lines(sheet, (inputs, cached), &bold)?;
        let table = years(sheet, (inputs, cached), last_line, &bold)?;
        results(sheet, (inputs, cached), &table, &bold)?;
        workbook.save_to_buffer()
    };
    build().map_err(|e| e.to_string())
}
