//! Enums stored by a code and shown by a Swedish label: one declaration gives both directions.

/// Declares a `Copy` enum with `ALL`, `code()`, `label()` and `from_code()`.
///
/// ```ignore
/// coded_enum! { pub enum Kind { NewNeed = ("new_need", "Nytt behov"), … } }
/// ```
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the database and used in forms and imports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// What the user reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Accepts the code or the label, in any letter case, with or without the label's
            /// explanation in brackets: what people type in a sheet.
            pub fn from_text(text: &str) -> Option<$name> {
                let text = text.trim().to_lowercase();
                Self::ALL.iter().copied().find(|v| {
                    let label = v.label().to_lowercase();
                    v.code() == text
                        || label == text
                        || label.split(" (").next() == Some(text.as_str())
                })
            }
        }
    };
}
