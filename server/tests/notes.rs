//! The Notes tab on SQLite and PostgreSQL: staff add notes signed with their name; only the writer
//! edits or deletes one; each change is in the Activity log with the text before and after.

use crate::common;

use app::activity::ActivityEntry;
use app::notes::{Note, NotesPage};
use common::sharing::ok;
use common::*;

async fn notes_of(client: &reqwest::Client, app: &TestApp, customer: i64) -> Vec<Note> {
    notes_page(client, app, customer, None).await.notes
}

async fn notes_page(
    client: &reqwest::Client,
    app: &TestApp,
    customer: i64,
    before: Option<i64>,
) -> NotesPage {
    let customer = customer.to_string();
    let before = before.map(|id| id.to_string());
    let mut args = vec![("customer_id", customer.as_str())];
    if let Some(before) = &before {
        args.push(("before", before.as_str()));
    }
    let (status, body) = call_as(client, &app.url, "notes/of_customer", &args).await;
    ok(status, &body)
}

async fn staff_keep_notes_and_change_only_their_own(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let id = customer.to_string();
    let sam = app.client_for_new_user("sam@supplier.example", "staff").await;

    let (status, body) = app
        .call("notes/add", &[("customer_id", &id), ("body", " \n ")])
        .await;
    let error = error_of(status, &body);
    assert_eq!(
        error.field_errors().and_then(|e| e.get("body")),
        Some("Note is required.")
    );
    let long = "x".repeat(10_001);
    let (status, body) = app
        .call("notes/add", &[("customer_id", &id), ("body", &long)])
        .await;
    assert!(error_of(status, &body)
        .field_errors()
        .and_then(|e| e.get("body"))
        .unwrap()
        .contains("at most 10000"));
    assert_eq!(app.count("SELECT COUNT(*) FROM customer_notes").await, 0);

    let (status, body) = app
        .call(
            "notes/add",
            &[
                ("customer_id", &id),
                ("body", "Called about Q3 volumes.\nWill order more."),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = call_as(
        &sam,
        &app.url,
        "notes/add",
        &[("customer_id", &id), ("body", "Prefers deliveries on Tuesdays.")],
    )
    .await;
    assert!(status.is_success(), "{body}");

    let notes = notes_of(&app.client, &app, customer).await;
    assert_eq!(notes.len(), 2);
    assert_eq!(
        (notes[0].author_name.as_str(), notes[0].mine),
        ("Sam Staff", false)
    );
    assert_eq!(
        (notes[1].author_name.as_str(), notes[1].mine),
        ("Ada Admin", true)
    );
    assert_eq!(notes[1].body, "Called about Q3 volumes.\nWill order more.");
    let (mine, sams) = (notes[1].clone(), notes[0].clone());

    // Someone else's note can be neither edited nor deleted, by an Admin either.
    let (status, body) = app
        .call(
            "notes/edit",
            &[
                ("id", &sams.id.to_string()),
                ("version", &sams.version.to_string()),
                ("body", "Changed"),
            ],
        )
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Only the person who wrote a note"),
        "{body}"
    );
    let (status, body) = app.call("notes/delete", &[("id", &sams.id.to_string())]).await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("Only the person who wrote a note"),
        "{body}"
    );

    let (status, body) = app
        .call(
            "notes/edit",
            &[
                ("id", &mine.id.to_string()),
                ("version", &mine.version.to_string()),
                ("body", "Called about Q3 volumes."),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    // An edit from a stale tab is refused.
    let (status, body) = app
        .call(
            "notes/edit",
            &[
                ("id", &mine.id.to_string()),
                ("version", &mine.version.to_string()),
                ("body", "Stale"),
            ],
        )
        .await;
    assert!(
        error_of(status, &body)
            .to_string()
            .contains("changed in another tab"),
        "{body}"
    );
    let (status, body) = call_as(&sam, &app.url, "notes/delete", &[("id", &sams.id.to_string())]).await;
    assert!(status.is_success(), "{body}");
    let notes = notes_of(&sam, &app, customer).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body, "Called about Q3 volumes.");
    assert!(notes[0].updated_at >= notes[0].created_at);

    let (status, body) = app.call("activity/of_customer", &[("customer_id", &id)]).await;
    let log: Vec<ActivityEntry> = ok(status, &body);
    let entries: Vec<_> = log
        .iter()
        .filter(|e| e.action.starts_with("note_"))
        .map(|e| {
            (
                e.action.as_str(),
                e.actor_name.as_str(),
                e.before.as_deref(),
                e.after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "note_deleted",
                "Sam Staff",
                Some("Prefers deliveries on Tuesdays."),
                None
            ),
            (
                "note_edited",
                "Ada Admin",
                Some("Called about Q3 volumes.\nWill order more."),
                Some("Called about Q3 volumes.")
            ),
            (
                "note_added",
                "Sam Staff",
                None,
                Some("Prefers deliveries on Tuesdays.")
            ),
            (
                "note_added",
                "Ada Admin",
                None,
                Some("Called about Q3 volumes.\nWill order more.")
            ),
        ]
    );

    // Not signed in: nothing.
    let (status, _) = call_as(
        &new_client(),
        &app.url,
        "notes/of_customer",
        &[("customer_id", &id)],
    )
    .await;
    assert_eq!(status.as_u16(), 401);
}

on_both_databases!(staff_keep_notes_and_change_only_their_own);

/// A long-served account's notes come a page at a time, newest first, and the pages meet
/// without a gap or a repeat.
async fn notes_come_a_page_at_a_time(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let customer = create(&app, "Coffee Uptown", "CU-1", "Seattle").await;
    let id = customer.to_string();
    for n in 1..=60 {
        let (status, body) = app
            .call(
                "notes/add",
                &[("customer_id", &id), ("body", &format!("Call {n}"))],
            )
            .await;
        assert!(status.is_success(), "{body}");
    }
    let first = notes_page(&app.client, &app, customer, None).await;
    let bodies = |page: &NotesPage| page.notes.iter().map(|n| n.body.clone()).collect::<Vec<_>>();
    let newest: Vec<String> = (11..=60).rev().map(|n| format!("Call {n}")).collect();
    assert_eq!(bodies(&first), newest);
    let older = first.older.expect("older notes follow");
    assert_eq!(Some(older), first.notes.last().map(|n| n.id));
    let second = notes_page(&app.client, &app, customer, Some(older)).await;
    let oldest: Vec<String> = (1..=10).rev().map(|n| format!("Call {n}")).collect();
    assert_eq!(bodies(&second), oldest);
    assert_eq!(second.older, None);
}

on_both_databases!(notes_come_a_page_at_a_time);
