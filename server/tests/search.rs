//! The customers list over HTTP, on SQLite and on PostgreSQL: keyset pages and search (any part
//! of a name, email, account number, city or contact, ignoring case and accents). The Contacts
//! page's search is in `contact_search.rs`.

use crate::common;
use crate::contact_search::filler_contacts;
use app::customers::{ListQuery, SortKey, StatusFilter};
use app::sql::{Bind, Sql};
use common::*;

async fn keyset_pages_cover_the_list_exactly_once(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 230).await.unwrap();
    for sort in SortKey::ALL {
        let seen = every_page(
            &app,
            ListQuery {
                sort,
                ..ListQuery::default()
            },
        )
        .await;
        assert_eq!(seen.len(), 230, "{sort:?}");
        let mut ids: Vec<i64> = seen.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 230, "{sort:?} repeats a customer");
        let in_order = seen.windows(2).all(|w| match sort {
            SortKey::NameAsc => (w[0].name.to_lowercase(), w[0].id) < (w[1].name.to_lowercase(), w[1].id),
            SortKey::NameDesc => (w[0].name.to_lowercase(), w[0].id) > (w[1].name.to_lowercase(), w[1].id),
            SortKey::NewestFirst => w[0].id > w[1].id && w[0].created_at >= w[1].created_at,
            SortKey::OldestFirst => w[0].id < w[1].id && w[0].created_at <= w[1].created_at,
        });
        assert!(in_order, "{sort:?} out of order");

        // The last page is the end of the same order, and Previous from it goes back one page.
        let last = list(
            &app,
            &ListQuery {
                sort,
                last: true,
                ..ListQuery::default()
            },
        )
        .await;
        assert_eq!(last.rows, seen[180..].to_vec(), "{sort:?} last page");
        assert!(last.has_previous && !last.has_next);
        let before = list(
            &app,
            &ListQuery {
                sort,
                ..ListQuery::default()
            }
            .page_before(last.rows[0].id),
        )
        .await;
        assert_eq!(
            before.rows,
            seen[130..180].to_vec(),
            "{sort:?} page before the last"
        );
        assert!(before.has_previous && before.has_next);
    }
}

async fn search_matches_name_account_number_and_city(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 300).await.unwrap();
    let uptown = create(&app, "Zebra Quokka Coffee", "ZX-77", "Reykjavík").await;
    let search = |q: &str| ListQuery {
        q: q.into(),
        ..ListQuery::default()
    };
    for q in ["zebra", "QUOKKA", "zx-7", "reykjav", "zebra reykjavík", "ZX"] {
        let page = list(&app, &search(q)).await;
        assert_eq!(
            page.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![uptown],
            "query {q}"
        );
    }
    assert!(list(&app, &search("zebra portland")).await.rows.is_empty());
    assert!(list(&app, &search("100%")).await.rows.is_empty());
    // A common word matches many customers, in name order, all of which contain it.
    let page = list(&app, &search("coffee")).await;
    assert!(page.rows.len() > 1);
    assert!(page.rows.iter().all(|r| r.name.to_lowercase().contains("coffee")));
    // Inactive filter.
    let page = list(
        &app,
        &ListQuery {
            status: StatusFilter::Inactive,
            ..ListQuery::default()
        },
    )
    .await;
    assert!(!page.rows.is_empty() && page.rows.iter().all(|r| !r.active));
}

