//! Every server function, each argument oversized in turn (a 100,000-character text, a number
//! past any count, a list of 20,000): the answer is a 4xx with a message, never a 5xx and never
//! a success. The functions and their arguments are read from the app's source and checked
//! against the functions the server registers, so a function added later is covered too.

use crate::common;

use common::*;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    Number,
    Flag,
    Numbers,
    Texts,
    /// A struct of the app's own (an input form): its fields are checked by its own tests.
    Structure,
}

#[derive(Debug)]
struct Function {
    endpoint: String,
    json: bool,
    args: Vec<(String, Kind)>,
}

fn kind_of(type_name: &str) -> Kind {
    match type_name.trim_start_matches("Option<").trim_end_matches('>') {
        "String" => Kind::Text,
        "i64" | "i32" | "u32" | "u64" | "usize" => Kind::Number,
        "bool" => Kind::Flag,
        "Vec<i64" => Kind::Numbers,
        "Vec<String" => Kind::Texts,
        _ => Kind::Structure,
    }
}

/// `text` split at commas outside brackets.
fn split_top_level(text: &str) -> Vec<String> {
    let (mut parts, mut current, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in text.chars() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The server functions declared in `source`.
fn functions_in(source: &str) -> Vec<Function> {
    let mut found = Vec::new();
    for (at, _) in source.match_indices("#[server(endpoint = \"") {
        let rest = &source[at + "#[server(endpoint = \"".len()..];
        let endpoint = rest.split('"').next().unwrap_or_default().to_string();
        let attribute = rest.split(")]").next().unwrap_or_default();
        let json = attribute.contains("codec::Json");
        let signature = rest.split("pub async fn ").nth(1).unwrap_or_default();
        let open = signature.find('(').expect("a parameter list");
        let mut depth = 0;
        let close = signature[open..]
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map(|(i, _)| open + i)
            .expect("a closed parameter list");
        let args = split_top_level(&signature[open + 1..close])
            .iter()
            .map(|param| {
                let param = param.trim().trim_start_matches("#[server(default)]").trim();
                let (name, type_name) = param.split_once(':').expect("name: Type");
                let type_name: String = type_name.chars().filter(|c| !c.is_whitespace()).collect();
                (name.trim().to_string(), kind_of(&type_name))
            })
            .collect();
        found.push(Function { endpoint, json, args });
    }
    found
}

fn every_function() -> Vec<Function> {
    fn walk(dir: &Path, out: &mut Vec<Function>) {
        for entry in std::fs::read_dir(dir).expect("the app's source") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.extend(functions_in(
                    &std::fs::read_to_string(&path).expect("a source file"),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src"),
        &mut out,
    );
    out
}

const LONG_TEXT_CHARS: usize = 100_000;
const LONG_LIST: usize = 20_000;

/// A form for `function` with `oversized` past every cap and the other arguments ordinary.
fn form(function: &Function, oversized: &str) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for (name, kind) in &function.args {
        let big = name == oversized;
        match kind {
            Kind::Text if big => form.push((name.clone(), "x".repeat(LONG_TEXT_CHARS))),
            Kind::Text => form.push((name.clone(), "a".into())),
            Kind::Number => form.push((name.clone(), if big { i64::MAX.to_string() } else { "1".into() })),
            Kind::Flag => form.push((name.clone(), "false".into())),
            Kind::Numbers | Kind::Texts => {
                let value = if *kind == Kind::Numbers { "1" } else { "a" };
                for i in 0..if big { LONG_LIST } else { 1 } {
                    form.push((format!("{name}[{i}]"), value.into()));
                }
            }
            Kind::Structure => {}
        }
    }
    form
}

fn json(function: &Function, oversized: &str) -> serde_json::Value {
    let mut body = serde_json::Map::new();
    for (name, kind) in &function.args {
        let big = name == oversized;
        let value = match kind {
            Kind::Text if big => serde_json::json!("x".repeat(LONG_TEXT_CHARS)),
            Kind::Text => serde_json::json!("a"),
            Kind::Number if big => serde_json::json!(i64::MAX),
            Kind::Number => serde_json::json!(1),
            Kind::Flag => serde_json::json!(false),
            Kind::Numbers => serde_json::json!(vec![1; if big { LONG_LIST } else { 1 }]),
            Kind::Texts => serde_json::json!(vec!["a"; if big { LONG_LIST } else { 1 }]),
            Kind::Structure => continue,
        };
        body.insert(name.clone(), value);
    }
    serde_json::Value::Object(body)
}

#[test]
fn the_source_reader_finds_every_registered_server_function() {
    let mut read: Vec<String> = every_function()
        .into_iter()
        .map(|f| format!("/api/{}", f.endpoint))
        .collect();
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    read.sort();
    registered.sort();
    assert_eq!(read, registered);
}

/// The answers to each function's arguments sent oversized in turn from `client`, by
/// "endpoint argument": the status and the body.
async fn oversized_calls(
    app: &TestApp,
    client: &reqwest::Client,
) -> std::collections::BTreeMap<String, (reqwest::StatusCode, String, Kind)> {
    let mut answers = std::collections::BTreeMap::new();
    for function in every_function() {
        for (name, kind) in &function.args {
            if matches!(kind, Kind::Flag | Kind::Structure) {
                continue;
            }
            let request = client.post(format!("{}/api/{}", app.url, function.endpoint));
            let request = if function.json {
                request.json(&json(&function, name))
            } else {
                request.form(&form(&function, name))
            };
            let response = request
                .header("Accept", "application/json")
                .send()
                .await
                .expect("a response");
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            answers.insert(
                format!("{} {name}", function.endpoint),
                (status, body, kind.clone()),
            );
        }
    }
    answers
}

/// Every argument of every function, oversized, as the Admin and as a customer's contact signed
/// in to the portal, with a customer, its items and Ship-To Location, a location and a contact
/// in place (each the first of its kind, so the ordinary id 1 names it). Neither caller may get
/// a success or a 5xx, and one of them (the one the function is for) must be refused for the
/// input itself: 413 or 422; for an id, 403 or 404; for a version, 409. The other arguments are ordinary
/// values; and afterwards the Admin is still signed in, so no call went unchecked for want of a
/// session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_each_oversized_argument() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let (customer, _, _) = common::portal::orderable_customer(&app, "Fuzz Foods", "FZ-1").await;
    common::listings::create_location(&app, "Fuzz Plant", "FZ-L").await;
    let contact = common::portal::contact_on(&app, customer, "Fay", "fay@fuzz.example").await;
    let contact_client = common::portal::signed_in_contact(&app, contact, "fay@fuzz.example").await;
    assert_eq!((customer, contact), (1, 1), "the ordinary id names them");

    let as_admin = oversized_calls(&app, &app.client).await;
    let as_contact = oversized_calls(&app, &contact_client).await;
    let mut failures = Vec::new();
    for (call, (admin_status, admin_body, kind)) in &as_admin {
        let (contact_status, contact_body, _) = &as_contact[call];
        // An id past any row is not found, or not the caller's (403); a version past any is not
        // the current one (409): numbers may be refused as what they name.
        let refused_for_input = |status: reqwest::StatusCode| {
            matches!(status.as_u16(), 413 | 422)
                || *kind == Kind::Number && matches!(status.as_u16(), 403 | 404)
                || call.ends_with(" version") && status.as_u16() == 409
        };
        let answered = [(admin_status, admin_body), (contact_status, contact_body)];
        let wrong = answered.iter().find(|(status, body)| {
            !status.is_client_error() || serde_json::from_str::<app::error::AppError>(body).is_err()
        });
        if let Some((status, body)) = wrong {
            failures.push(format!("{call}: {status} {body:.160}"));
        } else if !refused_for_input(*admin_status) && !refused_for_input(*contact_status) {
            failures.push(format!(
                "{call}: not refused for its input ({admin_status} as the Admin {admin_body:.100}, {contact_status} as the contact)"
            ));
        }
    }
    let (status, body) = call_as(&app.client, &app.url, "auth/signed_in_user", &[]).await;
    assert!(
        status.is_success() && body != "null",
        "the Admin is still signed in: {body}"
    );
    let checked = as_admin.len() + as_contact.len();
    assert!(as_admin.len() > 200, "only {} arguments checked", as_admin.len());
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
