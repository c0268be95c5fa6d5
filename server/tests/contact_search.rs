//! The Contacts page over HTTP, on SQLite and on PostgreSQL: keyset pages in name order and
//! search by any part of a name, email or customer, with matches that cluster in name order or
//! spread through it.

use crate::common;
use app::contacts::ContactListPage;
use app::sql::{rows_per_statement, Bind, Sql};
use common::*;

/// Contacts `(first name, last name, email)` straight into the database, none at a customer.
async fn insert_contacts(app: &TestApp, contacts: impl Iterator<Item = (String, String, String)>) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    let rows: Vec<Vec<Bind>> = contacts
        .map(|(first, last, email)| {
            let text = app::contacts::db::name_text_of(&first, &last, &email);
            vec![
                Bind::Text(first),
                Bind::Text(last),
                Bind::Text(email.clone()),
                Bind::Text(email.to_lowercase()),
                Bind::Text(text.clone()),
                Bind::Text(text),
                Bind::Int(0),
                Bind::Int(0),
            ]
        })
        .collect();
    insert_rows(
        &mut conn,
        "INSERT INTO contacts (first_name, last_name, email, email_key, name_text, search_text, created_at, updated_at)",
        &rows,
    )
    .await;
}

/// `rows` (each the same columns as `head` names) in as few statements as the database takes.
async fn insert_rows(conn: &mut sqlx::AnyConnection, head: &str, rows: &[Vec<Bind>]) {
    let Some(columns) = rows.first().map(Vec::len) else {
        return;
    };
    for chunk in rows.chunks(rows_per_statement(columns)) {
        Sql::insert_values(&*conn, head, chunk.iter().cloned(), "")
            .into_query()
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

/// Contacts whose matches cluster in name order (every Novak sorts together, after 20,000 others)
/// and whose matches spread through it (a first name): the first two pages, in both directions,
/// are exactly the matches in order. On PostgreSQL these are words its planner expects hundreds
/// to thousands of, which are walked a little, then gathered from the trigram index.
async fn clustered_and_spread_contacts_page_in_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    insert_contacts(
        &app,
        (0..22_000).map(|n| {
            let first = if n % 20 == 0 { "Lena" } else { "Filler" };
            let last = if n >= 21_000 {
                "Novak".to_string()
            } else {
                format!("M{n:05}")
            };
            (first.into(), last, format!("person{n}@example.com"))
        }),
    )
    .await;
    if let Engine::Postgres = engine {
        // As autovacuum does on a live server after many rows arrive.
        sqlx::query("ANALYZE contacts")
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    for word in ["novak", "lena"] {
        if let Engine::Postgres = engine {
            let mut probe = Sql::default();
            probe.push("SELECT c.id FROM contacts c WHERE c.search_text LIKE ");
            probe.bind(Bind::Text(format!("%{word}%")));
            let expected = app::sql::estimated_rows(&app.db.pool, &probe).await.unwrap();
            assert!(
                app::sql::gathers_on_postgres(expected),
                "{word}: estimated {expected}"
            );
        }
        for backwards in [false, true] {
            let order = if backwards { "DESC" } else { "ASC" };
            let mut expected: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM contacts WHERE search_text LIKE $1
                 ORDER BY last_name {order}, first_name {order}, id {order} LIMIT 100"
            )))
            .bind(format!("%{word}%"))
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
            let (first, second) = if backwards {
                let last = contacts_list(&app, &[("q", word), ("last", "true")]).await;
                let before = last.rows[0].contact.id.to_string();
                let earlier = contacts_list(&app, &[("q", word), ("before", &before)]).await;
                expected.reverse();
                (earlier, last)
            } else {
                let first = contacts_list(&app, &[("q", word)]).await;
                let after = first.rows.last().unwrap().contact.id.to_string();
                let next = contacts_list(&app, &[("q", word), ("after", &after)]).await;
                (first, next)
            };
            let found: Vec<i64> = first
                .rows
                .iter()
                .chain(&second.rows)
                .map(|r| r.contact.id)
                .collect();
            assert_eq!(
                found,
                expected,
                "{word} from the {}",
                if backwards { "end" } else { "start" }
            );
        }
    }
    // + Add Contacts finds the same first contacts.
    found_contacts(&app, "novak").await;
}

/// `count` contacts `Filler Nnnnn <fillerN@example.com>` straight into the database, each at the
/// customer `customers[n % len]`: enough that the trigrams of "example.com" are common.
pub(crate) async fn filler_contacts(app: &TestApp, count: usize, customers: &[i64]) {
    insert_contacts(
        app,
        (0..count).map(|n| {
            (
                "Filler".into(),
                format!("N{n:05}"),
                format!("filler{n}@example.com"),
            )
        }),
    )
    .await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    if customers.is_empty() {
        return;
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM contacts WHERE first_name = 'Filler' ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let pairs: Vec<Vec<Bind>> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| {
            vec![
                Bind::Int(customers[n % customers.len()]),
                Bind::Int(*id),
                Bind::Int(0),
            ]
        })
        .collect();
    insert_rows(
        &mut conn,
        "INSERT INTO customer_contacts (customer_id, contact_id, added_at)",
        &pairs,
    )
    .await;
}

async fn contacts_list(app: &TestApp, fields: &[(&str, &str)]) -> ContactListPage {
    let (status, body) = app.call("contacts/list", fields).await;
    assert!(status.is_success(), "contacts/list: {status} {body}");
    serde_json::from_str(&body).expect("contacts page")
}