/// Every page of every search, in both orders, against the same search done by hand.
async fn search_pages_follow_the_list_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 1000).await.unwrap();
    // A rename moves a customer in name order and in what the search finds.
    let id = create(&app, "Zz Last Café", "", "Lyon").await.to_string();
    let mut renamed = company("Aa First Roasters", "", "Lyon");
    renamed.extend([("id", id.as_str()), ("version", "1"), ("active", "on")]);
    let (status, body) = app.call("customers/update", &renamed).await;
    assert!(status.is_success(), "{body}");

    let everyone = every_page(&app, ListQuery::default()).await;
    assert_eq!(everyone[0].name, "Aa First Roasters");
    let searchable = |r: &app::customers::CustomerSummary| {
        format!(
            "{} / {} / {}",
            r.name,
            r.account_number.as_deref().unwrap_or(""),
            r.city
        )
        .to_lowercase()
    };
    for q in ["ers", "roasters", "ers mar", "café", "acc-0003", "ly", "zz last"] {
        for sort in [
            SortKey::NameAsc,
            SortKey::NameDesc,
            SortKey::NewestFirst,
            SortKey::OldestFirst,
        ] {
            let expected = sorted(
                everyone
                    .iter()
                    .filter(|r| q.split(' ').all(|w| searchable(r).contains(w)))
                    .map(|r| r.id)
                    .collect(),
                sort,
            );
            let query = ListQuery {
                q: q.into(),
                sort,
                ..ListQuery::default()
            };
            let found: Vec<i64> = every_page(&app, query).await.iter().map(|r| r.id).collect();
            assert_eq!(found, expected, "search {q:?} sorted {sort:?}");
        }
    }
    assert!(everyone.iter().filter(|r| searchable(r).contains("ers")).count() > 50);

    // A group's customers (walked from the group's own index by name), with and without a word,
    // every sort; a member renamed moves in the group too.
    let members: Vec<i64> = everyone.iter().step_by(3).map(|r| r.id).collect();
    let group = new_group(&app, "Every third", &members).await;
    let mut renamed = company("Zz Again Roasters", "", "Lyon");
    renamed.extend([("id", id.as_str()), ("version", "2"), ("active", "on")]);
    let (status, body) = app.call("customers/update", &renamed).await;
    assert!(status.is_success(), "{body}");
    let everyone = every_page(&app, ListQuery::default()).await;
    assert_eq!(
        everyone.last().map(|r| r.name.as_str()),
        Some("Zz Again Roasters")
    );
    for q in ["", "ers"] {
        for sort in SortKey::ALL {
            let expected = sorted(
                everyone
                    .iter()
                    .filter(|r| members.contains(&r.id) && searchable(r).contains(q))
                    .map(|r| r.id)
                    .collect(),
                sort,
            );
            assert!(
                expected.len() > if q.is_empty() { 50 } else { 5 },
                "{q:?}: {expected:?}"
            );
            let query = ListQuery {
                q: q.into(),
                sort,
                group: Some(group),
                ..ListQuery::default()
            };
            let found: Vec<i64> = every_page(&app, query).await.iter().map(|r| r.id).collect();
            assert_eq!(found, expected, "group, search {q:?} sorted {sort:?}");
        }
    }
}

