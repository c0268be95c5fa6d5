//! The HTTP surface: Leptos pages and server functions, /healthz, static files, and the rules
//! that every page request passes (first-run setup, sign-in).

use app::auth::session::CallerCache;
use app::documents::files;
use app::error::AppError;
use app::imports::downloads as imports;
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (forms and server-function calls).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let https = state.secure_cookies();
    let own_origin = origin_of(&state.public_url);
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(
            leptos_axum::file_and_error_handler_with_context::<LeptosOptions, _>(
                {
                    let state = state.clone();
                    move || provide_context(state.clone())
                },
                shell,
            ),
        )
        .with_state(options.clone());

    // Built files under /pkg carry a content hash in their names when hashing is on: cache them
    // for a year. Otherwise browsers revalidate them each time (ServeDir answers 304s). A miss is
    // never cached: the file may be on its way in a deployment.
    let pkg_cache = HeaderValue::from_static(if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    });
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let pkg = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            move |response: &Response| response.status().is_success().then(|| pkg_cache.clone()),
        ));

    // Uploads stream through their own size check, not the body limit of forms.
    let files = Router::new()
        .route("/files", post(files::upload))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .route("/files/{id}", get(files::download))
        .route("/files/{id}/inline", get(files::inline))
        .route(
            "/customers/{id}/ship-to-locations.csv",
            get(app::ship_to::csv::download),
        )
        .route(
            "/shared/files/{request_id}",
            get(app::retrieval::download::download),
        )
        .route(
            "/customers/import-template.xlsx",
            get(imports::customers_template),
        )
        .route("/contacts/import-template.xlsx", get(imports::contacts_template))
        .route("/imports/{id}/errors.xlsx", get(imports::errors))
        .route("/customers/export.csv", get(imports::export_csv))
        .route("/customers/export.xlsx", get(imports::export_xlsx));

    Router::new()
        .route("/healthz", get(healthz))
        .merge(files)
        .with_state(state.clone())
        .merge(pkg)
        .merge(pages)
        .layer(middleware::from_fn_with_state(state, page_guard))
        .layer(middleware::map_request(with_caller_cache))
        .layer(middleware::map_response(server_fn_error_status))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(refuse_oversized_bodies))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let own_origin = own_origin.clone();
            async move { refuse_cross_site(request, next, &own_origin).await }
        }))
        // Stored files (their responses name a file) go as they are: most are compressed already,
        // and compressing 25 MB on the fly would cost more than it saves. Pages and server
        // functions go with gzip, not brotli, which browsers prefer when offered both: a big
        // account's page (42 KB) comes to the same 6.8 KB either way, and brotli took 3.5 ms of
        // a 14 ms page, gzip next to nothing. gzip at its fastest level: pages are made afresh
        // for each request, and a higher level costs more CPU than the bytes it saves are worth.
        // The WASM, JS and CSS are brotli, made once (`ServeDir` above).
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(CompressionLevel::Fastest)
                .compress_when(DefaultPredicate::new().and(
                    |_: StatusCode,
                     _: axum::http::Version,
                     headers: &axum::http::HeaderMap,
                     _: &axum::http::Extensions| {
                        !headers.contains_key(header::CONTENT_DISPOSITION)
                    },
                )),
        )
        .layer(middleware::map_response(move |response: Response| async move {
            security_headers(response, https)
        }))
        .layer(TraceLayer::new_for_http())
}

/// Headers every response carries unless it set its own (a stored file keeps its sandbox): no
/// other site may frame a page (clickjacking), no response is read as another type than it says,
/// links out of the app do not carry its paths (which can hold a link's token) to other sites,
/// and over HTTPS the browser keeps to HTTPS for a year.
fn security_headers(mut response: Response, https: bool) -> Response {
    let headers = response.headers_mut();
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// A request that changes something (anything but GET and HEAD) sent by another site's page is
/// refused (403): a form or script elsewhere posting to a server function or an upload with the
/// visitor's cookies. Browsers say where a request comes from (`Sec-Fetch-Site`; older ones
/// `Origin`); a request saying neither is not a browser's cross-site one.
async fn refuse_cross_site(request: Request, next: Next, own_origin: &str) -> Response {
    let changes = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if changes && is_cross_site(request.headers(), own_origin) {
        let error = AppError::Refused(
            "This request came from another site and was refused. Use Clientele's own pages.".into(),
        );
        return (StatusCode::FORBIDDEN, Json(error)).into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &axum::http::HeaderMap, own_origin: &str) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match text("origin") {
        Some(origin) => {
            let host = text("host").unwrap_or_default();
            origin != own_origin && origin.split_once("://").map(|(_, authority)| authority) != Some(host)
        }
        None => false,
    }
}

/// `scheme://host[:port]` of a URL such as `PUBLIC_URL`.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or_default();
    format!("{scheme}://{authority}")
}