async fn found_contacts(app: &TestApp, q: &str) -> Vec<String> {
    let page = contacts_list(app, &[("q", q)]).await;
    let (status, body) = app.call("contacts/search", &[("q", q)]).await;
    assert!(status.is_success(), "{body}");
    let picked: Vec<app::contacts::Contact> = serde_json::from_str(&body).unwrap();
    let listed: Vec<String> = page.rows.iter().map(|r| r.contact.email.clone()).collect();
    let emails: Vec<String> = picked.iter().map(|c| c.email.clone()).collect();
    assert_eq!(
        listed[..listed.len().min(app::contacts::SEARCH_LIMIT as usize)],
        emails,
        "the Contacts page and + Add Contacts find the same for {q:?}"
    );
    listed
}

async fn contacts_are_found_by_any_part_of_name_email_or_customer(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let quokka = create(&app, "Quokka Roasters", "ZX-77", "Reykjavík").await;
    let other = create(&app, "Plain Bakery", "PB-1", "Lyon").await;
    // Searched before there is anything to find: what the searches remember of the trigram
    // indexes (none hold "zoe" or "example.com") chooses how they run, never what they find.
    assert!(found_contacts(&app, "zoe").await.is_empty());
    assert!(found_contacts(&app, "example.com").await.is_empty());
    // Common trigrams ("exa", "com", "ler"): these searches walk the name order instead.
    filler_contacts(&app, 6_000, &[other]).await;
    let (status, body) = app
        .call(
            "contacts/create",
            &[
                ("customer_id", &quokka.to_string()),
                ("contact[first_name]", "Zoë"),
                ("contact[last_name]", "Müller"),
                ("contact[email]", "zoe.mueller@harbor.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let zoe: i64 = serde_json::from_str(&body).unwrap();
    let only_zoe = vec!["zoe.mueller@harbor.example".to_string()];
    for q in [
        "zoe",
        "ZOË MÜLLER",
        "muller zoe",
        "mueller@harb",
        "quokka",
        "quokka zoë",
        "zx-77",
        "reykjavik",
    ] {
        assert_eq!(found_contacts(&app, q).await, only_zoe, "query {q:?}");
    }
    assert!(found_contacts(&app, "zoe lyon").await.is_empty());
    assert!(found_contacts(&app, "100%").await.is_empty());
    // A common word: every match, in name order.
    let fillers = found_contacts(&app, "example.com").await;
    assert_eq!(fillers.len(), 50);
    assert!(fillers.iter().all(|e| e.ends_with("@example.com")));
    assert_eq!(fillers[0], "filler0@example.com");
    assert_eq!(
        found_contacts(&app, "filler5999@").await,
        ["filler5999@example.com"]
    );

    // The customer's name follows a rename, an unassignment and the Trash.
    let mut renamed = company("Wombat Roasters", "ZX-77", "Reykjavík");
    let id = quokka.to_string();
    renamed.extend([("id", id.as_str()), ("version", "1"), ("active", "on")]);
    let (status, body) = app.call("customers/update", &renamed).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(found_contacts(&app, "wombat zoe").await, only_zoe);
    assert!(found_contacts(&app, "quokka").await.is_empty());
    let (status, body) = app.call("customers/delete", &[("ids[0]", &id)]).await;
    assert!(status.is_success(), "{body}");
    assert!(found_contacts(&app, "wombat").await.is_empty());
    assert_eq!(found_contacts(&app, "zoe").await, only_zoe);
    let (status, body) = app.call("customers/restore", &[("id", &id)]).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(found_contacts(&app, "wombat").await, only_zoe);
    let (status, body) = app
        .call(
            "contacts/unassign",
            &[("customer_id", &id), ("contact_id", &zoe.to_string())],
        )
        .await;
    assert!(status.is_success(), "{body}");
    assert!(found_contacts(&app, "wombat").await.is_empty());
}

async fn contacts_pages_cover_every_contact_once_in_name_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    filler_contacts(&app, 240, &[]).await;
    let mut seen: Vec<(String, i64)> = Vec::new();
    let mut page = contacts_list(&app, &[("q", "")]).await;
    assert!(!page.has_previous);
    loop {
        seen.extend(
            page.rows
                .iter()
                .map(|r| (r.contact.last_name.clone(), r.contact.id)),
        );
        let Some(last) = page.rows.last().filter(|_| page.has_next) else {
            break;
        };
        page = contacts_list(&app, &[("q", ""), ("after", &last.contact.id.to_string())]).await;
        assert!(page.has_previous);
    }
    assert_eq!(seen.len(), 240);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in name order, once each");
    let last = contacts_list(&app, &[("q", ""), ("last", "true")]).await;
    let ids = |rows: &[app::contacts::ContactRow]| rows.iter().map(|r| r.contact.id).collect::<Vec<_>>();
    assert_eq!(
        ids(&last.rows),
        seen[190..].iter().map(|s| s.1).collect::<Vec<_>>()
    );
    assert!(last.has_previous && !last.has_next);
    let before = contacts_list(
        &app,
        &[("q", ""), ("before", &last.rows[0].contact.id.to_string())],
    )
    .await;
    assert_eq!(
        ids(&before.rows),
        seen[140..190].iter().map(|s| s.1).collect::<Vec<_>>()
    );
    assert!(before.has_previous && before.has_next);
}

on_both_databases!(
    clustered_and_spread_contacts_page_in_order,
    contacts_are_found_by_any_part_of_name_email_or_customer,
    contacts_pages_cover_every_contact_once_in_name_order,
);
