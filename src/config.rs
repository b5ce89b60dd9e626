//! Typed settings read from the environment; `.env.example` documents every variable.

use std::{
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    time::Duration,
};

/// Everything the server needs to start, parsed once at start-up.
#[derive(Debug, Clone)]
pub struct Config {
    /// `PORTFOLJ_ADDR`: where to listen.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: an external PostgreSQL. When unset, a private server is started.
    pub database_url: Option<String>,
    /// `DATABASE_READ_URL`: a streaming replica of `DATABASE_URL`'s database, for the
    /// read-only pages (`web::replica`). Unset: everything reads from the primary.
    pub database_read_url: Option<String>,
    /// `PORTFOLJ_READ_YOUR_WRITES_SECONDS`: after a user's change, their pages read from the
    /// primary this long, so replication lag never hides their own write. Default 10.
    pub read_your_writes: Duration,
    /// `PORTFOLJ_MIGRATION_DATABASE_URL`: the role that owns the tables and runs migrations,
    /// when `DATABASE_URL` names a runtime role with fewer privileges.
    pub migration_database_url: Option<String>,
    /// `PORTFOLJ_DATA_DIR`: where the private PostgreSQL keeps its data.
    pub data_dir: PathBuf,
    /// `PORTFOLJ_DEMO`: load demo data and show the demo accounts on the sign-in page.
    pub demo: bool,
    /// `PORTFOLJ_SECURE_COOKIES`: served over https, so cookies get `Secure` and `__Host-` and
    /// HSTS is sent. Default: on unless the server listens on a loopback address only.
    pub secure_cookies: bool,
    /// `PORTFOLJ_TRUSTED_PROXIES`: addresses of the reverse proxies in front of the server. Only
    /// a request arriving from one of them has its client address taken from `X-Forwarded-For`.
    pub trusted_proxies: Vec<IpAddr>,
    /// `PORTFOLJ_ALLOW_DEMO_ON_NETWORK`: demo accounts (password "demo") may be served on an
    /// address other than loopback. Off: the server refuses to start that way.
    pub allow_demo_on_network: bool,
    /// `PORTFOLJ_SESSION_IDLE_MINUTES`: a session ends after this long without a request.
    pub session_idle: Duration,
    /// `PORTFOLJ_SESSION_MAX_HOURS`: a session ends this long after sign-in, however active.
    pub session_max: Duration,
    /// `PORTFOLJ_REQUEST_TIMEOUT_SECONDS`: a request taking longer is answered 408.
    pub request_timeout: Duration,
    /// `PORTFOLJ_UPLOAD_TIMEOUT_SECONDS`: the same for a file upload (`multipart/form-data`),
    /// whose body is a ledger file that may take many minutes over a slow line. Its form's
    /// token must still arrive within the request timeout.
    pub upload_timeout: Duration,
    /// `PORTFOLJ_MAX_BODY_BYTES`: larger request bodies are refused with 413.
    pub max_body_bytes: usize,
    /// `PORTFOLJ_MAX_LEDGER_BYTES`: the largest ledger file an import accepts (it is streamed
    /// to disk, never held in memory).
    pub max_ledger_bytes: u64,
    /// `PORTFOLJ_DB_POOL_SIZE`: connections in the pool.
    pub db_pool_size: u32,
    /// `PORTFOLJ_METRICS_TOKEN`: `/metrics` on the main address answers a request bearing this
    /// token (at least 16 characters). Unset: not served there.
    pub metrics_token: Option<String>,
    /// `PORTFOLJ_METRICS_ADDR`: a second address that serves `/metrics` alone, without a
    /// token, for a network only the scraper reaches.
    pub metrics_addr: Option<SocketAddr>,
    /// `LOG_FORMAT=json`: structured JSON logs instead of human-readable lines.
    pub log_json: bool,
    /// `PORTFOLJ_PUBLIC_URL`: the address users and integrations reach the server at, behind
    /// its proxy (`https://portfolj.example.se`), for the API's examples and the sign-in
    /// provider's return address. Default: `http://` and `PORTFOLJ_ADDR`.
    pub public_url: String,
    /// `PORTFOLJ_OIDC_*`: single sign-on through the municipality's OpenID provider, when the
    /// issuer is set. Local accounts keep working beside it.
    pub sso: Option<SsoSettings>,
}

