//! Email delivery through the outbox: retries after a refusal, the Email Log, resending to the
//! contact's address of today, and no email lost when the server is killed before delivering it.

use crate::common;

use common::sharing::*;
use common::*;
use server::smtp_sink::{Behaviour, SmtpSink};
use std::time::Duration;

async fn a_refused_delivery_is_retried_and_staff_can_resend(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::RefuseFirst(1)).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, _) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    // Refused once (451), delivered on the retry five seconds later.
    let received = sink.wait_for(1, Duration::from_secs(30)).await;
    assert_eq!(received.len(), 1);
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
    let (status, body) = app
        .call("mail/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let messages: Vec<app::mail::EmailRow> = ok(status, &body);
    assert_eq!(
        (messages[0].status, messages[0].attempts),
        (app::mail::EmailStatus::Sent, 2)
    );
    let (status, body) = app
        .call("mail/resend", &[("id", &messages[0].id.to_string())])
        .await;
    assert!(status.is_success(), "{body}");
    let again = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(again.len(), 2);
    assert_ne!(
        link_in(&again[0]),
        link_in(&again[1]),
        "a resent email carries a fresh link"
    );
    // The Email Log is for Admins.
    let staff = app.client_for_new_user("sam@supplier.example", "staff").await;
    let (status, body) = call_as(&staff, &app.url, "mail/log", &[]).await;
    assert_eq!(error_of(status, &body), app::error::AppError::Forbidden);
    let (status, body) = app.call("mail/log", &[]).await;
    assert_eq!(ok::<Vec<app::mail::EmailRow>>(status, &body).len(), 2);
}

async fn a_resend_goes_to_the_contacts_address_of_today(engine: Engine) {
    let sink = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let app = TestApp::start_with_smtp(engine, Some(sink.url())).await;
    app.set_up_admin().await;
    let (customer, _) = shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    assert_eq!(sink.wait_for(1, Duration::from_secs(20)).await.len(), 1);
    let contact: app::contacts::Contact = {
        let (status, body) = app.call("contacts/search", &[("q", "ana")]).await;
        ok::<Vec<app::contacts::Contact>>(status, &body).remove(0)
    };
    let (status, body) = app
        .call(
            "contacts/update",
            &[
                ("id", &contact.id.to_string()),
                ("version", &contact.version.to_string()),
                ("contact[first_name]", "Ana"),
                ("contact[last_name]", "Lima"),
                ("contact[email]", "ana.lima@new-coffee.example"),
                ("contact[phone]", ""),
                ("contact[job_title]", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = app
        .call("mail/of_customer", &[("customer_id", &customer.to_string())])
        .await;
    let first = ok::<Vec<app::mail::EmailRow>>(status, &body).remove(0);
    let (status, body) = app.call("mail/resend", &[("id", &first.id.to_string())]).await;
    assert!(status.is_success(), "{body}");
    let both = sink.wait_for(2, Duration::from_secs(20)).await;
    assert_eq!(both.len(), 2);
    assert_eq!(
        both[1].to,
        ["ana.lima@new-coffee.example"],
        "the old mailbox gets no new link"
    );
}

on_both_databases!(
    a_refused_delivery_is_retried_and_staff_can_resend,
    a_resend_goes_to_the_contacts_address_of_today,
);

/// The documents email is committed; the server dies (SIGKILL) while the mail server is still
/// in the middle of taking it. After a restart, the email is delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_survives_the_server_being_killed_before_delivery() {
    let app = TestApp::start(Engine::Sqlite).await;
    app.set_up_admin().await;
    shared_haccp_plan(&app, "Coffee Uptown", "CU-1", "ana@coffee.example", "PA").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'queued'")
            .await,
        1
    );

    let hanging = SmtpSink::start(Behaviour::Stall).await.unwrap();
    let (mut server, _) = spawn_server(&app, Some(&hanging.url()));
    for _ in 0..200 {
        if hanging.connections() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        hanging.connections() > 0,
        "the worker took the email and began delivering it"
    );
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    // Claimed (once, or again after a delivery timed out while the machine was busy), and
    // still queued: neither sent nor given up.
    let (status, attempts): (String, i64) = sqlx::query_as("SELECT status, attempts FROM outbox")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        status == "queued" && attempts >= 1,
        "{status}, {attempts} attempts"
    );

    let working = SmtpSink::start(Behaviour::Accept).await.unwrap();
    let (mut restarted, _) = spawn_server(&app, Some(&working.url()));
    // The dead worker's claim runs out (30 s), then the new server delivers it.
    let received = working.wait_for(1, Duration::from_secs(90)).await;
    let mut sent = 0;
    for _ in 0..50 {
        sent = app
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .await;
        if sent == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    assert_eq!(received.len(), 1, "the email was delivered after the restart");
    assert_eq!(received[0].to, ["ana@coffee.example"]);
    assert_eq!(sent, 1);
}
