//! Bulk import and export: templates, previews with row errors, all-or-nothing imports of
//! customers and contacts, the errors download, exports of the list, and a server killed in the
//! middle of an import.

use crate::common;

use app::customers::ListQuery;
use app::imports::columns::{header_title, CUSTOMER_COLUMNS};
use app::imports::table;
use app::imports::{ImportReport, ImportStatus};
use common::imports::*;
use common::portal::contact_on;
use common::*;

on_both_databases!(
    a_customers_file_is_previewed_then_imported_all_or_nothing,
    a_contacts_file_assigns_contacts_by_account_number,
    the_list_exports_its_search_and_the_export_imports_again,
    a_big_import_takes_its_place_in_name_order,
);

async fn a_customers_file_is_previewed_then_imported_all_or_nothing(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let existing = create(&app, "Old Name", "IMP-2", "Salem").await;
    contact_on(&app, existing, "Olga", "olga@x.example").await;
    let mut rows = vec![customer_header()];
    rows.extend((1..=5).map(customer_row));
    rows[3][11] = "jo@".into();
    rows[5][0] = String::new();
    let mut second_contact = customer_row(1);
    second_contact[9] = "Sam".into();
    second_contact[10] = "Second".into();
    second_contact[11] = "sam@import.example".into();
    rows.push(second_contact);
    let id = start_import(&app, "customers", "customers.xlsx", workbook(&rows)).await;

    let preview = previewed(settled(&app, id).await);
    assert_eq!(preview.rows, 5, "the repeated company is one customer");
    assert_eq!((preview.new, preview.existing, preview.bad_rows), (2, 1, 2));
    let problems: Vec<String> = preview.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "Row 4, Contact email: 'jo@' is not an email address.",
            "Row 6, Company name: empty, but required."
        ]
    );
    assert_eq!(preview.matches[0].existing_id, existing);
    assert_eq!(preview.matches[0].by, "account number");
    assert_eq!((preview.new_contacts, preview.matched_contacts), (4, 0));

    // With bad rows, nothing is stored unless the person chooses to leave them out.
    let customers_before = app.count("SELECT COUNT(*) FROM customers").await;
    let (status, body) = run_import(&app, id, true, false).await;
    assert!(status.is_success(), "{status} {body}");
    match settled(&app, id).await {
        ImportStatus::Failed {
            message,
            preview: Some(_),
        } => {
            assert!(
                message.starts_with("Nothing was imported: 2 rows have problems"),
                "{message}"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customers").await,
        customers_before
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 1);

    // The bad rows download as a workbook with what to fix, to correct and upload again.
    let response = app.get(&format!("/imports/{id}/errors.xlsx")).await;
    assert_eq!(response.status(), 200);
    let errors = table::read(&response.bytes().await.unwrap(), "errors.xlsx").unwrap();
    assert_eq!(errors.header.first().map(String::as_str), Some("Row"));
    assert_eq!(errors.header.last().map(String::as_str), Some("What to fix"));
    assert_eq!(errors.rows.len(), 2);
    assert_eq!(errors.rows[0].cells[0], "4");
    assert_eq!(errors.rows[0].cells[1], "Imported Company 000003");
    assert_eq!(
        errors.rows[0].cells.last().unwrap(),
        "Contact email: 'jo@' is not an email address."
    );

    let (status, body) = run_import(&app, id, true, true).await;
    assert!(status.is_success(), "{status} {body}");
    let ImportStatus::Imported { report, .. } = settled(&app, id).await else {
        panic!("not imported");
    };
    assert_eq!(
        report,
        ImportReport {
            created: 2,
            updated: 1,
            skipped: 0,
            left_out: 2,
            contacts_created: 4,
            contacts_assigned: 4,
        }
    );
    let renamed: (String, String) = sqlx::query_as("SELECT name, city FROM customers WHERE id = $1")
        .bind(existing)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(renamed, ("Imported Company 000002".into(), "Portland".into()));
    // Contacts are found by their customers' new names, and no more by the old.
    assert_eq!(
        found_contacts(&app, "imported company 000002").await,
        ["olga@x.example", "person2@import.example"]
    );
    assert_eq!(found_contacts(&app, "old name").await, Vec::<String>::new());
    assert_eq!(
        found_contacts(&app, "imported company 000001").await,
        ["person1@import.example", "sam@import.example"]
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM customer_contacts cc JOIN customers c ON c.id = cc.customer_id
             WHERE c.account_number = 'IMP-1' AND cc.documents_contact = 1"
        )
        .await,
        2,
        "both contacts of a new customer receive its documents"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_activity WHERE action IN ('imported', 'import_updated')")
            .await,
        3
    );
    // The list finds them, in name order.
    let found = every_page(
        &app,
        ListQuery {
            q: "imported company".into(),
            ..ListQuery::default()
        },
    )
    .await;
    let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Imported Company 000001",
            "Imported Company 000002",
            "Imported Company 000004"
        ]
    );

    // A second press imports nothing more.
    let (status, body) = run_import(&app, id, true, true).await;
    assert!(
        matches!(error_of(status, &body), app::error::AppError::Refused(m) if m.contains("imported already"))
    );
}

