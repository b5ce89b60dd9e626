//! Password hashing (argon2id) off the async threads: each hash costs tens of milliseconds.

use std::sync::LazyLock;

use crate::web::AppError;

/// The shortest password a new account may get.
pub const MIN_LENGTH: usize = 10;
const MAX_LENGTH: usize = 1000;

/// Compared against when the account does not exist, so a miss takes as long as a wrong password
/// and timing does not reveal which accounts exist.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("decoy password"));

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing task: {e}")))
}

/// Whether `password` matches `stored`; with no stored hash, spends the same time and says no.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let hash = stored.as_deref().unwrap_or(DECOY_HASH.as_str());
        password_auth::verify_password(password, hash).is_ok() && stored.is_some()
    })
    .await
    .map_err(|e| AppError::Internal(format!("verification task: {e}")))
}

/// Why a new password is refused, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Ange ett lösenord.")]
    Empty,
    #[error("Lösenordet måste ha minst {MIN_LENGTH} tecken.")]
    TooShort,
    #[error("Lösenordet får ha högst {MAX_LENGTH} tecken.")]
    TooLong,
}

/// A new password's rules: long enough to resist guessing, short enough to hash cheaply.
pub fn check_new(password: &str) -> Result<(), PasswordError> {
    match password.chars().count() {
        0 => Err(PasswordError::Empty),
        n if n < MIN_LENGTH => Err(PasswordError::TooShort),
        n if n > MAX_LENGTH => Err(PasswordError::TooLong),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_bounded() {
        assert_eq!(check_new(""), Err(PasswordError::Empty));
        assert_eq!(check_new("kort"), Err(PasswordError::TooShort));
        assert_eq!(check_new(&"x".repeat(1001)), Err(PasswordError::TooLong));
        assert_eq!(check_new("tillräckligt långt"), Ok(()));
    }

    #[tokio::test]
    async fn verifies_only_the_right_password_of_an_existing_account() {
        let stored = password_auth::generate_hash("rätt lösenord");
        assert!(
            verify("rätt lösenord".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("fel lösenord".into(), Some(stored)).await.unwrap());
        assert!(!verify("decoy password".into(), None).await.unwrap());
    }
}
