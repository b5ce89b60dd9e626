//! The JSON API under `/api/v1`, for a municipality's integrations. Every endpoint calls the
//! same repositories, operations and policies as the page that does the same thing, and is
//! admitted by the same [`Access`]; it differs only at the edges: a personal API token instead
//! of a session (`auth`), JSON bodies parsed into the pages' forms, problem+json errors
//! (`problem`) and versions as `ETag`/`If-Match` (`version`). The OpenAPI 3.1 document is
//! generated from the handlers' annotations and served with a Swagger UI compiled into the
//! binary.

pub mod auth;
pub mod items;
pub mod outcome;
pub mod problem;
pub mod projects;
pub mod rounds;
pub mod version;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, router::UtoipaMethodRouter, routes};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    paths::{API_DOCS, API_OPENAPI},
    router::groups::{CONTROLLERS, FOLLOW_UP_READERS, IT_CENTER},
    web::{Access, AppError, AppState},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Portfolj API",
        description = "Investeringsprojekt, effektmål, budget och utfall, digitaliseringsportföljen, \
                       prioriteringsomgångar och perioduppföljningar. Anropa med en personlig \
                       API-nyckel (skapas under API-nycklar): `Authorization: Bearer pfj_…`. \
                       Nyckeln har användarens behörigheter. Fel beskrivs som \
                       application/problem+json (RFC 9457). Belopp är decimaltal i kronor, \
                       skrivna som strängar."
    ),
    // `SortKey` is named by the list's query parameter, which does not register it itself.
    components(schemas(problem::Problem, problem::FieldProblem, projects::SortKey)),
    modifiers(&BearerToken)
)]
struct ApiDoc;

/// The API token as the document's one security scheme.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pfj_ och 64 hexadecimala tecken")
                    .build(),
            ),
        );
    }
}

/// The problems any call may meet, documented on every operation: a request that cannot be
/// read (400), no valid token (401), a role or a read token that may not (403), nothing there
/// (404), too slow (408) or the database away (503); and for a call with a body, a body too
/// large (413), not JSON (415) or not the schema (422).
struct CommonProblems;

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |status: &str| {
            ResponseBuilder::new()
                .description(described(status))
                .content(
                    problem::CONTENT_TYPE,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
        };
        let common = ["400", "401", "403", "404", "408", "503"];
        let with_body = ["413", "415", "422"];
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let extra: &[&str] = if operation.request_body.is_some() {
                    &with_body
                } else {
                    &[]
                };
                for status in common.iter().chain(extra) {
                    operation
                        .responses
                        .responses
                        .entry((*status).to_owned())
                        .or_insert_with(|| problem(status).into());
                }
                // OpenAPI requires a description on every response; the endpoints' own
                // annotations name the body, and the status says the rest.
                for (status, response) in &mut operation.responses.responses {
                    if let utoipa::openapi::RefOr::T(response) = response
                        && response.description.is_empty()
                    {
                        response.description = described(status).to_owned();
                    }
                }
            }
        }
    }
}

/// What a status means: the description of the common problems, and of a response whose
/// endpoint does not say.
fn described(status: &str) -> &'static str {
    match status {
        "200" => "Svaret",
        "201" => "Skapat",
        "400" => "Begäran kunde inte läsas",
        "401" => "Ingen giltig API-nyckel",
        "403" => "Behörighet saknas",
        "404" => "Finns inte",
        "408" => "Det tog för lång tid",
        "409" => "Redan skickat",
        "412" => "Versionen har ändrats sedan den lästes",
        "413" => "För mycket data",
        "415" => "Fel innehållstyp",
        "422" => "Uppgifterna behöver rättas",
        "428" => "Versionen saknas (If-Match)",
        "503" => "Databasen är inte tillgänglig",
        _ => "Se svarets innehåll",
    }
}