/// Over a thousand new customers are numbered in name order by the import itself, between the
/// customers already there, and their contacts' assignments carry the contacts' names and texts.
async fn a_big_import_takes_its_place_in_name_order(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    for (name, account) in [
        ("Aardvark Supplies", "OLD-1"),
        ("Imported Company 000600 Annex", "OLD-2"),
        ("Zulu Foods", "OLD-3"),
    ] {
        create(&app, name, account, "Salem").await;
    }
    let mut rows = vec![customer_header()];
    rows.extend((1..=1_200).rev().map(customer_row));
    let id = start_import(&app, "customers", "big.xlsx", workbook(&rows)).await;
    assert_eq!(previewed(settled(&app, id).await).new, 1_200);
    let (status, body) = run_import(&app, id, true, false).await;
    assert!(status.is_success(), "{status} {body}");
    assert!(matches!(settled(&app, id).await, ImportStatus::Imported { .. }));

    let by_name = ids(&app, "SELECT id FROM customers ORDER BY name_key, id").await;
    assert_eq!(by_name.len(), 1_203);
    assert_eq!(
        ids(&app, "SELECT id FROM customers ORDER BY name_order").await,
        by_name
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customers WHERE name_order IS NULL")
            .await,
        0
    );
    // The list reads that order, by name and by a search (SQLite's index keyed by name_order).
    let listed = every_page(&app, ListQuery::default()).await;
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), by_name);
    let found = every_page(
        &app,
        ListQuery {
            q: "company 0006".into(),
            ..ListQuery::default()
        },
    )
    .await;
    let expected: Vec<i64> = listed
        .iter()
        .filter(|c| c.name.to_lowercase().contains("company") && c.name.contains("0006"))
        .map(|c| c.id)
        .collect();
    assert_eq!(expected.len(), 112, "000006, 000060–69, 000600–699 and the Annex");
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), expected);

    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM customer_contacts cc JOIN contacts k ON k.id = cc.contact_id
             WHERE cc.last_name = k.last_name AND cc.first_name = k.first_name AND cc.contact_text = k.name_text"
        )
        .await,
        1_200
    );
    assert_eq!(
        found_contacts(&app, "person1200@").await,
        ["person1200@import.example"]
    );
}

async fn ids(app: &TestApp, sql: &'static str) -> Vec<i64> {
    sqlx::query_scalar(sql).fetch_all(&app.db.pool).await.unwrap()
}

