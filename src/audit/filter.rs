//! The audit log's filter as typed in the query string (`?fran=2026-01-01&vem=…`): period,
//! person, project, portfolio item, kind of entry, whether sign-ins show, and where the page
//! starts. Whatever is typed, a filter comes out; what does not parse is named next to its field
//! and left out of the filter.

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::{audit::labels::ENTITIES, web::form::FieldErrors};

/// The filter as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LogQuery {
    #[serde(default)]
    pub fran: String,
    #[serde(default)]
    pub till: String,
    #[serde(default)]
    pub vem: String,
    #[serde(default)]
    pub projekt: String,
    #[serde(default)]
    pub objekt: String,
    #[serde(default)]
    pub typ: String,
    #[serde(default)]
    pub inloggningar: String,
    /// The page starts below this entry (keyset paging: the order never shifts under a reader).
    #[serde(default)]
    pub fore: String,
}

/// The entity of sign-ins and sign-outs, hidden unless asked for.
pub const SIGN_IN_ENTITY: &str = "session";

/// A checked filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    /// The last day of the period, included.
    pub to: Option<NaiveDate>,
    pub actor: Option<Uuid>,
    pub project: Option<Uuid>,
    pub item: Option<Uuid>,
    pub entity: Option<&'static str>,
    pub sign_ins: bool,
    pub before: Option<i64>,
}

fn id(typed: &str, field: &str, message: &str, e: &mut FieldErrors) -> Option<Uuid> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let parsed = typed.parse().ok();
    if parsed.is_none() {
        e.add(field, message);
    }
    parsed
}

fn date(typed: &str, field: &str, e: &mut FieldErrors) -> Option<NaiveDate> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok();
    if parsed.is_none() {
        e.add(
            field,
            format!("”{typed}” är inget datum. Skriv till exempel 2026-03-31."),
        );
    }
    parsed
}

impl LogQuery {
    /// The filter, and the messages for what did not parse.
    pub fn filter(&self) -> (Filter, FieldErrors) {
        let mut e = FieldErrors::new();
        let from = date(&self.fran, "fran", &mut e);
        let to = date(&self.till, "till", &mut e);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("till", "Slutdatumet ligger före startdatumet.");
        }
        let entity = match self.typ.trim() {
            "" => None,
            typed => {
                let known = ENTITIES.iter().find(|(code, _)| *code == typed);
                if known.is_none() {
                    e.add("typ", "Välj en typ av ändring i listan.");
                }
                known.map(|(code, _)| *code)
            }
        };
        let filter = Filter {
            from,
            to: to.filter(|t| from.is_none_or(|f| *t >= f)),
            actor: id(&self.vem, "vem", "Välj en person i listan.", &mut e),
            project: id(
                &self.projekt,
                "projekt",
                "Välj ett projekt i listan.",
                &mut e,
            ),
            item: id(
                &self.objekt,
                "objekt",
                "Välj ett portföljobjekt i listan.",
                &mut e,
            ),
            sign_ins: self.inloggningar == "ja" || entity == Some(SIGN_IN_ENTITY),
            entity,
            before: self.fore.trim().parse().ok().filter(|b| *b > 0),
        };
        (filter, e)
    }

    /// The query string of this filter from its start, with `before` as where the page starts.
    pub fn link(&self, path: &str, before: Option<i64>) -> String {
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        crate::web::format::query_link(
            path,
            &[
                ("fran", self.fran.as_str()),
                ("till", self.till.as_str()),
                ("vem", self.vem.as_str()),
                ("projekt", self.projekt.as_str()),
                ("objekt", self.objekt.as_str()),
                ("typ", self.typ.as_str()),
                ("inloggningar", self.inloggningar.as_str()),
                ("fore", before.as_str()),
            ],
            &[],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_typed_becomes_a_filter_and_what_does_not_parse_is_named() {
        let query = LogQuery {
            fran: "2026-01-01".into(),
            till: "2025-12-31".into(),
            vem: "nobody".into(),
            typ: "project".into(),
            fore: "-3".into(),
            ..LogQuery::default()
        };
        let (filter, errors) = query.filter();
        assert_eq!(filter.from, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(filter.to, None);
        assert_eq!(filter.actor, None);
        assert_eq!(filter.entity, Some("project"));
        assert_eq!(filter.before, None);
        assert!(!filter.sign_ins);
        assert!(errors.get("till").is_some());
        assert!(errors.get("vem").is_some());
        let (sessions, _) = LogQuery {
            typ: SIGN_IN_ENTITY.into(),
            ..LogQuery::default()
        }
        .filter();
        assert!(sessions.sign_ins, "asking for sign-ins shows them");
        let (_, bad) = LogQuery {
            typ: "'; DROP TABLE audit_log".into(),
            ..LogQuery::default()
        }
        .filter();
        assert!(bad.get("typ").is_some());
    }
}
