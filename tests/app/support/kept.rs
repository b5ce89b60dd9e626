//! Kept figures (rows the database keeps by triggers) against a fresh computation from the rows
//! they are kept from.

use sqlx::PgPool;

/// The rows of `kept` that `fresh` lacks and the rows of `fresh` that `kept` lacks, each marked
/// "kept only" or "fresh only". Both statements select one text column, one line per figure.
pub async fn differences(db: &PgPool, kept: &str, fresh: &str) -> Vec<String> {
    let sql = format!(
        "(SELECT 'kept only ' || k.line FROM ({kept}) AS k (line) \
          EXCEPT SELECT 'kept only ' || f.line FROM ({fresh}) AS f (line)) \
         UNION ALL \
         (SELECT 'fresh only ' || f.line FROM ({fresh}) AS f (line) \
          EXCEPT SELECT 'fresh only ' || k.line FROM ({kept}) AS k (line)) \
         ORDER BY 1"
    );
    sqlx::query_scalar(&sql)
        .fetch_all(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs `sql`, a change of the rows figures are kept from; panics with the statement on error.
pub async fn run(db: &PgPool, sql: &str) {
    sqlx::query(sql)
        .execute(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
