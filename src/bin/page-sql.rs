//! Prints the statements a page runs as a pgbench script, with the page's parameters filled in,
//! so `benches/projects.sh` measures the database alone on exactly the application's SQL.
//!
//! `page-sql list` : GET /projekt (first page, default sort)
//! `page-sql project` : GET /projekt/{id} for a random benchmark project (`:n` in 1..=1000)
//!
//! Both start with the session lookup and the current-user query every signed-in page runs;
//! pgbench supplies `:sid` (the quoted session id) and `:uid` (the quoted user id) with `-D`.

use portfolj::{admin, auth, budget, goals, projects};

/// `sql` with `$1`, `$2`, … replaced by `values` (highest number first, so `$1` never eats `$10`).
fn fill(sql: &str, values: &[&str]) -> String {
    let mut out = sql.to_owned();
    for (i, value) in values.iter().enumerate().rev() {
        out = out.replace(&format!("${}", i + 1), value);
    }
    format!("{};", out.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn main() {
    // The session store's load statement (auth::sessions).
    let mut script = vec![
        "select data from \"tower_sessions\".\"session\" where id = :sid and expiry_date > now();"
            .to_owned(),
        fill(auth::repo::CURRENT_USER_SQL, &[":uid"]),
    ];
    match std::env::args().nth(1).as_deref() {
        Some("list") => {
            let filter = projects::forms::ListQuery::default().filter();
            let query = projects::repo::list_query(&filter, None);
            script.push(fill(query.sql(), &[]));
            script.push(fill(admin::repo::REFERENCE_SQL, &[]));
        }
        Some("project") => {
            let id = "md5('bench-' || :n)::uuid";
            script.insert(0, "\\set n random(1, 1000)".to_owned());
            script.push(fill(&projects::repo::find_sql(false), &[id]));
            script.push(fill(&budget::repo::lines_sql(), &[id]));
            script.push(fill(&goals::repo::goals_sql(), &[id]));
            script.push(fill(projects::repo::STATUS_CHANGES_SQL, &[id]));
        }
        _ => {
            eprintln!("usage: page-sql list|project");
            std::process::exit(2);
        }
    }
    println!("{}", script.join("\n"));
}
