//! A SIE file's counted rows staged ([`staging::stage`]): each `#TRANS` of a voucher with its
//! voucher, its project and cost-centre objects by the municipality's dimensions; a voucher
//! twice in one file is an error at its second `#VER`.

use std::{
    collections::HashMap,
    hash::{Hash, Hasher},
    io::BufRead,
};

use chrono::Datelike;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::imports::{
    sie::{Item, Limits, LineError, Reader, voucher_name},
    staging::{self, Sink, StageError, Staged, StagedRow},
};

/// Which dimensions hold the project and the cost centre (`ledger_setting`).
#[derive(Debug, Clone, Copy)]
pub struct Dimensions {
    pub project: u32,
    pub cost_centre: u32,
}

/// Reads the SIE file `input` into the staged rows of `import_id` ([`stage`]).
pub async fn stage_sie<R: BufRead + Send + 'static>(
    conn: &mut PgConnection,
    import_id: Uuid,
    input: R,
    dimensions: Dimensions,
    progress: Option<&PgPool>,
) -> Result<Staged, StageError> {
    let read = move |sink: &mut Sink| read_sie(input, dimensions, sink);
    staging::stage(conn, import_id, read, progress).await
}

/// The SIE reader's side: each counted row of a voucher is staged; errors, skipped labels, the
/// program, the company and the account names are kept for the import's record.
pub fn read_sie<R: BufRead>(input: R, dimensions: Dimensions, sink: &mut Sink) -> u64 {
    let mut reader = Reader::new(input, Limits::default());
    let mut voucher = None;
    // Each numbered voucher's line, by a hash of its series and number: a voucher twice in one
    // file would count twice. (A hash keeps a file of a million vouchers in a few megabytes.)
    let mut seen: HashMap<u64, u64> = HashMap::new();
    while let Some(result) = reader.next() {
        match result {
            Ok(Item::Voucher(v)) if !v.number.is_empty() => {
                let key = {
                    let mut h = std::hash::DefaultHasher::new();
                    (&v.series, &v.number, v.date.year()).hash(&mut h);
                    h.finish()
                };
                match seen.insert(key, v.line) {
                    Some(first) => {
                        sink.staged.errors.push(LineError {
                            line: v.line,
                            text: format!("#VER {} {}", v.series, v.number),
                            message: format!(
                                "verifikationen {} finns redan på rad {first} i filen.",
                                voucher_name(&v)
                            ),
                        });
                        voucher = None;
                    }
                    None => voucher = Some(v),
                }
            }
            Ok(Item::Voucher(v)) => voucher = Some(v),
            Ok(Item::Row(row)) => {
                let Some(v) = &voucher else { continue };
                let staged = StagedRow {
                    line: row.line,
                    series: &v.series,
                    number: &v.number,
                    voucher_date: v.date,
                    account: &row.account,
                    cost_centre: row.object(dimensions.cost_centre),
                    project: row.object(dimensions.project),
                    amount: row.amount,
                    date: row.date.unwrap_or(v.date),
                    text: &row.text,
                };
                if !sink.push(&staged, reader.lines_read()) {
                    break;
                }
            }
            Ok(Item::Program { name, version }) => {
                sink.staged.program = format!("{name} {version}").trim().to_owned();
            }
            Ok(Item::Company(name)) => sink.staged.company = name,
            Ok(Item::Account { number, name }) => sink.account_name(number, name),
            Ok(_) => {}
            Err(e) => sink.staged.errors.push(e),
        }
    }
    sink.staged.skipped = reader.skipped().clone();
    reader.lines_read()
}
