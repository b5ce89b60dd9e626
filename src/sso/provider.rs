//! The OpenID provider as this server's client sees it: the authorization request with PKCE, a
//! state and a nonce; the code exchange; the ID token's checks (signature against the provider's
//! keys, issuer, audience, expiry, nonce); the end-session address. Built on `openidconnect`.
//!
//! The provider's discovery document and keys are fetched when first needed and kept. A token
//! signed with a key the kept set does not have (the provider rotated its keys) makes one fresh
//! fetch before it is refused.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, EndSessionUrl, IdToken, IdTokenClaims, IssuerUrl, LogoutRequest,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, RequestTokenError, Scope,
    core::{
        CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
        CoreResponseType,
    },
    reqwest,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::config::SsoSettings;

/// The claims beyond the standard ones, kept whole: which of them lists the groups is a setting.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims(serde_json::Map<String, serde_json::Value>);

impl AdditionalClaims for OtherClaims {}

type Token = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// What a sign-in that was sent to the provider must find when the user returns: kept in a
/// cookie of the browser that started it, and cleared on return, so a return can be used once
/// and only there. (No `Debug`: it holds the PKCE verifier.)
#[derive(Clone, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The local page to go to after signing in.
    pub next: String,
    pub started_at: i64,
}

/// How long a user may take at the provider before the sign-in has to start over.
pub const PENDING_LIFETIME_SECONDS: i64 = 15 * 60;

/// Who the provider says signed in: checked claims only. (No `Debug`: it holds the ID token.)
#[derive(Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
    pub groups: Vec<String>,
    /// The ID token itself, kept for the provider's sign-out (`id_token_hint`).
    pub id_token: String,
}

/// Why a sign-in through the provider did not happen. The user sees the Swedish text; the log
/// gets the detail.
#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error(
        "Kommunens inloggningstjänst svarar inte just nu. Försök igen om en stund, eller logga in med lösenord om du har ett."
    )]
    Unavailable(String),
    #[error("Inloggningen avbröts hos kommunens inloggningstjänst. Du är inte inloggad.")]
    Cancelled(String),
    #[error(
        "Inloggningen kunde inte slutföras: den var redan använd, hade gått ut eller startades i en annan webbläsare. Börja om."
    )]
    Stale,
    #[error(
        "Svaret från kommunens inloggningstjänst kunde inte verifieras, så du loggades inte in."
    )]
    Rejected(String),
}

pub struct Provider {
    settings: SsoSettings,
    redirect: RedirectUrl,
    post_logout: PostLogoutRedirectUrl,
    http: reqwest::Client,
    discovered: RwLock<Option<Arc<ProviderMetadataWithLogout>>>,
}

impl Provider {
    /// The provider of `settings`, returning users to `public_url`. Nothing is fetched yet.
    pub fn new(settings: SsoSettings, public_url: &str) -> anyhow::Result<Self> {
        let redirect = RedirectUrl::new(format!("{public_url}{}", crate::paths::sso_return()))?;
        let post_logout =
            PostLogoutRedirectUrl::new(format!("{public_url}{}", crate::paths::sign_in()))?;
        let http = reqwest::Client::builder()
            // Following a redirect from the provider's endpoints would let them point this
            // server at any address.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            settings,
            redirect,
            post_logout,
            http,
            discovered: RwLock::new(None),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    /// The discovery document and keys: the kept ones, or fetched when there are none or
    /// `refresh` asks for new ones.
    async fn metadata(&self, refresh: bool) -> Result<Arc<ProviderMetadataWithLogout>, SsoError> {
        if !refresh && let Some(kept) = self.discovered.read().await.clone() {
            return Ok(kept);
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| SsoError::Unavailable(e.to_string()))?;
        // Checks that the document names this issuer.
        let fetched = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| SsoError::Unavailable(format!("discovery: {}", chain(&e))))?;
        let fetched = Arc::new(fetched);
        *self.discovered.write().await = Some(fetched.clone());
        Ok(fetched)
    }

    fn client(
        &self,
        metadata: &ProviderMetadataWithLogout,
    ) -> CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Where to send the user to sign in, and what to keep until they return.
    pub async fn authorize(&self, next: String) -> Result<(String, Pending), SsoError> {
        let metadata = self.metadata(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let client = self.client(&metadata);
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next,
            started_at: Utc::now().timestamp(),
        };
        Ok((url.to_string(), pending))
    }

    /// Exchanges the code the user returned with for tokens and checks the ID token.
    pub async fn finish(&self, pending: &Pending, code: String) -> Result<Identity, SsoError> {
        let metadata = self.metadata(false).await?;
        let response = self
            .client(&metadata)
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| SsoError::Unavailable(format!("no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                // Not reached, or no answer in time: the provider is down, not the user wrong.
                RequestTokenError::Request(e) => {
                    SsoError::Unavailable(format!("token endpoint: {e}"))
                }
                e => SsoError::Rejected(format!("code exchange: {e}")),
            })?;
        let id_token = openidconnect::TokenResponse::id_token(&response)
            .ok_or_else(|| SsoError::Rejected("no ID token in the token response".into()))?
            .to_string();
        self.verify(&id_token, &pending.nonce, Utc::now()).await
    }

    /// Checks an ID token as it would be checked at `now`: its signature against the provider's
    /// keys (fetched again once if none of the kept keys signed it), the issuer, this client as
    /// its audience, that it has not expired, and the nonce.
    pub async fn verify(
        &self,
        id_token: &str,
        nonce: &str,
        now: DateTime<Utc>,
    ) -> Result<Identity, SsoError> {
        let token: Token = id_token
            .parse()
            .map_err(|e| SsoError::Rejected(format!("unreadable ID token: {e}")))?;
        let nonce = Nonce::new(nonce.to_owned());
        let check = |metadata: &ProviderMetadataWithLogout| {
            let client = self.client(metadata);
            let verifier = client.id_token_verifier().set_time_fn(move || now);
            token.claims(&verifier, &nonce).cloned()
        };
        let claims = match check(&*self.metadata(false).await?) {
            Err(ClaimsVerificationError::SignatureVerification(_)) => {
                check(&*self.metadata(true).await?)
            }
            checked => checked,
        }
        .map_err(|e| SsoError::Rejected(format!("ID token: {e}")))?;
        Ok(self.identity(&claims, id_token))
    }

    fn identity(
        &self,
        claims: &IdTokenClaims<OtherClaims, CoreGenderClaim>,
        token: &str,
    ) -> Identity {
        let groups = match claims
            .additional_claims()
            .0
            .get(&self.settings.groups_claim)
        {
            Some(serde_json::Value::Array(values)) => values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(serde_json::Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
            .or_else(|| claims.preferred_username().map(|u| u.to_string()));
        Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            name,
            groups,
            id_token: token.to_owned(),
        }
    }

    /// The provider's sign-out page for the user of `id_token`, returning to the sign-in page;
    /// `None` when the provider has no end-session endpoint or cannot be reached.
    pub async fn end_session_url(&self, id_token: &str) -> Option<String> {
        let metadata = self.metadata(false).await.ok()?;
        let endpoint: EndSessionUrl = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let request = LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(self.settings.client_id.clone()))
            .set_post_logout_redirect_uri(self.post_logout.clone());
        let request = match id_token.parse::<Token>() {
            Ok(token) => request.set_id_token_hint(&token),
            Err(_) => request,
        };
        Some(request.http_get_url().to_string())
    }
}

/// An error with its causes, for the log ("Request failed: connection refused").
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text = format!("{text}: {e}");
        cause = e.source();
    }
    text
}