/// The OpenID provider and this server's client registration with it.
#[derive(Clone)]
pub struct SsoSettings {
    /// `PORTFOLJ_OIDC_ISSUER`: the provider's issuer (`https://login.example.se/realms/x`); its
    /// discovery document is read from `/.well-known/openid-configuration` below it.
    pub issuer: String,
    /// `PORTFOLJ_OIDC_CLIENT_ID` and `PORTFOLJ_OIDC_CLIENT_SECRET`: the client registered for
    /// Portfolj, with the return address `PORTFOLJ_PUBLIC_URL` + `/logga-in/sso/retur`.
    pub client_id: String,
    pub client_secret: String,
    /// `PORTFOLJ_OIDC_SCOPES`: default `openid email profile groups`.
    pub scopes: Vec<String>,
    /// `PORTFOLJ_OIDC_GROUPS_CLAIM`: the ID-token claim that lists the user's groups (default
    /// `groups`; Keycloak and Entra ID can both be set to send one).
    pub groups_claim: String,
}

// The secret stays out of debug output (and so out of every log).
impl std::fmt::Debug for SsoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("groups_claim", &self.groups_claim)
            .finish_non_exhaustive()
    }
}

/// A setting that was present but could not be understood.
#[derive(Debug, thiserror::Error)]
#[error("invalid value for {name}: {value:?} ({expected})")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    expected: &'static str,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let database_url = get("DATABASE_URL");
        let demo = match get("PORTFOLJ_DEMO") {
            Some(v) => parse_bool("PORTFOLJ_DEMO", &v)?,
            // Demo data belongs to the embedded database; never silently into a real one.
            None => database_url.is_none(),
        };
        let addr: SocketAddr = parse(
            "PORTFOLJ_ADDR",
            get("PORTFOLJ_ADDR"),
            "127.0.0.1:8080",
            "host:port",
        )?;
        let flag = |name: &'static str, default: bool| {
            get(name)
                .map(|v| parse_bool(name, &v))
                .transpose()
                .map(|v| v.unwrap_or(default))
        };
        Ok(Self {
            addr,
            data_dir: get("PORTFOLJ_DATA_DIR")
                .map_or_else(|| PathBuf::from(".data"), PathBuf::from),
            demo,
            // Anything reachable from the network is served through the TLS proxy that
            // OPERATIONS.md requires; plain http is for a developer's own machine.
            secure_cookies: flag("PORTFOLJ_SECURE_COOKIES", !addr.ip().is_loopback())?,
            trusted_proxies: get("PORTFOLJ_TRUSTED_PROXIES")
                .map(|v| parse_addresses("PORTFOLJ_TRUSTED_PROXIES", &v))
                .transpose()?
                .unwrap_or_default(),
            allow_demo_on_network: flag("PORTFOLJ_ALLOW_DEMO_ON_NETWORK", false)?,
            session_idle: minutes(parse(
                "PORTFOLJ_SESSION_IDLE_MINUTES",
                get("PORTFOLJ_SESSION_IDLE_MINUTES"),
                "30",
                "minutes",
            )?),
            session_max: minutes(
                60 * parse::<u64>(
                    "PORTFOLJ_SESSION_MAX_HOURS",
                    get("PORTFOLJ_SESSION_MAX_HOURS"),
                    "12",
                    "hours",
                )?,
            ),
            request_timeout: Duration::from_secs(parse(
                "PORTFOLJ_REQUEST_TIMEOUT_SECONDS",
                get("PORTFOLJ_REQUEST_TIMEOUT_SECONDS"),
                "30",
                "seconds",
            )?),
            upload_timeout: Duration::from_secs(parse(
                "PORTFOLJ_UPLOAD_TIMEOUT_SECONDS",
                get("PORTFOLJ_UPLOAD_TIMEOUT_SECONDS"),
                "3600",
                "seconds",
            )?),
            max_body_bytes: parse(
                "PORTFOLJ_MAX_BODY_BYTES",
                get("PORTFOLJ_MAX_BODY_BYTES"),
                "2097152",
                "bytes",
            )?,
            max_ledger_bytes: parse(
                "PORTFOLJ_MAX_LEDGER_BYTES",
                get("PORTFOLJ_MAX_LEDGER_BYTES"),
                "1073741824",
                "bytes",
            )?,
            db_pool_size: parse(
                "PORTFOLJ_DB_POOL_SIZE",
                get("PORTFOLJ_DB_POOL_SIZE"),
                &default_pool_size().to_string(),
                "count",
            )?,
            metrics_token: match get("PORTFOLJ_METRICS_TOKEN") {
                Some(token) if token.trim().chars().count() < 16 => {
                    return Err(ConfigError {
                        name: "PORTFOLJ_METRICS_TOKEN",
                        value: "(hidden)".to_owned(),
                        expected: "at least 16 characters",
                    });
                }
                token => token.map(|t| t.trim().to_owned()),
            },
            metrics_addr: get("PORTFOLJ_METRICS_ADDR")
                .map(|v| parse("PORTFOLJ_METRICS_ADDR", Some(v), "", "host:port"))
                .transpose()?,
            log_json: get("LOG_FORMAT").is_some_and(|v| v.eq_ignore_ascii_case("json")),
            public_url: match get("PORTFOLJ_PUBLIC_URL") {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                    url.trim().trim_end_matches('/').to_owned()
                }
                Some(url) => {
                    return Err(ConfigError {
                        name: "PORTFOLJ_PUBLIC_URL",
                        value: url,
                        expected: "an http:// or https:// address",
                    });
                }
                None => format!("http://{addr}"),
            },
            migration_database_url: get("PORTFOLJ_MIGRATION_DATABASE_URL"),
            database_read_url: get("DATABASE_READ_URL"),
            read_your_writes: Duration::from_secs(parse(
                "PORTFOLJ_READ_YOUR_WRITES_SECONDS",
                get("PORTFOLJ_READ_YOUR_WRITES_SECONDS"),
                "10",
                "seconds",
            )?),
            database_url,
            sso: sso_settings(&get)?,
        })
    }
}

