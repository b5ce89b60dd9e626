//! Every data table whose columns a user can choose, with its columns in the order shown.

use super::{Column, Table};

const fn col(key: &'static str, label: &'static str) -> Column {
    Column { key, label }
}

/// `/projekt`; the project's name is the row header.
pub static PROJECTS: Table = Table {
    key: "projekt",
    columns: &[
        col("dnr", "Dnr"),
        col("projektnummer", "Projektnr"),
        col("namnd", "Nämnd"),
        col("kommuner", "Kommuner"),
        col("status", "Status"),
        col("plan", "Plan"),
        col("anslag", "Anslag"),
        col("budget", "Budget"),
        col("utfall", "Utfall"),
        col("slut", "Planerat slut"),
    ],
};

/// `/portfolj`; the item's title is the row header.
pub static ITEMS: Table = Table {
    key: "portfolj",
    columns: &[
        col("nummer", "Nr"),
        col("kommuner", "Kommuner"),
        col("plan", "Plan"),
        col("typ", "Typ"),
        col("timmar", "Timmar"),
        col("investering", "Investering"),
        col("drift", "Drift per år"),
        col("nytta", "Nytta"),
        col("status", "Status"),
    ],
};

/// A round's ranking board; the place and the item are always shown.
pub static BOARD: Table = Table {
    key: "rangordning",
    columns: &[
        col("plan", "Plan"),
        col("kommuner", "Kommuner"),
        col("timmar", "Timmar"),
        col("kostnad", "Kostnad"),
        col("nytta", "Nytta"),
        col("ack_timmar", "Ackumulerade timmar"),
        col("ack_kostnad", "Ackumulerad kostnad"),
        col("strategigrupper", "Strategigruppernas rekommendationer"),
        col("beslut", "Beslut"),
    ],
};

/// `/logg`; the time is the row header.
pub static AUDIT_LOG: Table = Table {
    key: "logg",
    columns: &[
        col("vem", "Vem"),
        col("handelse", "Händelse"),
        col("objekt", "Objekt"),
        col("falt", "Fält"),
        col("fore", "Före"),
        col("efter", "Efter"),
        col("kalla", "Källa"),
    ],
};

pub static ALL: &[&Table] = &[&PROJECTS, &ITEMS, &BOARD, &AUDIT_LOG];
