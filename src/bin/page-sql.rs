//! Prints the statements a page runs as a pgbench script, with the page's parameters filled in,
//! so `benches/projects.sh` measures the database alone on exactly the application's SQL.
//!
//! `page-sql list` : GET /projekt (first page, default sort, with the footer's sums over the
//! whole filter and the user's column choice)
//! `page-sql project` : GET /projekt/{id} for a random benchmark project (`:n` in 1..=1000)
//! `page-sql follow-up` : GET /uppfoljning/{occasion}/{board}, the report's header and the
//! statements `follow_up::report::live` runs; pgbench supplies the board (`:board`), occasion
//! (`:occasion`), report (`:fu`), year (`:year`) and the period's first day (`:start`), last month
//! (`:last`) and the next year's first day (`:end`) with `-D` (`benches/follow_up.sh`).
//!
//! Both start with the session lookup and the current-user query every signed-in page runs;
//! pgbench supplies `:sid` (the quoted session id) and `:uid` (the quoted user id) with `-D`.
//!
//! The checked statements are read from the statements the application builds (`*_query`, see
//! `portfolj::db::Built`) with `Execute::sql`; their parameters are placeholders here, only the
//! text is used. The list's text comes from its `QueryBuilder`.

use portfolj::{admin, api_tokens, auth, budget, columns, follow_up, goals, projects};
use sqlx::Execute;
use uuid::Uuid;

/// `sql` with `$1`, `$2`, … replaced by `values` (highest number first, so `$1` never eats `$10`).
fn fill(sql: &str, values: &[&str]) -> String {
    let mut out = sql.to_owned();
    for (i, value) in values.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), value);
    }
    format!("{};", out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The checked statements `page-sql project` prints, in its order, unfilled.
fn project_statements() -> Vec<&'static str> {
    let id = Uuid::nil();
    vec![
        projects::repo::find_query(id).sql(),
        budget::repo::lines_query(id).sql(),
        goals::repo::goals_query(id).sql(),
        projects::repo::status_changes_query(id).sql(),
    ]
}

/// The checked statements `page-sql follow-up` prints, in the report's order, unfilled, each with
/// the pgbench variables of its parameters.
fn follow_up_statements() -> Vec<(&'static str, &'static [&'static str])> {
    use follow_up::repo;
    let id = Uuid::nil();
    let occasion = repo::Occasion {
        id,
        year: 2026,
        number: 2,
        through_month: 8,
        deadline: chrono::NaiveDate::default(),
    };
    let period = &[":board", ":start", ":last", ":end", ":fu"];
    vec![
        (repo::header_query(id, id).sql(), &[":board", ":occasion"]),
        (repo::activities_query(id, &occasion, None).sql(), period),
        (
            repo::projects_query(id, &occasion, None).sql(),
            &[":board", ":year", ":last", ":fu"],
        ),
        (repo::measures_query(None).sql(), &[":fu"]),
        (repo::member_key_query(id, 2026).sql(), &[":board", ":year"]),
        (repo::years_query(id, 2026).sql(), &[":board", ":year"]),
    ]
}

fn main() {
    // The session store's load statement (auth::sessions).
    let mut script = vec![
        "select data from \"tower_sessions\".\"session\" where id = :sid and expiry_date > now();"
            .to_owned(),
        fill(auth::repo::current_user_query(Uuid::nil()).sql(), &[":uid"]),
    ];
    match std::env::args().nth(1).as_deref() {
        Some("list") => {
            let filter = projects::forms::ListQuery::default().filter();
            let query = projects::list_repo::list_query(&filter, None);
            script.push(fill(query.sql(), &[]));
            let sums = projects::list_repo::sums_query(&filter, None);
            script.push(fill(sums.sql(), &[]));
            script.push(fill(
                columns::repo::hidden_query(Uuid::nil()).sql(),
                &[":uid"],
            ));
            script.push(fill(admin::repo::Reference::query().sql(), &[]));
        }
        Some("api-list") => {
            // `GET /api/v1/projekt?limit=100`: the token's holder with their roles instead of the
            // session and the user, then the list's page (no sums, no column choice, no reference lists).
            script.clear();
            script.push(fill(
                api_tokens::repo::caller_query([0; 32]).sql(),
                &[":hash"],
            ));
            let mut filter = projects::forms::ListQuery::default().filter();
            filter.page_size = 100;
            script.push(fill(
                projects::list_repo::list_query(&filter, None).sql(),
                &[],
            ));
        }
        Some("project") => {
            let id = "md5('bench-' || :n)::uuid";
            script.insert(0, "\\set n random(1, 1000)".to_owned());
            script.extend(project_statements().into_iter().map(|sql| fill(sql, &[id])));
        }
        Some("follow-up") => {
            let statements = follow_up_statements().into_iter();
            script.extend(statements.map(|(sql, values)| fill(sql, values)));
        }
        _ => {
            eprintln!("usage: page-sql list|api-list|project|follow-up");
            std::process::exit(2);
        }
    }
    println!("{}", script.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts in `.sqlx/`, the offline data of every statement the macros checked.
    fn checked_texts() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/.sqlx");
        std::fs::read_dir(dir)
            .expect(".sqlx")
            .map(|entry| {
                let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
                let data: serde_json::Value = serde_json::from_str(&text).expect("json");
                data["query"].as_str().expect("query").to_owned()
            })
            .collect()
    }

    /// Every statement printed but the session lookup (written out above) and the list (built
    /// at run time) is one the macros checked: its exact text has offline data.
    #[test]
    fn printed_statements_are_checked_ones() {
        let checked = checked_texts();
        let mut printed = project_statements();
        printed.push(auth::repo::current_user_query(Uuid::nil()).sql());
        printed.push(admin::repo::Reference::query().sql());
        printed.push(columns::repo::hidden_query(Uuid::nil()).sql());
        printed.push(api_tokens::repo::caller_query([0; 32]).sql());
        printed.extend(follow_up_statements().into_iter().map(|(sql, _)| sql));
        for sql in printed {
            assert!(
                checked.iter().any(|c| c == sql),
                "no offline data for: {sql}"
            );
        }
    }
}