/// A server function's body over the limit is refused from its declared length, before any of it
/// is read: 413 with a message (read past the limit, the framework could only fail).
async fn refuse_oversized_bodies(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if request.uri().path().starts_with("/api/") && declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        let error = AppError::Refused(format!(
            "The request is larger than {} MB.",
            BODY_LIMIT / 1024 / 1024
        ));
        return (StatusCode::PAYLOAD_TOO_LARGE, Json(error)).into_response();
    }
    next.run(request).await
}

/// Leptos answers every server-function error with 500; an expected outcome (invalid input, not
/// signed in, not allowed) gets its own status instead, so logs and clients can tell a person's
/// mistake from a fault. The body, the error itself, stays as it is.
async fn server_fn_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => {
            Json(serde_json::json!({"status": "ok", "database": state.db.backend.name()})).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "error", "database": state.db.backend.name()})),
            )
                .into_response()
        }
    }
}

/// An empty `CallerCache` in every request: whoever first asks who is calling fills it.
async fn with_caller_cache(mut request: Request<Body>) -> Request<Body> {
    request.extensions_mut().insert(CallerCache::default());
    request
}

/// Pages need a signed-in staff user; before the first Admin exists, every page leads to setup.
/// Server functions and stored files check the caller themselves; built files and /healthz are open.
/// The Document Retrieval Site (/shared) and the portal (/portal) are for contacts, who sign in there.
async fn page_guard(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let is_page = request.method() == axum::http::Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !path.starts_with("/files/")
        && path != "/shared"
        && !path.starts_with("/shared/")
        && path != "/portal"
        && !path.starts_with("/portal/")
        && path != "/healthz"
        && !path.rsplit('/').next().unwrap_or_default().contains('.');
    if !is_page {
        return next.run(request).await;
    }
    let (headers, uri) = (request.headers().clone(), request.uri().clone());
    let cache = CallerCache::of(request.extensions());
    let decision = async {
        if !state.staff_exists().await? {
            return Ok::<_, AppError>((path != "/setup").then(|| "/setup".to_string()));
        }
        if path == "/setup" {
            return Ok(Some("/login".into()));
        }
        let signed_in = cache.staff(&state, &headers).await?.is_some();
        Ok(match (signed_in, path.as_str()) {
            (true, "/login") => Some("/customers".into()),
            (false, "/login") | (true, _) => None,
            // "Forgot your password?" and its link's page.
            (false, path) if path.starts_with("/login/") => None,
            (false, _) => Some(login_with_next(&uri)),
        })
    };
    match decision.await {
        Ok(Some(to)) => Redirect::to(&to).into_response(),
        Ok(None) => next.run(request).await,
        Err(error) => unavailable_page(&error),
    }
}

/// What a page request gets when the sign-in rules could not be checked: the database is not
/// answering (503), or worse (500). The page tries again by itself, so it comes back when the
/// database does.
fn unavailable_page(error: &AppError) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"10\">\
         <title>Clientele</title></head><body><main><h1>Clientele is not available just now</h1>\
         <p role=\"alert\">{}</p><p>This page tries again every 10 seconds.</p></main></body></html>",
        error
    );
    let mut response = (error.status(), axum::response::Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    response
}

fn login_with_next(uri: &Uri) -> String {
    let target = uri.path_and_query().map_or("/", |pq| pq.as_str());
    if target == "/" {
        return "/login".into();
    }
    let encoded: String = target
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/login?next={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_https_the_browser_is_told_to_keep_to_it_and_a_files_own_policy_stays() {
        let mut own = Response::new(Body::empty());
        own.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox"),
        );
        let served = security_headers(own, true);
        assert_eq!(
            served.headers()[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000"
        );
        assert_eq!(served.headers()[header::CONTENT_SECURITY_POLICY], "sandbox");
        assert_eq!(served.headers()[header::X_FRAME_OPTIONS], "DENY");
        let plain = security_headers(Response::new(Body::empty()), false);
        assert!(!plain.headers().contains_key(header::STRICT_TRANSPORT_SECURITY));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> axum::http::HeaderMap {
        let mut map = axum::http::HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn requests_from_other_sites_are_told_apart_from_this_sites_own() {
        let own = origin_of("https://clientele.example.com/");
        assert_eq!(own, "https://clientele.example.com");
        let cross = |pairs: &[(&'static str, &'static str)]| is_cross_site(&headers(pairs), &own);
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(!cross(&[("sec-fetch-site", "none")]));
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(cross(&[("sec-fetch-site", "same-site")]));
        assert!(!cross(&[("origin", "https://clientele.example.com")]));
        assert!(cross(&[("origin", "https://evil.example")]));
        assert!(cross(&[("origin", "null")]));
        // Behind a proxy, or reached by another name: the Host the browser used.
        assert!(!cross(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(!cross(&[]), "not a browser's cross-site request");
    }
}
