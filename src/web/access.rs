//! Who may reach a route. Every route is registered through [`Routes`] with an [`Access`], so
//! the full route × role matrix can be listed (and is, by a test) and no route goes unguarded.

use axum::{
    Router,
    extract::Request,
    handler::Handler,
    http::Method,
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::{MethodRouter, get, post},
};

use crate::{
    domain::role::Role,
    web::{AppError, AppState, CurrentUser},
};

/// The roles allowed on a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in page, health checks).
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in user holding at least one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether `user` (None: not signed in) may pass.
    pub fn allows(self, user: Option<&CurrentUser>) -> bool {
        match (self, user) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::SignedIn, Some(_)) => true,
            (Access::Roles(roles), Some(user)) => roles.iter().any(|r| user.has_role(*r)),
        }
    }

    /// Whether holding `role` alone passes.
    pub fn admits_role(self, role: Role) -> bool {
        match self {
            Access::Public | Access::SignedIn => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

/// One registered route, as the route × role matrix lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// A file upload: no body limit, and the upload timeout instead of the request timeout.
    pub upload: bool,
}

/// A router that records each route's access rule as it guards it.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add((Method::GET, path, false), access, get(handler))
    }

    pub fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add((Method::POST, path, false), access, post(handler))
    }

    /// A POST of a large file, without the body limit of other requests: the handler streams the
    /// body and bounds it itself (a ledger export can be a gigabyte). It has the upload timeout
    /// (`web::middleware`), for a file over a slow line.
    pub fn post_upload<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let route = post(handler).layer(axum::extract::DefaultBodyLimit::disable());
        self.add((Method::POST, path, true), access, route)
    }

    fn add(
        mut self,
        (method, path, upload): (Method, &'static str, bool),
        access: Access,
        route: MethodRouter<AppState>,
    ) -> Self {
        let guarded =
            route.route_layer(middleware::from_fn(move |request: Request, next: Next| {
                require(access, request, next)
            }));
        self.router = self.router.route(path, guarded);
        self.table.push(RouteInfo {
            method,
            path,
            access,
            upload,
        });
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.table)
    }
}

async fn require(access: Access, request: Request, next: Next) -> Response {
    let user = request.extensions().get::<CurrentUser>();
    if access.allows(user) {
        return next.run(request).await;
    }
    if user.is_some() {
        return AppError::Forbidden.into_response();
    }
    Redirect::to(&sign_in_url(&request)).into_response()
}

/// The sign-in page, remembering where to return: the page asked for, or for a form post the
/// page the form is on (`paths::form_page`, known from the post's own path: a browser that
/// sends no `Referer` comes back to its form too).
pub fn sign_in_url(request: &Request) -> String {
    let target = if request.method() == Method::GET {
        request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
    } else {
        Some(crate::paths::form_page(request.uri().path()))
    };
    match target.filter(|t| is_local_path(t) && t != "/") {
        Some(t) => format!(
            "{}?nasta={}",
            crate::paths::sign_in(),
            form_urlencoded::byte_serialize(t.as_bytes()).collect::<String>()
        ),
        None => crate::paths::sign_in(),
    }
}

/// A path on this site, safe as a return address after sign-in. Browsers forgive a lot in a
/// `Location` (they drop tabs and newlines, read `\\` as `/`, and `//host` or `/\\host` as
/// another site), so rather than list what is dangerous this allows only a path of plain URL
/// characters that starts with one slash: no whitespace or control characters, no backslash,
/// no `@`, and no encoded slash or backslash that a proxy or framework might decode later.
pub fn is_local_path(target: &str) -> bool {
    let safe = |b: u8| b.is_ascii_alphanumeric() || b"-._~/?=&%+,;:!*'()".contains(&b);
    let lower = target.to_ascii_lowercase();
    target.len() <= 2000
        && target.starts_with('/')
        && !target.starts_with("//")
        && target.bytes().all(safe)
        && !lower.contains("%2f")
        && !lower.contains("%5c")
        && !lower.contains("%09")
        && !lower.contains("%0a")
        && !lower.contains("%0d")
        && !lower.contains("%00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_return_addresses() {
        assert!(is_local_path("/admin/anvandare?sida=2"));
        assert!(is_local_path("/projekt?sok=Nytt%20beslut&sida=2"));
        assert!(is_local_path("/"));
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "evil",
            "/x\r\nSet-Cookie: a",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5C/evil.example",
            "/%09/evil.example",
            "/@evil.example",
            "/projekt@evil.example",
            "/x\0y",
            "/sök",
        ] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }
}