/// A group (straight into the database) of these customers.
async fn new_group(app: &TestApp, name: &str, members: &[i64]) -> i64 {
    let group: i64 = sqlx::query_scalar(
        "INSERT INTO customer_groups (name, name_key, price_adjustment_bp, tax_exempt, created_at, updated_at)
         VALUES ($1, $2, 0, 0, 0, 0) RETURNING id",
    )
    .bind(name.to_string())
    .bind(name.to_lowercase())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    for id in members {
        sqlx::query(
            "INSERT INTO customer_group_members (customer_id, group_id, added_at) VALUES ($1, $2, 0)",
        )
        .bind(*id)
        .bind(group)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    group
}

/// Customer ids in name order, put in `sort`'s order.
fn sorted(mut by_name: Vec<i64>, sort: SortKey) -> Vec<i64> {
    match sort {
        SortKey::NameAsc => {}
        SortKey::NameDesc => by_name.reverse(),
        SortKey::NewestFirst => by_name.sort_by(|a, b| b.cmp(a)),
        SortKey::OldestFirst => by_name.sort(),
    }
    by_name
}

async fn the_customers_list_finds_customers_by_their_contacts(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 300).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers ORDER BY id LIMIT 120")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    // Every one of 120 customers has contacts at example.com: a common word among contacts.
    filler_contacts(&app, 6_000, &ids).await;
    let lena_at = create(&app, "Zebra Provisions", "ZP-1", "Oslo").await;
    let (status, body) = app
        .call(
            "contacts/create",
            &[
                ("customer_id", &lena_at.to_string()),
                ("contact[first_name]", "Lena"),
                ("contact[last_name]", "Nováková"),
                ("contact[email]", "lena.n@zebra.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let search = |q: &str, sort: SortKey| ListQuery {
        q: q.into(),
        sort,
        ..ListQuery::default()
    };
    for q in ["lena novakova", "NOVÁKOVÁ", "lena.n@zeb", "zebra provisions"] {
        let found = every_page(&app, search(q, SortKey::NameAsc)).await;
        assert_eq!(
            found.iter().map(|r| r.id).collect::<Vec<_>>(),
            [lena_at],
            "query {q:?}"
        );
    }
    // Contacts common to many customers: each of them once, in the list's order, every sort.
    for sort in SortKey::ALL {
        let found = every_page(&app, search("example.com", sort)).await;
        let mut got: Vec<i64> = found.iter().map(|r| r.id).collect();
        assert_eq!(got.len(), 120, "{sort:?}");
        let in_order = found.windows(2).all(|w| match sort {
            SortKey::NameAsc => (w[0].name.to_lowercase(), w[0].id) < (w[1].name.to_lowercase(), w[1].id),
            SortKey::NameDesc => (w[0].name.to_lowercase(), w[0].id) > (w[1].name.to_lowercase(), w[1].id),
            SortKey::NewestFirst => w[0].id > w[1].id,
            SortKey::OldestFirst => w[0].id < w[1].id,
        });
        assert!(in_order, "{sort:?} out of order");
        got.sort();
        assert_eq!(got, ids, "{sort:?}");
    }
    // With a filter that leaves few customers (a group; an integration status), those of them
    // with such contacts, in every sort.
    let grouped: Vec<i64> = ids.iter().copied().step_by(7).collect();
    let members: Vec<i64> = grouped.iter().copied().chain([lena_at]).collect();
    let group = new_group(&app, "Few", &members).await;
    for id in &members {
        sqlx::query("UPDATE customers SET integration_status = 'requested' WHERE id = $1")
            .bind(*id)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    for sort in SortKey::ALL {
        for narrowed in [
            ListQuery {
                group: Some(group),
                ..search("example.com", sort)
            },
            ListQuery {
                integration: Some(app::integration::IntegrationStatus::Requested),
                ..search("example.com", sort)
            },
        ] {
            let mut got: Vec<i64> = every_page(&app, narrowed.clone())
                .await
                .iter()
                .map(|r| r.id)
                .collect();
            got.sort();
            assert_eq!(got, grouped, "{narrowed:?}");
        }
    }
    // A word in customers' names and in contacts' emails: both kinds, merged in one order.
    let both = every_page(&app, search("filler1", SortKey::NameAsc)).await;
    assert!(both.len() > 1 && both.len() <= 120);
    // The export takes the same search.
    let response = app.get("/customers/export.csv?q=lena+novakova").await;
    let csv = response.text().await.unwrap();
    assert!(csv.contains("Zebra Provisions"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    // Bulk Configure counts what the list finds: the customers of a word common among contacts
    // and of a word in customers' own names, each once.
    for (q, total) in [("example.com", 120), ("zebra", 1)] {
        let (code, body) = app
            .call("bulk_requirements/customers", &[("q", q), ("status", "all")])
            .await;
        assert!(code.is_success(), "{body}");
        let found: app::bulk_requirements::Candidates = serde_json::from_str(&body).unwrap();
        assert_eq!(found.total, total, "{q:?}");
    }
    // A contact's new name finds its customer in the group at once; the old name no longer does.
    let lena: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email = 'lena.n@zebra.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = app
        .call(
            "contacts/update",
            &[
                ("id", &lena.to_string()),
                ("version", "1"),
                ("contact[first_name]", "Lena"),
                ("contact[last_name]", "Svobodová"),
                ("contact[email]", "lena.s@zebra.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    for (q, expected) in [("svobodova", vec![lena_at]), ("novakova", vec![])] {
        let narrowed = ListQuery {
            group: Some(group),
            ..search(q, SortKey::NameAsc)
        };
        let found: Vec<i64> = every_page(&app, narrowed).await.iter().map(|r| r.id).collect();
        assert_eq!(found, expected, "{q:?} in the group");
    }
}

/// Matches of a word that cluster in name order (every "Coffee …" name sorts together) and
/// matches spread through it (a city): the first pages, in both orders, are exactly the matches
/// in order. On PostgreSQL these are the words its planner expects hundreds to thousands of,
/// which are walked a little, then gathered from the trigram index.
async fn clustered_and_spread_matches_page_in_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    server::seed::customers(&app.db, 20_000).await.unwrap();
    for (word, sql_word) in [("coffee", "%coffee%"), ("portland", "%portland%")] {
        if let Engine::Postgres = engine {
            let mut probe = Sql::default();
            probe.push("SELECT c.id FROM customers c WHERE c.deleted_at IS NULL AND c.search_text LIKE ");
            probe.bind(Bind::Text(sql_word.into()));
            let expected = app::sql::estimated_rows(&app.db.pool, &probe).await.unwrap();
            assert!((500..=10_000).contains(&expected), "{word}: estimated {expected}");
        }
        for sort in [SortKey::NameAsc, SortKey::NameDesc] {
            let order = if sort == SortKey::NameAsc { "ASC" } else { "DESC" };
            let expected: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM customers WHERE deleted_at IS NULL AND search_text LIKE $1
                 ORDER BY name_key {order}, id {order} LIMIT 100"
            )))
            .bind(sql_word)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
            let query = ListQuery {
                q: word.into(),
                sort,
                ..ListQuery::default()
            };
            let first = list(&app, &query).await;
            let last = first.rows.last().map(|r| r.id).unwrap();
            let second = list(&app, &query.page_after(last)).await;
            let found: Vec<i64> = first.rows.iter().chain(&second.rows).map(|r| r.id).collect();
            assert_eq!(found, expected, "{word} sorted {sort:?}");
        }
    }
}

on_both_databases!(
    clustered_and_spread_matches_page_in_order,
    keyset_pages_cover_the_list_exactly_once,
    search_matches_name_account_number_and_city,
    search_pages_follow_the_list_order,
    the_customers_list_finds_customers_by_their_contacts,
);