/// Single sign-on is on when the issuer is set; the client's id and secret must then be set too.
fn sso_settings(get: &impl Fn(&str) -> Option<String>) -> Result<Option<SsoSettings>, ConfigError> {
    let Some(issuer) = get("PORTFOLJ_OIDC_ISSUER") else {
        return Ok(None);
    };
    // Exactly as the provider writes it: its discovery document and its tokens must name the
    // same string, a trailing slash included.
    let issuer = issuer.trim().to_owned();
    let loopback = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"];
    if !issuer.starts_with("https://") && !loopback.iter().any(|l| issuer.starts_with(l)) {
        return Err(ConfigError {
            name: "PORTFOLJ_OIDC_ISSUER",
            value: issuer,
            expected: "an https:// address (http:// only on loopback, for tests)",
        });
    }
    let required = |name: &'static str| {
        get(name).map(|v| v.trim().to_owned()).ok_or(ConfigError {
            name,
            value: String::new(),
            expected: "set whenever PORTFOLJ_OIDC_ISSUER is",
        })
    };
    let scopes =
        get("PORTFOLJ_OIDC_SCOPES").unwrap_or_else(|| "openid email profile groups".into());
    Ok(Some(SsoSettings {
        issuer,
        client_id: required("PORTFOLJ_OIDC_CLIENT_ID")?,
        client_secret: required("PORTFOLJ_OIDC_CLIENT_SECRET")?,
        scopes: scopes.split_whitespace().map(str::to_owned).collect(),
        groups_claim: get("PORTFOLJ_OIDC_GROUPS_CLAIM")
            .map_or_else(|| "groups".to_owned(), |v| v.trim().to_owned()),
    }))
}

/// Two connections per core, between 4 and 32: enough to keep the database busy while some
/// connections wait on the application, few enough that PostgreSQL's backends do not fight the
/// application over the cores (measured in docs/PERFORMANCE.md: on two cores 4 beat 2, 8 and 16
/// on the API's list, and 8 beat 16 and 32 on the list page).
fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores * 2).unwrap_or(32).clamp(4, 32)
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

