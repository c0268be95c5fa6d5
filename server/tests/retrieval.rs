//! The Document Retrieval Site, on SQLite and PostgreSQL: the emailed link (over a real SMTP
//! conversation) leads to an account and the download; a contact reaches only what was sent to
//! their customers; an expired link offers a new one.

use crate::common;

use app::retrieval::{LinkState, SharedPage};
use common::sharing::*;
use common::*;
use reqwest::StatusCode;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

async fn the_email_leads_the_contact_to_an_account_and_the_download(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, request) =
        shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;

    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(received.len(), 1, "the email reached the SMTP server");
    let message = &received[0];
    assert_eq!(message.to, ["ana@coffee.example"]);
    let text = message.readable();
    assert!(
        text.contains("Subject: 1 document shared with Coffee Uptown"),
        "{text}"
    );
    assert!(
        text.contains("text/plain") && text.contains("text/html"),
        "both parts: {text}"
    );
    let link = link_in(message);
    assert!(link.starts_with(&format!("{}/shared/link/", app.url)), "{link}");
    // Only the token's hash is stored.
    let token = token_of(&link);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links WHERE token_hash = $1")
        .bind(app::auth::session::hash_token(&token))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    let plain: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM access_links WHERE token_hash = $1")
        .bind(token.clone())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(plain, 0);
    // The outbox says sent once the server accepted it.
    for _ in 0..50 {
        if app
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await,
        1
    );

    // The contact follows the link: the page opens, then they make an account.
    let contact = new_client();
    let page = contact.get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", &token)]).await;
    assert!(matches!(
        ok::<LinkState>(status, &body),
        LinkState::Valid {
            has_account: false,
            ..
        }
    ));
    let (status, body) = call_as(
        &contact,
        &app.url,
        "shared/create_account",
        &[("token", &token), ("password", "short"), ("confirm", "short")],
    )
    .await;
    assert!(error_of(status, &body)
        .field_errors()
        .unwrap()
        .get("password")
        .is_some());
    let contact = new_contact_account(&app, &link).await;
    let (status, body) = call_as(&contact, &app.url, "shared/documents", &[]).await;
    let shared = ok::<SharedPage>(status, &body).customers;
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].name, "Coffee Uptown");
    assert_eq!(shared[0].groups[0].name, "Plant PA");
    assert_eq!(shared[0].groups[0].documents[0].type_name, "HACCP Plan");
    let download = contact
        .get(format!("{}/shared/files/{request}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf("PA"));
    // Sent again and again, the documents come fifty to a page.
    for _ in 0..59 {
        sqlx::query(
            "INSERT INTO document_requests (customer_id, type_id, location_id, document_id, status, created_at, sent_at)
             SELECT customer_id, type_id, location_id, document_id, status, created_at, sent_at
             FROM document_requests WHERE id = $1",
        )
        .bind(request)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    let page_of = |page: i64| {
        let contact = contact.clone();
        let url = app.url.clone();
        async move {
            let (status, body) =
                call_as(&contact, &url, "shared/documents", &[("page", &page.to_string())]).await;
            let shared: SharedPage = ok(status, &body);
            let ids: Vec<i64> = shared
                .customers
                .iter()
                .flat_map(|c| &c.groups)
                .flat_map(|g| &g.documents)
                .map(|d| d.request_id)
                .collect();
            (shared.total, shared.page, ids)
        }
    };
    let (total, _, first) = page_of(0).await;
    let (_, _, second) = page_of(1).await;
    assert_eq!((total, first.len(), second.len()), (60, 50, 10));
    assert!(
        first.windows(2).all(|w| w[0] > w[1]),
        "newest first within a type"
    );
    assert!(second.iter().all(|id| !first.contains(id)));
    assert_eq!(page_of(9).await.1, 1, "past the end: the last page");
    assert_eq!(
        page_of(app::paging::MOST_PAGES).await.1,
        1,
        "far past the end: the last page"
    );
    let (status, body) = call_as(
        &contact,
        &app.url,
        "shared/documents",
        &[("page", &i64::MAX.to_string())],
    )
    .await;
    assert_eq!(status.as_u16(), 422, "a page past any list: {body}");
    // Staff see the download on the request.
    let row = requests(&app, customer)
        .await
        .into_iter()
        .find(|r| r.id == request)
        .unwrap();
    assert_eq!(row.downloads, 1);
    assert_eq!(row.last_download.unwrap().0, "Ana Lima");

    // A second visit signs in with the password; the link says they have an account.
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", &token)]).await;
    assert!(matches!(
        ok::<LinkState>(status, &body),
        LinkState::Valid {
            has_account: true,
            ..
        }
    ));
    let again = new_client();
    let (status, body) = call_as(
        &again,
        &app.url,
        "shared/sign_in",
        &[("email", "ANA@coffee.example"), ("password", PASSWORD)],
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, _) = call_as(&again, &app.url, "shared/documents", &[]).await;
    assert!(status.is_success());
}

async fn a_contact_sees_only_what_was_sent_to_their_customers(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (_, ours) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    let (other_customer, theirs) =
        shared_haccp_plan(&app, "Tea House", "TH-1", "ben@tea.example", "PB").await;
    // An open (unsent) request of the contact's own customer.
    let received = sink.wait_for(2, Duration::from_secs(20)).await;
    let ana_link = received
        .iter()
        .find(|m| m.to == ["ana@coffee.example"])
        .map(link_in)
        .unwrap();
    let ana = new_contact_account(&app, &ana_link).await;

    let (status, body) = call_as(&ana, &app.url, "shared/documents", &[]).await;
    let shared = ok::<SharedPage>(status, &body).customers;
    assert_eq!(
        shared.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Coffee Uptown"]
    );
    let get = |client: &reqwest::Client, path: String| {
        let client = client.clone();
        async move { client.get(path).send().await.unwrap().status() }
    };
    assert_eq!(
        get(&ana, format!("{}/shared/files/{ours}", app.url)).await,
        StatusCode::OK
    );
    // Another customer's request, a made-up one, not a number: all "not found".
    assert_eq!(
        get(&ana, format!("{}/shared/files/{theirs}", app.url)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&ana, format!("{}/shared/files/999999", app.url)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&ana, format!("{}/shared/files/1%20OR%201=1", app.url)).await,
        StatusCode::NOT_FOUND
    );
    // Staff downloads and staff functions stay closed to a contact.
    let file_id: String = sqlx::query_scalar(
        "SELECT d.file_id FROM document_requests r JOIN documents d ON d.id = r.document_id WHERE r.id = $1",
    )
    .bind(theirs)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        get(&ana, format!("{}/files/{file_id}", app.url)).await,
        StatusCode::UNAUTHORIZED
    );
    for (endpoint, form) in [
        (
            "requests/of_customer",
            vec![("customer_id", other_customer.to_string())],
        ),
        (
            "contacts/of_customer",
            vec![("customer_id", other_customer.to_string())],
        ),
        (
            "mail/of_customer",
            vec![("customer_id", other_customer.to_string())],
        ),
        ("contacts/search", vec![("q", "ben".to_string())]),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = call_as(&ana, &app.url, endpoint, &form).await;
        assert_eq!(
            error_of(status, &body),
            app::error::AppError::Unauthorized,
            "{endpoint}"
        );
    }
    // No one signed in sees nothing.
    let anonymous = new_client();
    let (status, body) = call_as(&anonymous, &app.url, "shared/documents", &[]).await;
    assert_eq!(error_of(status, &body), app::error::AppError::Unauthorized);
    assert_eq!(
        get(&anonymous, format!("{}/shared/files/{ours}", app.url)).await,
        StatusCode::UNAUTHORIZED
    );
    // A contact taken off the customer loses its documents.
    let ana_id: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email_key = 'ana@coffee.example'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM customer_contacts WHERE contact_id = $1")
        .bind(ana_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        get(&ana, format!("{}/shared/files/{ours}", app.url)).await,
        StatusCode::NOT_FOUND
    );
}

async fn an_expired_link_offers_a_new_one(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    let first = sink.wait_for(1, Duration::from_secs(20)).await;
    let token = token_of(&link_in(&first[0]));
    sqlx::query("UPDATE access_links SET expires_at = 0")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let contact = new_client();
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", &token)]).await;
    assert_eq!(ok::<LinkState>(status, &body), LinkState::Expired);
    let (status, body) = call_as(
        &contact,
        &app.url,
        "shared/create_account",
        &[("token", &token), ("password", PASSWORD), ("confirm", PASSWORD)],
    )
    .await;
    assert!(error_of(status, &body).to_string().contains("expired"));
    let (status, body) = call_as(&contact, &app.url, "shared/link", &[("token", "not-a-token")]).await;
    assert_eq!(ok::<LinkState>(status, &body), LinkState::Unknown);

    let (status, body) = call_as(&contact, &app.url, "shared/new_link", &[("token", &token)]).await;
    assert!(status.is_success(), "{body}");
    // Asked again at once: refused, no flood.
    let (status, body) = call_as(&contact, &app.url, "shared/new_link", &[("token", &token)]).await;
    assert!(error_of(status, &body).to_string().contains("a few minutes ago"));
    let both = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[1].to, ["ana@coffee.example"]);
    let fresh = new_contact_account(&app, &link_in(&both[1])).await;
    let (status, _) = call_as(&fresh, &app.url, "shared/documents", &[]).await;
    assert!(status.is_success());
}

on_both_databases!(
    the_email_leads_the_contact_to_an_account_and_the_download,
    a_contact_sees_only_what_was_sent_to_their_customers,
    an_expired_link_offers_a_new_one,
);
