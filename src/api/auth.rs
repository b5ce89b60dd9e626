//! Who calls the API: the holder of a personal API token (`Authorization: Bearer pfj_…`), never a
//! browser session, so a page on another site cannot make a signed-in browser call the API. The
//! token's user is loaded with their roles of the moment, as for a session; a read token may
//! only read. The request's log lines get the user's and the token's ids.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    api::problem::Problem,
    api_tokens::{repo, secret},
    web::{Access, AppError, AppState, CurrentUser},
};

fn unauthorized(detail: &str) -> Response {
    let mut response =
        Problem::new(StatusCode::UNAUTHORIZED, "Inloggning krävs", detail).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"portfolj\""),
    );
    response
}

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let presented = crate::web::client::bearer_token(request.headers());
    let Some(presented) = presented else {
        return unauthorized(
            "Ange en API-nyckel i huvudet Authorization: Bearer <nyckel>. Nycklar skapas under API-nycklar i Portfolj.",
        );
    };
    let caller = match secret::hash_presented(presented) {
        Some(hash) => repo::caller(&state.db, hash).await,
        None => Ok(None),
    };
    let (token, user) = match caller {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            return unauthorized(
                "API-nyckeln är okänd, utgången eller återkallad, eller så är användaren inaktiverad.",
            );
        }
        Err(e) => return AppError::from(e).into_response(),
    };
    let span = tracing::Span::current();
    span.record("user_id", tracing::field::display(user.id));
    span.record("token_id", tracing::field::display(token.token_id));
    if !token.can_write && !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Problem::new(
            StatusCode::FORBIDDEN,
            "Nyckeln får bara läsa",
            "API-nyckeln är skapad för att läsa. Den som får ändra genom API:t kan skapa en nyckel som får läsa och skriva.",
        )
        .into_response();
    }
    request.extensions_mut().insert(user);
    request.extensions_mut().insert(token);
    next.run(request).await
}

/// Refuses a caller whose roles the route does not admit: the same [`Access`] as the page that
/// does the same thing.
pub async fn require(access: Access, request: Request, next: Next) -> Response {
    if access.allows(request.extensions().get::<CurrentUser>()) {
        next.run(request).await
    } else {
        AppError::Forbidden.into_response()
    }
}