async fn a_contacts_file_assigns_contacts_by_account_number(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let first = create(&app, "Uptown", "A-1", "Portland").await;
    let second = create(&app, "Downtown", "A-2", "Portland").await;
    let third = create(&app, "Midtown", "A-3", "Portland").await;
    let bo = contact_on(&app, first, "Bo", "bo@x.example").await;
    let csv = "\u{feff}First name;Last name;Email;Phone;Job title;Account numbers\r\n\
               Ana;Lima;ana@x.example;;Buyer;\"A-1, a-2\"\r\n\
               Bo;Updated;BO@x.example;;;A-2\r\n\
               Cy;Do;cy@x.example;;;NOPE\r\n";
    let id = start_import(&app, "contacts", "contacts.csv", csv.as_bytes().to_vec()).await;
    let preview = previewed(settled(&app, id).await);
    assert_eq!(
        (preview.rows, preview.new, preview.existing, preview.bad_rows),
        (3, 1, 1, 1)
    );
    assert_eq!(
        preview.problems[0].to_string(),
        "Row 4, Account numbers: no customer has the account number 'NOPE'."
    );
    assert_eq!(preview.matches[0].existing_id, bo);

    run_import(&app, id, true, true).await;
    let ImportStatus::Imported { report, .. } = settled(&app, id).await else {
        panic!("not imported");
    };
    assert_eq!(
        (
            report.created,
            report.updated,
            report.left_out,
            report.contacts_assigned
        ),
        (1, 1, 1, 3)
    );
    let last: String = sqlx::query_scalar("SELECT last_name FROM contacts WHERE id = $1")
        .bind(bo)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(last, "Updated");
    assert_eq!(
        found_contacts(&app, "downtown").await,
        ["ana@x.example", "BO@x.example"],
        "contacts are found by the customers the import assigned them to"
    );
    for (customer, expected) in [(first, 2), (second, 2)] {
        let assigned: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM customer_contacts WHERE customer_id = $1")
                .bind(customer)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(assigned, expected, "contacts of customer {customer}");
    }

    // Skipping an existing contact keeps their details but still assigns them.
    let csv = "First name,Last name,Email,Account numbers\nBo,Renamed,bo@x.example,A-3\n";
    let id = start_import(&app, "contacts", "again.csv", csv.as_bytes().to_vec()).await;
    settled(&app, id).await;
    run_import(&app, id, false, false).await;
    let ImportStatus::Imported { report, .. } = settled(&app, id).await else {
        panic!("not imported");
    };
    assert_eq!((report.skipped, report.contacts_assigned), (1, 1));
    let (last, assigned): (String, i64) = sqlx::query_as(
        "SELECT c.last_name, (SELECT COUNT(*) FROM customer_contacts WHERE customer_id = $2 AND contact_id = c.id)
         FROM contacts c WHERE c.id = $1",
    )
    .bind(bo)
    .bind(third)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((last.as_str(), assigned), ("Updated", 1));
    assert_eq!(found_contacts(&app, "midtown").await, ["BO@x.example"]);
}

/// The emails of the contacts the Contacts page finds for `q`, in its order.
async fn found_contacts(app: &TestApp, q: &str) -> Vec<String> {
    let (status, body) = app.call("contacts/list", &[("q", q)]).await;
    assert!(status.is_success(), "contacts/list: {status} {body}");
    let page: app::contacts::ContactListPage = serde_json::from_str(&body).expect("contacts page");
    page.rows.into_iter().map(|row| row.contact.email).collect()
}