/// Kronor as the API's document describes them: digits, a point and at most two decimals, a
/// minus sign only where `negative` allows one. Stricter than the forms, which also read
/// "12 500,50" and "1,5 mnkr"; a JSON number is refused before this, since a float may round.
pub fn plain_kronor(text: &str, negative: bool) -> bool {
    let digits = match text.strip_prefix('-') {
        Some(rest) if negative => rest,
        _ => text,
    };
    let (whole, decimals) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (1..=12).contains(&whole.len())
        && (1..=2).contains(&decimals.len())
        && all_digits(whole)
        && all_digits(decimals)
}

/// The message for an amount that is not [`plain_kronor`].
pub const KRONOR_FORMAT: &str =
    "Ange kronor som text med punkt och högst två decimaler, till exempel \"12500.50\".";

/// `value` as a JSON response, written into a buffer of about `size` bytes. axum's `Json`
/// starts at 128 bytes and doubles: nine reallocations for a 35 KB page of projects.
pub fn json_of_size<T: Serialize>(value: &T, size: usize) -> Result<Response, AppError> {
    let mut body = Vec::with_capacity(size);
    serde_json::to_writer(&mut body, value)
        .map_err(|e| AppError::Internal(format!("JSON: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// A route admitted by `access`, as on the pages.
fn guarded(
    access: Access,
    (schemas, paths, route): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    let route = route.route_layer(middleware::from_fn(move |request: Request, next: Next| {
        auth::require(access, request, next)
    }));
    (schemas, paths, route)
}

/// The endpoints and their OpenAPI document.
fn endpoints() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(guarded(Access::SignedIn, routes!(projects::list_projects)))
        .routes(guarded(Access::SignedIn, routes!(projects::show_project)))
        .routes(guarded(Access::SignedIn, routes!(projects::list_goals)))
        .routes(guarded(Access::SignedIn, routes!(projects::list_budget)))
        .routes(guarded(CONTROLLERS, routes!(outcome::record_outcome)))
        .routes(guarded(Access::SignedIn, routes!(items::list_items)))
        .routes(guarded(IT_CENTER, routes!(items::create_item)))
        .routes(guarded(Access::SignedIn, routes!(items::show_item)))
        .routes(guarded(IT_CENTER, routes!(items::update_item)))
        .routes(guarded(Access::SignedIn, routes!(rounds::list_rounds)))
        .routes(guarded(Access::SignedIn, routes!(rounds::show_round)))
        .routes(guarded(FOLLOW_UP_READERS, routes!(rounds::list_follow_ups)))
        .split_for_parts();
    // After the split: only then does the document hold the routes' operations.
    CommonProblems.modify(&mut document);
    (router, document)
}

/// The OpenAPI document as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    endpoints().1
}

async fn not_found() -> axum::response::Response {
    AppError::NotFound.into_response()
}

/// The pages' policy with inline styles allowed (only here).
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                        img-src 'self' data:; font-src 'self'; connect-src 'self'; \
                        form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The API: its endpoints behind the token, and the document and its Swagger UI, which need
/// none. Unknown paths under `/api/v1` answer 404 as a problem, not as a page.
pub fn router(state: &AppState) -> Router<AppState> {
    let (api, document) = endpoints();
    let api = api
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
        .route("/api/v1", axum::routing::any(not_found))
        .route("/api/v1/", axum::routing::any(not_found))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    let docs: Router<AppState> = SwaggerUi::new(API_DOCS).url(API_OPENAPI, document).into();
    // Swagger UI's bundle sets some styles inline; its scripts stay limited to our own files.
    // Its files change only with the binary, so a browser may keep them.
    let docs = docs
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ));
    api.merge(docs)
}

#[cfg(test)]
mod tests {
    use super::plain_kronor;

    #[test]
    fn kronor_are_plain_digits_with_at_most_two_decimals() {
        for good in ["0", "12500", "12500.5", "12500.50", "999999999999.99"] {
            assert!(plain_kronor(good, false), "{good}");
        }
        assert!(plain_kronor("-12500.50", true));
        assert!(!plain_kronor("-12500.50", false));
        for bad in [
            "",
            "-",
            "1e5",
            "12 500",
            "12500,50",
            "1.234",
            "1.",
            ".5",
            "+1",
            "1000000000000",
        ] {
            assert!(!plain_kronor(bad, true), "{bad}");
        }
    }
}
