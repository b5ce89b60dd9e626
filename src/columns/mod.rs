//! The columns a user shows in a data table, remembered per user and table. Each table declares
//! its columns once ([`tables`]); a page extracts the user's [`ColumnChoice`] and asks it what to
//! show of its table ([`Shown`]); the chooser above the table posts the new choice
//! ([`handlers::choose_columns`]) and comes back to the same page with the same filter.

pub mod handlers;
pub mod repo;
pub mod tables;

use axum::{extract::FromRequestParts, http::request::Parts};

use crate::web::{AppError, AppState, CurrentUser};

/// One column a user may hide: its key in the form and its heading.
#[derive(Debug)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
}

/// A data table whose columns can be chosen. The row's name column is not in the list: it is
/// always shown, as the row's header.
#[derive(Debug)]
pub struct Table {
    /// The key the choice is stored under (`projekt`, `rangordning`).
    pub key: &'static str,
    pub columns: &'static [Column],
}

/// What the user has hidden in every table, and the address of the page asked for, which the
/// chooser returns to. Read in one statement.
#[derive(Debug, Clone)]
pub struct ColumnChoice {
    hidden: Vec<(String, Vec<String>)>,
    back: String,
}

impl ColumnChoice {
    /// What to show of `table`.
    pub fn shown(&self, table: &'static Table) -> Shown {
        let hidden = self
            .hidden
            .iter()
            .find(|(key, _)| key == table.key)
            .map(|(_, hidden)| hidden.clone())
            .unwrap_or_default();
        Shown {
            table,
            hidden,
            back: self.back.clone(),
        }
    }
}

impl FromRequestParts<AppState> for ColumnChoice {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let me = CurrentUser::from_request_parts(parts, state).await?;
        let back = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
        Ok(Self {
            hidden: repo::hidden(&state.db, me.id).await?,
            back,
        })
    }
}

/// The columns of one table that a page shows, and what its chooser needs.
#[derive(Debug, Clone)]
pub struct Shown {
    pub table: &'static Table,
    hidden: Vec<String>,
    /// The page (with its query) the chooser returns to.
    pub back: String,
}

impl Shown {
    /// Every column of `table`: where no user's choice applies (a fragment a script swaps in
    /// is rendered with the user's choice; other uses of a table's rows show them all).
    pub fn all(table: &'static Table) -> Self {
        Self {
            table,
            hidden: vec![],
            back: String::new(),
        }
    }

    /// Whether the column `key` is shown. A key the table does not declare is a bug in the
    /// template; it is shown, so nothing silently disappears.
    pub fn shows(&self, key: &str) -> bool {
        !self.hidden.iter().any(|h| h == key)
    }

    /// Every choosable column with whether it is shown, for the chooser's checkboxes.
    pub fn choices(&self) -> Vec<(&'static Column, bool)> {
        self.table
            .columns
            .iter()
            .map(|c| (c, self.shows(c.key)))
            .collect()
    }

    /// The number of columns shown, the row header included (for a full-width row's colspan).
    pub fn count(&self) -> usize {
        1 + self
            .table
            .columns
            .iter()
            .filter(|c| self.shows(c.key))
            .count()
    }

    /// How many columns are hidden, for the chooser's summary.
    pub fn hidden_count(&self) -> usize {
        self.table.columns.len() + 1 - self.count()
    }
}

/// The keys of `table` among `chosen` that are not shown: unknown keys are dropped, so a stale
/// or forged form cannot store anything the table does not have.
pub fn hidden_of(table: &Table, chosen: &[String]) -> Vec<String> {
    table
        .columns
        .iter()
        .filter(|c| !chosen.iter().any(|k| k == c.key))
        .map(|c| c.key.to_owned())
        .collect()
}

/// The table declared under `key`, if any.
pub fn table(key: &str) -> Option<&'static Table> {
    tables::ALL.iter().copied().find(|t| t.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_dropped_and_the_rest_hidden() {
        let table = &tables::PROJECTS;
        let hidden = hidden_of(table, &["budget".into(), "finns-inte".into()]);
        assert!(!hidden.contains(&"budget".to_owned()));
        assert!(hidden.contains(&"utfall".to_owned()));
        assert!(!hidden.iter().any(|h| h == "finns-inte"));
        assert_eq!(hidden.len(), table.columns.len() - 1);
    }

    #[test]
    fn a_table_shows_what_is_not_hidden_and_counts_its_row_header() {
        let choice = ColumnChoice {
            hidden: vec![("projekt".into(), vec!["dnr".into(), "plan".into()])],
            back: "/projekt?q=x".into(),
        };
        let shown = choice.shown(&tables::PROJECTS);
        assert!(!shown.shows("dnr"));
        assert!(shown.shows("budget"));
        assert_eq!(shown.count(), tables::PROJECTS.columns.len() + 1 - 2);
        assert_eq!(shown.hidden_count(), 2);
        assert!(choice.shown(&tables::ITEMS).shows("plan"));
    }

    #[test]
    fn every_table_key_is_unique_and_storable() {
        for (i, t) in tables::ALL.iter().enumerate() {
            assert!(t.key.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(tables::ALL[i + 1..].iter().all(|o| o.key != t.key));
        }
    }
}
