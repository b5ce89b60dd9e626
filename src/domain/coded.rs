//! Enums stored by a code and shown by a Swedish label: one declaration gives the code, the label,
//! the database mapping and the JSON form, so that no status string appears outside its enum.

/// Declares a `Copy` enum with `ALL`, `code()`, `label()`, `from_code()` and `from_text()`.
///
/// The enum is stored in a `text` column by its code (`sqlx::Type`, `Encode`, `Decode`; an
/// unknown code in the database is a decode error, never a silent default), serialised by its
/// code (serde) and displayed by its label.
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
            /// Every value, in declaration order (the order lists and forms show).
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The name stored in the database and used in forms and imports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// What the user reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.code() == code)
            }

            /// Accepts the code or the label, in any letter case, with or without the label's
            /// explanation in brackets: what people type in a sheet.
            pub fn from_text(text: &str) -> Option<$name> {
                let text = text.trim().to_lowercase();
                Self::ALL.into_iter().find(|v| {
                    let label = v.label().to_lowercase();
                    v.code() == text
                        || label == text
                        || label.split(" (").next() == Some(text.as_str())
                })
            }
        }

        /// The code.
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.code()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::sqlx::Type<::sqlx::Postgres> for $name {
            fn type_info() -> ::sqlx::postgres::PgTypeInfo {
                <&str as ::sqlx::Type<::sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &::sqlx::postgres::PgTypeInfo) -> bool {
                <&str as ::sqlx::Type<::sqlx::Postgres>>::compatible(ty)
            }
        }

        impl ::sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> ::sqlx::postgres::PgTypeInfo {
                <&str as ::sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'q> ::sqlx::Encode<'q, ::sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut ::sqlx::postgres::PgArgumentBuffer,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&str as ::sqlx::Encode<::sqlx::Postgres>>::encode(self.code(), buf)
            }
        }

        impl<'r> ::sqlx::Decode<'r, ::sqlx::Postgres> for $name {
            fn decode(
                value: ::sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let code = <&str as ::sqlx::Decode<::sqlx::Postgres>>::decode(value)?;
                $name::from_code(code).ok_or_else(|| {
                    format!("unknown {} code {code:?}", stringify!($name)).into()
                })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        /// In the API's OpenAPI document: a string, one of the codes.
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .description(Some([$(concat!($code, ": ", $label)),+].join("; ")))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {}

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <::std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::from_code(&code).ok_or_else(|| {
                    ::serde::de::Error::custom(format!("okänd kod: {code}"))
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::coded_enum! {
        pub enum Sample {
            One = ("one", "Ett"),
            Two = ("two", "Två (andra)"),
        }
    }

    #[test]
    fn codes_labels_and_text_round_trip() {
        for v in Sample::ALL {
            assert_eq!(Sample::from_code(v.code()), Some(v));
            assert_eq!(Sample::from_text(v.label()), Some(v));
        }
        assert_eq!(Sample::from_text(" TVÅ "), Some(Sample::Two));
        assert_eq!(Sample::from_code("three"), None);
        assert_eq!(Sample::Two.to_string(), "Två (andra)");
    }

    #[test]
    fn json_uses_the_code_and_refuses_unknown_codes() {
        assert_eq!(serde_json::to_string(&Sample::Two).unwrap(), "\"two\"");
        assert_eq!(
            serde_json::from_str::<Sample>("\"one\"").unwrap(),
            Sample::One
        );
        assert!(serde_json::from_str::<Sample>("\"three\"").is_err());
    }
}