async fn the_list_exports_its_search_and_the_export_imports_again(engine: Engine) {
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let risky = create(&app, "=1+2 Foods", "EX-1", "Portland").await;
    create(&app, "Plain Foods", "EX-2", "Salem").await;
    create(&app, "Other Trade", "EX-3", "Boston").await;
    contact_on(&app, risky, "Ana", "ana@foods.example").await;
    contact_on(&app, risky, "Bo", "bo@foods.example").await;

    let response = app.get("/customers/export.csv?q=foods").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("customers.csv"));
    let csv = response.text().await.unwrap();
    let exported_csv = csv.clone().into_bytes();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        CUSTOMER_COLUMNS
            .iter()
            .map(|c| c.title)
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(
        lines.len(),
        4,
        "two contacts of one customer, one customer without: {lines:?}"
    );
    assert!(
        lines[1].starts_with("'=1+2 Foods,EX-1,"),
        "a formula is defused: {}",
        lines[1]
    );
    assert!(lines[3].starts_with("Plain Foods,EX-2,"));

    let response = app.get("/customers/export.xlsx?q=foods").await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let exported = table::read(&bytes, "customers.xlsx").unwrap();
    assert_eq!(exported.rows.len(), 3);
    assert_eq!(
        exported.rows[0].cells[0], "=1+2 Foods",
        "written as text, not as a formula"
    );

    // What was exported imports again as the customers it came from; CSV cells escaped against
    // formulas read as they were, so updating from the export changes nothing.
    for (name, bytes) in [("customers.xlsx", bytes), ("customers.csv", exported_csv)] {
        let id = start_import(&app, "customers", name, bytes).await;
        let preview = previewed(settled(&app, id).await);
        assert_eq!(
            (preview.rows, preview.new, preview.existing, preview.bad_rows),
            (2, 0, 2, 0),
            "{name}"
        );
        assert_eq!(preview.matched_contacts, 2, "{name}");
        run_import(&app, id, true, false).await;
        assert!(
            matches!(settled(&app, id).await, ImportStatus::Imported { .. }),
            "{name}"
        );
    }
    let name: String = sqlx::query_scalar("SELECT name FROM customers WHERE id = $1")
        .bind(risky)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "=1+2 Foods");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_template_reads_back_and_its_example_row_is_never_imported() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    let response = app.get("/customers/import-template.xlsx").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], app::spreadsheet::XLSX);
    let bytes = response.bytes().await.unwrap().to_vec();
    let template = table::read(&bytes, "template.xlsx").unwrap();
    let titles: Vec<String> = CUSTOMER_COLUMNS.iter().map(header_title).collect();
    assert_eq!(template.header, titles);
    assert_eq!(template.header[0], "Company name (required)");
    assert_eq!(template.rows[0].cells[0], "Example Coffee Co");

    let id = start_import(&app, "customers", "template.xlsx", bytes).await;
    let preview = previewed(settled(&app, id).await);
    assert!(preview.example_row_skipped);
    assert_eq!((preview.rows, preview.new), (0, 0));

    let contacts = app.get("/contacts/import-template.xlsx").await;
    assert_eq!(contacts.status(), 200);

    // None of the spreadsheets are handed to someone not signed in.
    let stranger = new_client();
    for path in [
        "/customers/import-template.xlsx".to_string(),
        "/customers/export.csv".to_string(),
        "/customers/export.xlsx".to_string(),
        format!("/imports/{id}/errors.xlsx"),
    ] {
        let response = stranger.get(format!("{}{path}", app.url)).send().await.unwrap();
        assert_eq!(response.status(), 401, "{path}");
    }
    let (status, _) = call_as(&stranger, &app.url, "imports/status", &[("id", &id.to_string())]).await;
    assert_eq!(status, 401);
}

