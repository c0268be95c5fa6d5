//! The customers list over HTTP, on SQLite and on PostgreSQL: keyset pages and search.

mod common;

use app::customers::{ListQuery, SortKey, StatusFilter};
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
            let mut expected: Vec<i64> = everyone
                .iter()
                .filter(|r| q.split(' ').all(|w| searchable(r).contains(w)))
                .map(|r| r.id)
                .collect();
            match sort {
                SortKey::NameAsc => {}
                SortKey::NameDesc => expected.reverse(),
                SortKey::NewestFirst => expected.sort_by(|a, b| b.cmp(a)),
                SortKey::OldestFirst => expected.sort(),
            }
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
}

on_both_databases!(
    keyset_pages_cover_the_list_exactly_once,
    search_matches_name_account_number_and_city,
    search_pages_follow_the_list_order,
);
