//! A real OpenID provider for the single sign-on tests: npm's `oidc-provider`, started from
//! `tests/oidc/provider.mjs` on loopback (see its README), and a browser's part at its pages.

use std::{process::Stdio, sync::Arc};

use openidconnect::{PkceCodeChallenge, PkceCodeVerifier};
use reqwest::{cookie::Jar, redirect::Policy};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

pub const CLIENT_ID: &str = "portfolj";
pub const CLIENT_SECRET: &str = "portfolj-test-secret";
/// Where the provider returns the harness's own sign-ins ([`Provider::id_token`]): nothing
/// listens there, the harness reads the address.
const HARNESS_RETURN: &str = "http://127.0.0.1:9/harness/retur";

pub struct Provider {
    pub issuer: String,
    _process: Child,
}

impl Provider {
    /// Starts the provider with the client registered for `app` (its base URL).
    pub async fn start(app: &str) -> Self {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "the test OpenID provider is not installed: run `npm ci --prefix tests/oidc` (Node.js 20+)"
        );
        let mut process = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env(
                "OIDC_REDIRECT_URI",
                format!("{app}/logga-in/sso/retur {HARNESS_RETURN}"),
            )
            .env("OIDC_POST_LOGOUT_REDIRECT_URI", format!("{app}/logga-in"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start node tests/oidc/provider.mjs");
        let stdout = process.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .await
            .expect("provider's first line");
        let issuer = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
            .to_owned();
        Self {
            issuer,
            _process: process,
        }
    }

    fn http() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_provider(Arc::new(Jar::default()))
            .redirect(Policy::none())
            .build()
            .expect("client")
    }

    /// Sets the groups the provider gives `login` in the tokens it issues from now on.
    pub async fn set_groups(&self, login: &str, groups: &[&str]) {
        let answer = reqwest::Client::new()
            .post(format!("{}/test/groups/{login}", self.issuer))
            .header("content-type", "application/json")
            .body(serde_json::to_string(groups).expect("groups"))
            .send()
            .await
            .expect("set groups");
        assert_eq!(answer.status(), 204);
    }

    /// A new signing key, used from now on; the old ones stay published.
    pub async fn rotate_keys(&self) {
        let answer = reqwest::Client::new()
            .post(format!("{}/test/rotate-keys", self.issuer))
            .send()
            .await
            .expect("rotate keys");
        assert_eq!(answer.status(), 200);
    }

    /// The user's part at the provider: from the authorization address the application sent
    /// the browser to, through the login form as `login`, to the address the provider sends the
    /// browser back to (with the code).
    pub async fn log_in(&self, authorize: &str, login: &str) -> String {
        let browser = Self::http();
        let to_login = location(browser.get(authorize).send().await.expect("GET /auth"));
        assert!(to_login.contains("/interaction/"), "{to_login}");
        let back = browser
            .post(&to_login)
            .form(&[("login", login), ("password", "whatever")])
            .send()
            .await
            .expect("POST login");
        location(
            browser
                .get(location(back))
                .send()
                .await
                .expect("GET /auth/uid"),
        )
    }

    /// An ID token for `login` with `nonce`, got as a client would get one (code flow with
    /// PKCE), for checking the application's verification directly.
    pub async fn id_token(&self, login: &str, nonce: &str) -> String {
        let redirect = HARNESS_RETURN;
        let verifier = "a-verifier-of-the-test-harness-that-is-long-enough-for-pkce-0123456789";
        let challenge =
            PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.into()));
        let authorize = reqwest::Url::parse_with_params(
            &format!("{}/auth", self.issuer),
            &[
                ("response_type", "code"),
                ("client_id", CLIENT_ID),
                ("redirect_uri", redirect),
                ("scope", "openid email profile groups"),
                ("state", "test-state"),
                ("nonce", nonce),
                ("code_challenge", challenge.as_str()),
                ("code_challenge_method", "S256"),
            ],
        )
        .expect("authorize url");
        let back = self.log_in(authorize.as_str(), login).await;
        let code = reqwest::Url::parse(&back)
            .expect("callback url")
            .query_pairs()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no code in {back}"));
        let tokens = reqwest::Client::new()
            .post(format!("{}/token", self.issuer))
            .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .expect("token request")
            .text()
            .await
            .expect("token response");
        let tokens: serde_json::Value = serde_json::from_str(&tokens).expect("token JSON");
        tokens["id_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no ID token: {tokens}"))
            .to_owned()
    }
}

fn location(response: reqwest::Response) -> String {
    assert!(
        response.status().is_redirection(),
        "expected a redirect from the provider, got {} at {}",
        response.status(),
        response.url()
    );
    let to = response.headers()["location"].to_str().expect("location");
    response.url().join(to).expect("location url").to_string()
}