/// Every malformed file gets a sentence saying what is wrong, at upload or at preview.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_files_are_refused_with_a_clear_message() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;

    let (status, body) = upload_as(&app.client, &app.url, "import", "fake.xlsx", b"hello".to_vec()).await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("file")
        .unwrap()
        .contains("does not hold what its name says"));

    let answer = answer_to_declared_length(&app, "import", "big.csv", 50 * 1024 * 1024 + 1).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("'big.csv' is larger than 50 MB"), "{answer}");
    // Exactly 50 MB is taken (and then read: a CSV of one column's worth of text).
    let mut largest = b"Company name,Street,City,Postal code,Country\n".to_vec();
    largest.resize(50 * 1024 * 1024, b'a');
    upload_ok(&app, "import", "largest.csv", largest).await;

    let failed = |status: ImportStatus| match status {
        ImportStatus::Failed {
            message,
            preview: None,
        } => message,
        other => panic!("expected a failure, got {other:?}"),
    };
    let mut not_a_workbook = Vec::new();
    {
        let mut zip = zip_writer(&mut not_a_workbook);
        zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut zip, b"hi").unwrap();
        zip.finish().unwrap();
    }
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "archive.xlsx",
            not_a_workbook,
            "is a zip archive but not an Excel workbook",
        ),
        (
            "no-header.csv",
            b"Acme,1 Main St,Portland,97201,US\n".to_vec(),
            "has a header row but no rows below it",
        ),
        (
            "data-first.csv",
            b"Acme,1 Main St\nBeta,2 Main St\n".to_vec(),
            "is its header row missing?",
        ),
        (
            "columns.csv",
            b"Company name,Street,City,Country\nAcme,1 Main St,Portland,US\n".to_vec(),
            "has no column 'Postal code'",
        ),
    ];
    for (name, bytes, expected) in cases {
        let id = start_import(&app, "customers", name, bytes).await;
        let message = failed(settled(&app, id).await);
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            message.contains(name),
            "{name}: the message names the file: {message}"
        );
    }
}

fn zip_writer(buffer: &mut Vec<u8>) -> zip::ZipWriter<std::io::Cursor<&mut Vec<u8>>> {
    zip::ZipWriter::new(std::io::Cursor::new(buffer))
}

/// The server doing an import is killed (SIGKILL) while it writes rows; afterwards the database
/// holds none of them, and the import can be run again to completion.
async fn a_server_killed_during_an_import_leaves_all_rows_or_none(engine: Engine) {
    const ROWS: usize = 40_000;
    let app = TestApp::start(engine).await;
    app.set_up_admin().await;
    let mut rows = vec![customer_header()];
    rows.extend((1..=ROWS).map(customer_row));
    let id = start_import(&app, "customers", "large.xlsx", workbook(&rows)).await;
    assert_eq!(previewed(settled(&app, id).await).new, ROWS);

    let (mut server, url) = spawn_server(&app, None);
    wait_until_up(&url).await;
    let (status, body) = call_as(
        &app.client,
        &url,
        "imports/run",
        &[
            ("id", &id.to_string()),
            ("update_existing", "false"),
            ("good_rows_only", "false"),
        ],
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let mut seen_writing = false;
    for _ in 0..2000 {
        let (_, body) = call_as(&app.client, &url, "imports/status", &[("id", &id.to_string())]).await;
        match serde_json::from_str::<ImportStatus>(&body).expect("status") {
            ImportStatus::Importing { done, .. } if done > 0 => {
                seen_writing = true;
                break;
            }
            ImportStatus::Imported { .. } => break,
            _ => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
        }
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    assert!(seen_writing, "the server was killed while it wrote rows");

    let imported = app.count("SELECT COUNT(*) FROM customers").await;
    let marked = app
        .count("SELECT COUNT(*) FROM imports WHERE imported_at IS NOT NULL")
        .await;
    assert!(
        (imported, marked) == (0, 0) || (imported, marked) == (ROWS as i64, 1),
        "all of the rows or none, and the upload marked imported exactly when they are there: {imported} rows, marked {marked}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, imported);

    if imported == 0 {
        // This server never heard of the import run; the upload is there to import again.
        let (status, body) = run_import(&app, id, false, false).await;
        assert!(status.is_success(), "{status} {body}");
        let ImportStatus::Imported { report, .. } = settled(&app, id).await else {
            panic!("not imported");
        };
        assert_eq!(report.created, ROWS);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM customers").await, ROWS as i64);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM customer_contacts").await,
        ROWS as i64
    );
}

on_both_databases!(a_server_killed_during_an_import_leaves_all_rows_or_none);
