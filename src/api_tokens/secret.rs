//! The token itself: 256 random bits written as `pfj_` and 64 hex digits, stored only as its
//! SHA-256. The prefix lets secret scanners and people recognise a leaked token.

use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "pfj_";
const HEX_DIGITS: usize = 64;
/// How much of the token the list shows, to tell tokens apart ("pfj_3f9a1c").
pub const SHOWN: usize = PREFIX.len() + 6;

/// A token as its user gets it: once.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Secret(format!("{PREFIX}{hex}"))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }

    pub fn shown(&self) -> String {
        self.0.chars().take(SHOWN).collect()
    }
}

/// Never printed by accident: a debug print shows only the start.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({}…)", self.shown())
    }
}

/// The hash of a presented token, if it has the shape of one (anything else is not looked up).
pub fn hash_presented(presented: &str) -> Option<[u8; 32]> {
    let hex = presented.strip_prefix(PREFIX)?;
    (hex.len() == HEX_DIGITS && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| Sha256::digest(presented.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_token_is_recognised_and_hashes_alike() {
        let secret = Secret::generate();
        assert_eq!(secret.expose().len(), 68);
        assert_eq!(hash_presented(secret.expose()), Some(secret.hash()));
        assert_ne!(Secret::generate().expose(), secret.expose());
        assert!(!format!("{secret:?}").contains(&secret.expose()[SHOWN..]));
    }

    #[test]
    fn other_shapes_are_not_looked_up() {
        assert_eq!(hash_presented(""), None);
        assert_eq!(hash_presented("pfj_abc"), None);
        assert_eq!(hash_presented(&format!("pfj_{}", "g".repeat(64))), None);
        assert_eq!(hash_presented(&format!("xyz_{}", "a".repeat(64))), None);
    }
}