fn parse<T: std::str::FromStr>(
    name: &'static str,
    value: Option<String>,
    default: &str,
    expected: &'static str,
) -> Result<T, ConfigError> {
    let value = value.unwrap_or_else(|| default.to_owned());
    value.trim().parse().map_err(|_| ConfigError {
        name,
        value,
        expected,
    })
}

fn parse_addresses(name: &'static str, value: &str) -> Result<Vec<IpAddr>, ConfigError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse().map_err(|_| ConfigError {
                name,
                value: value.to_owned(),
                expected: "IP addresses separated by commas",
            })
        })
        .collect()
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError {
            name,
            value: value.to_owned(),
            expected: "1 or 0",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn demo_mode_follows_the_database_unless_told() {
        assert!(config(&[]).unwrap().demo);
        assert!(!config(&[("DATABASE_URL", "postgres://x/y")]).unwrap().demo);
        assert!(
            config(&[("DATABASE_URL", "postgres://x/y"), ("PORTFOLJ_DEMO", "1")])
                .unwrap()
                .demo
        );
    }

    #[test]
    fn defaults_match_the_documentation() {
        let c = config(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.session_idle, Duration::from_secs(30 * 60));
        assert_eq!(c.session_max, Duration::from_secs(12 * 3600));
    }

    #[test]
    fn cookies_are_secure_unless_only_on_loopback() {
        assert!(!config(&[]).unwrap().secure_cookies);
        assert!(
            !config(&[("PORTFOLJ_ADDR", "[::1]:8080")])
                .unwrap()
                .secure_cookies
        );
        assert!(
            config(&[("PORTFOLJ_ADDR", "0.0.0.0:8080")])
                .unwrap()
                .secure_cookies
        );
        let told = config(&[
            ("PORTFOLJ_ADDR", "0.0.0.0:80"),
            ("PORTFOLJ_SECURE_COOKIES", "0"),
        ]);
        assert!(!told.unwrap().secure_cookies);
        assert!(
            config(&[("PORTFOLJ_SECURE_COOKIES", "1")])
                .unwrap()
                .secure_cookies
        );
    }

    #[test]
    fn trusted_proxies_are_addresses() {
        let c = config(&[("PORTFOLJ_TRUSTED_PROXIES", "127.0.0.1, ::1")]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        assert!(config(&[("PORTFOLJ_TRUSTED_PROXIES", "proxy.local")]).is_err());
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        let err = config(&[("PORTFOLJ_ADDR", "localhost")]).unwrap_err();
        assert!(err.to_string().contains("PORTFOLJ_ADDR"));
    }

    #[test]
    fn single_sign_on_needs_its_client_and_keeps_its_secret_out_of_debug_output() {
        assert!(config(&[]).unwrap().sso.is_none());
        let missing = config(&[("PORTFOLJ_OIDC_ISSUER", "https://login.kommun.se/")]).unwrap_err();
        assert!(missing.to_string().contains("PORTFOLJ_OIDC_CLIENT_ID"));
        let sso = config(&[
            ("PORTFOLJ_OIDC_ISSUER", "https://login.kommun.se/"),
            ("PORTFOLJ_OIDC_CLIENT_ID", "portfolj"),
            ("PORTFOLJ_OIDC_CLIENT_SECRET", "hemligt-värde"),
        ])
        .unwrap()
        .sso
        .unwrap();
        assert_eq!(sso.issuer, "https://login.kommun.se/");
        assert_eq!(sso.scopes, ["openid", "email", "profile", "groups"]);
        assert!(!format!("{sso:?}").contains("hemligt"));
        for bad in ["login.kommun.se", "http://login.kommun.se"] {
            let refused = config(&[("PORTFOLJ_OIDC_ISSUER", bad)]).unwrap_err();
            assert!(
                refused.to_string().contains("PORTFOLJ_OIDC_ISSUER"),
                "{bad}"
            );
        }
    }
}
