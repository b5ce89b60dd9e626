//! How a municipality's ledger tables are read, remembered from its last CSV or Excel import,
//! and what the upload form typed over it.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::imports::table::{Columns, Encoding, Separator, TableFormat};

/// The upload form's fields for reading a table, as typed (blank: not typed).
pub const FIELDS: [&str; 9] = [
    "col_date",
    "col_account",
    "col_project",
    "col_activity",
    "col_amount",
    "col_text",
    "col_voucher",
    "separator",
    "encoding",
];

/// What the form typed, by field.
pub type Typed = BTreeMap<String, String>;

/// The municipality's remembered way, or the defaults.
pub async fn remembered(conn: &mut PgConnection, municipality: Uuid) -> sqlx::Result<TableFormat> {
    let row = sqlx::query!(
        r#"SELECT date_column, account_column, project_column, activity_column, amount_column,
                  text_column, voucher_column, separator AS "separator: Separator",
                  encoding AS "encoding: Encoding"
           FROM ledger_table_setting WHERE municipality_id = $1"#,
        municipality
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or_else(
        || TableFormat {
            columns: Columns::default(),
            separator: Separator::Auto,
            encoding: Encoding::Auto,
        },
        |r| TableFormat {
            columns: Columns {
                date: r.date_column,
                account: r.account_column,
                project: r.project_column,
                activity: r.activity_column,
                amount: r.amount_column,
                text: r.text_column,
                voucher: r.voucher_column,
            },
            separator: r.separator,
            encoding: r.encoding,
        },
    ))
}

/// `base` with what the form typed over it. A column field typed as a lone "-" is left out.
pub fn typed_over(base: TableFormat, typed: &Typed) -> TableFormat {
    let get = |field: &str| typed.get(field).map(|v| v.trim()).filter(|v| !v.is_empty());
    let column = |field: &str, current: String| match get(field) {
        Some("-") => String::new(),
        Some(v) => v.chars().take(100).collect(),
        None => current,
    };
    let c = base.columns;
    TableFormat {
        columns: Columns {
            date: column("col_date", c.date),
            account: column("col_account", c.account),
            project: column("col_project", c.project),
            activity: column("col_activity", c.activity),
            amount: column("col_amount", c.amount),
            text: column("col_text", c.text),
            voucher: column("col_voucher", c.voucher),
        },
        separator: get("separator")
            .and_then(Separator::from_code)
            .unwrap_or(base.separator),
        encoding: get("encoding")
            .and_then(Encoding::from_code)
            .unwrap_or(base.encoding),
    }
}

/// Remembers `format` as the municipality's way of reading its tables.
pub async fn remember(
    conn: &mut PgConnection,
    municipality: Uuid,
    format: &TableFormat,
    by: Uuid,
) -> sqlx::Result<()> {
    let c = &format.columns;
    sqlx::query!(
        "INSERT INTO ledger_table_setting (municipality_id, date_column, account_column, \
             project_column, activity_column, amount_column, text_column, voucher_column, \
             separator, encoding, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (municipality_id) DO UPDATE SET date_column = excluded.date_column, \
             account_column = excluded.account_column, project_column = excluded.project_column, \
             activity_column = excluded.activity_column, amount_column = excluded.amount_column, \
             text_column = excluded.text_column, voucher_column = excluded.voucher_column, \
             separator = excluded.separator, encoding = excluded.encoding, \
             updated_by = excluded.updated_by, updated_at = now()",
        municipality,
        c.date,
        c.account,
        c.project,
        c.activity,
        c.amount,
        c.text,
        c.voucher,
        format.separator.code(),
        format.encoding.code(),
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}
