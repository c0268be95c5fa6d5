//! Server functions of integration: the portal's request (a Buyer of the customer), and staff's
//! decision and tools on the customer's page.

use super::{CustomerIntegration, IntegrationOptions, InventoryChoice};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::db::{self, NewRequest},
    super::emails::{integration_requested, RequestEmail},
    super::{IntegrationStatus, Transaction, PRICE_LIST_DOMAIN},
    crate::activity::db::{record, record_change, Actor, Change},
    crate::auth::session::{require_admin, require_staff},
    crate::customers::api::live_customer,
    crate::domain::AccountNumber,
    crate::mail::db::{enqueue, NewEmail},
    crate::portal::access::act_for,
    crate::state::{app_state, now_ms},
};

/// Outbox kind of the email staff get for a request.
pub const INTEGRATION_REQUESTED: &str = "integration_requested";
/// Outbox kind of the email the contact who asked gets when staff decide.
pub const INTEGRATION_DECIDED: &str = "integration_decided";

#[server(endpoint = "portal/integration/options")]
pub async fn portal_integration(customer_id: i64) -> Result<IntegrationOptions, AppError> {
    let acting = act_for(customer_id).await?;
    let db = app_state()?.db;
    // Before taking a connection of its own: one request never holds two.
    let salespeople = db::salespeople(&db).await?;
    let mut conn = db.pool.acquire().await?;
    let status = db::status(&mut conn, customer_id).await?;
    let open_request = db::requests(&mut conn, customer_id)
        .await?
        .into_iter()
        .find(|r| r.status == "open");
    Ok(IntegrationOptions {
        status,
        may_request: acting.may_order(),
        salespeople,
        open_request,
    })
}

/// "Request Integration": a Buyer names their salesperson and the transactions wanted. The
/// salesperson and every Digital Administrator are emailed; the status becomes Requested.
#[server(endpoint = "portal/integration/request", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn request_integration(
    customer_id: i64,
    salesperson_id: Option<i64>,
    transactions: Vec<String>,
) -> Result<(), AppError> {
    let acting = act_for(customer_id).await?;
    if !acting.may_order() {
        return Err(AppError::Refused(
            "Only a Buyer of this customer can request integration.".into(),
        ));
    }
    let state = app_state()?;
    let db = &state.db;
    let mut errors = crate::error::FieldErrors::new();
    let salespeople = db::salespeople(db).await?;
    let salesperson = salesperson_id.and_then(|id| salespeople.into_iter().find(|s| s.id == id));
    if salesperson.is_none() {
        errors.add("salesperson", "Choose your salesperson.");
    }
    let mut chosen: Vec<Transaction> = transactions
        .iter()
        .filter_map(|k| Transaction::from_key(k))
        .collect();
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        errors.add("transactions", "Tick at least one transaction.");
    }
    let Some(salesperson) = salesperson.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let now = now_ms();
    let mut tx = db.begin().await?;
    if !db::move_status(
        &mut tx,
        customer_id,
        &[IntegrationStatus::NotRequested],
        IntegrationStatus::Requested,
    )
    .await?
    {
        let status = db::status(&mut tx, customer_id).await?;
        return Err(AppError::Refused(format!(
            "Integration is already {} for {}.",
            status.label().to_lowercase(),
            acting.customer_name
        )));
    }
    let requested_by = acting.actor_name();
    let request = NewRequest {
        customer_id,
        contact_id: acting.contact_id(),
        requested_by_name: &requested_by,
        salesperson: &salesperson,
        transactions: &chosen,
    };
    db::insert_request(&mut tx, &request, now).await?;
    let labels = Transaction::labels(&chosen);
    let link = format!(
        "{}/customers/{customer_id}",
        state.public_url.trim_end_matches('/')
    );
    let email = RequestEmail {
        customer: &acting.customer_name,
        requested_by: &requested_by,
        salesperson: &salesperson.name,
        transactions: &labels,
        link: &link,
    };
    for (_, name, address) in db::request_recipients(&mut tx, salesperson.id).await? {
        let first_name = name.split_whitespace().next().unwrap_or(&name).to_string();
        let content = integration_requested(&email, &first_name);
        let message = NewEmail {
            kind: INTEGRATION_REQUESTED,
            customer_id: Some(customer_id),
            contact_id: None,
            to_address: address,
            to_name: name,
            subject: content.subject,
            text_body: content.text,
            html_body: content.html,
            created_by: None,
        };
        enqueue(&mut tx, &message, now).await?;
    }
    let actor = Actor {
        staff_user_id: acting.staff_user_id(),
        contact_id: acting.contact_id(),
        name: &requested_by,
    };
    let change = Change {
        action: "integration_requested",
        detail: format!(
            "Requested integration ({labels}) with {} as salesperson",
            salesperson.name
        ),
        before: Some(IntegrationStatus::NotRequested.label().into()),
        after: Some(IntegrationStatus::Requested.label().into()),
    };
    record_change(&mut tx, customer_id, &actor, &change, now).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "integration/of_customer")]
pub async fn integration_of_customer(customer_id: i64) -> Result<CustomerIntegration, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    let customer = live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    let (inventory_limited, ticked_locations) = db::inventory_limit(&mut conn, customer_id).await?;
    Ok(CustomerIntegration {
        status: db::status(&mut conn, customer_id).await?,
        account_number: customer.account_number,
        version: customer.version,
        requests: db::requests(&mut conn, customer_id).await?,
        inventory_limited,
        ticked_locations,
    })
}

/// Every supplier location, ticked when the customer sees its inventory: the form of
/// "Configure Inventory Availability".
#[server(endpoint = "integration/inventory_of_customer")]
pub async fn inventory_of_customer(customer_id: i64) -> Result<InventoryChoice, AppError> {
    require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut conn = db.pool.acquire().await?;
    let (limited, locations) = db::inventory(&mut conn, customer_id).await?;
    Ok(InventoryChoice { limited, locations })
}

/// Staff make the integration Active (from Requested, or directly).
#[server(endpoint = "integration/activate")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn activate_integration(customer_id: i64) -> Result<(), AppError> {
    let user = require_staff().await?;
    let decision = Decision {
        from: &[IntegrationStatus::NotRequested, IntegrationStatus::Requested],
        to: IntegrationStatus::Active,
        outcome: "activated",
        reason: None,
        refused: "Integration is already active for this customer.",
        action: "integration_activated",
        detail: "Activated integration".into(),
    };
    decide(customer_id, &user, &decision).await
}

/// Staff send a request (or an active integration) back to Not Requested, saying why.
#[server(endpoint = "integration/send_back")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn send_back_integration(customer_id: i64, reason: String) -> Result<(), AppError> {
    let user = require_staff().await?;
    let reason =
        crate::domain::required_text(&reason, "Reason", 1000).map_err(|m| AppError::field("reason", m))?;
    let decision = Decision {
        from: &[IntegrationStatus::Requested, IntegrationStatus::Active],
        to: IntegrationStatus::NotRequested,
        outcome: "returned",
        reason: Some(&reason),
        refused: "Integration is not requested for this customer.",
        action: "integration_returned",
        detail: format!("Sent integration back to Not Requested: {reason}"),
    };
    decide(customer_id, &user, &decision).await
}

/// What staff decide about a customer's integration.
#[cfg(feature = "ssr")]
struct Decision<'a> {
    from: &'a [IntegrationStatus],
    to: IntegrationStatus,
    /// How the open request is closed: `activated` or `returned`.
    outcome: &'a str,
    reason: Option<&'a str>,
    /// The message when the status is elsewhere.
    refused: &'a str,
    action: &'a str,
    detail: String,
}

/// Moves the status, closes the open request, tells the contact who asked and records it, in one
/// transaction.
#[cfg(feature = "ssr")]
async fn decide(
    customer_id: i64,
    user: &crate::auth::CurrentUser,
    decision: &Decision<'_>,
) -> Result<(), AppError> {
    let db = app_state()?.db;
    let customer = live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let before = db::status(&mut tx, customer_id).await?;
    let asker = db::open_request_contact(&mut tx, customer_id).await?;
    if !db::move_status(&mut tx, customer_id, decision.from, decision.to).await? {
        return Err(AppError::Refused(decision.refused.into()));
    }
    let now = now_ms();
    db::decide_open_request(
        &mut tx,
        customer_id,
        decision.outcome,
        decision.reason,
        user.id,
        now,
    )
    .await?;
    tell_asker(&mut tx, &customer, asker, decision.reason, user.id, now).await?;
    let change = Change {
        action: decision.action,
        detail: decision.detail.clone(),
        before: Some(before.label().into()),
        after: Some(decision.to.label().into()),
    };
    record_change(&mut tx, customer_id, &Actor::staff(user), &change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// "Add Customer Account#": the account number used for integration, saved over `version`.
#[server(endpoint = "integration/account_number")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn set_account_number(
    customer_id: i64,
    version: i64,
    account_number: String,
) -> Result<(), AppError> {
    let user = require_staff().await?;
    let number =
        AccountNumber::parse_optional(&account_number).map_err(|m| AppError::field("account_number", m))?;
    let db = app_state()?.db;
    let customer = live_customer(&db, customer_id).await?;
    if let Some(number) = &number {
        crate::customers::api::account_number_free(&db, number, Some(customer_id)).await?;
    }
    let now = now_ms();
    let mut tx = db.begin().await?;
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let saved = db::set_account_number(&mut tx, customer_id, version, number.as_ref(), now)
        .await
        .map_err(|error| match &error {
            sqlx::Error::Database(e) if e.is_unique_violation() => AppError::field(
                "account_number",
                "This account number was just given to another customer.",
            ),
            _ => AppError::internal(error),
        })?;
    if !saved {
        return Err(AppError::Refused(
            "Someone else changed this customer meanwhile. Reload the page and try again.".into(),
        ));
    }
    let after = number.as_ref().map(|n| n.as_str().to_string());
    if customer.account_number != after {
        let change = Change {
            action: "account_number_changed",
            detail: "Changed the account number".into(),
            before: customer.account_number,
            after,
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The most locations one customer's inventory can be limited to in one change.
#[cfg(feature = "ssr")]
const MOST_LOCATIONS: usize = 5_000;

/// "Configure Inventory Availability": the locations whose inventory the customer sees in the
/// portal; `limited` false shows all of them.
#[server(endpoint = "integration/inventory", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(customer_id)))]
pub async fn set_inventory(customer_id: i64, limited: bool, location_ids: Vec<i64>) -> Result<(), AppError> {
    let user = require_staff().await?;
    AppError::check_list_len("location_ids", &location_ids, MOST_LOCATIONS, "locations")?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let mut tx = db.begin().await?;
    let describe = |limited: bool, locations: &[super::InventoryLocation]| {
        if !limited {
            return "All locations".to_string();
        }
        let names: Vec<&str> = locations
            .iter()
            .filter(|l| l.visible)
            .map(|l| l.name.as_str())
            .collect();
        if names.is_empty() {
            "No location".into()
        } else {
            names.join(", ")
        }
    };
    crate::customers::db::lock(&mut tx, customer_id).await?;
    let (was_limited, before) = db::inventory(&mut tx, customer_id).await?;
    db::set_inventory(&mut tx, customer_id, limited, &location_ids).await?;
    let (now_limited, after) = db::inventory(&mut tx, customer_id).await?;
    let (before, after) = (describe(was_limited, &before), describe(now_limited, &after));
    if before != after {
        let change = Change {
            action: "inventory_changed",
            detail: "Changed the inventory the customer sees in the portal".into(),
            before: Some(before),
            after: Some(after),
        };
        record_change(&mut tx, customer_id, &Actor::staff(&user), &change, now_ms()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// "Copy Price List Email": the customer's own address for price lists, made on first use from
/// the configured domain and a random token.
#[server(endpoint = "integration/price_list_email")]
pub async fn price_list_email(customer_id: i64) -> Result<String, AppError> {
    let user = require_staff().await?;
    let db = app_state()?.db;
    live_customer(&db, customer_id).await?;
    let domain = crate::settings::db::value(&db, PRICE_LIST_DOMAIN)
        .await?
        .ok_or_else(|| {
            AppError::Refused("No price-list email domain is set yet: an Admin sets it in Settings.".into())
        })?;
    let mut tx = db.begin().await?;
    let token = db::price_list_token(&mut tx, customer_id, &super::new_price_list_token()).await?;
    record(
        &mut tx,
        customer_id,
        &Actor::staff(&user),
        "price_list_email_copied",
        "Copied the price-list email address",
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("prices-{token}@{domain}"))
}

#[server(endpoint = "integration/settings")]
pub async fn price_list_domain() -> Result<Option<String>, AppError> {
    require_staff().await?;
    Ok(crate::settings::db::value(&app_state()?.db, PRICE_LIST_DOMAIN).await?)
}

/// Settings: the domain of the customers' price-list addresses (Admins).
#[server(endpoint = "integration/settings/domain")]
pub async fn set_price_list_domain(domain: String) -> Result<(), AppError> {
    require_admin().await?;
    let domain = super::parse_domain(&domain).map_err(|m| AppError::field("domain", m))?;
    crate::settings::db::set_value(&app_state()?.db, PRICE_LIST_DOMAIN, &domain).await?;
    Ok(())
}

/// Emails the contact who asked for integration what staff decided.
#[cfg(feature = "ssr")]
async fn tell_asker(
    tx: &mut sqlx::AnyConnection,
    customer: &crate::customers::Customer,
    asker: Option<crate::contacts::db::Recipient>,
    reason: Option<&str>,
    user_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let Some(asker) = asker else {
        return Ok(());
    };
    let content = super::emails::integration_decided(&customer.name, &asker.first_name, reason);
    let email = NewEmail {
        kind: INTEGRATION_DECIDED,
        customer_id: Some(customer.id),
        contact_id: Some(asker.id),
        to_address: asker.email,
        to_name: asker.name,
        subject: content.subject,
        text_body: content.text,
        html_body: content.html,
        created_by: Some(user_id),
    };
    enqueue(tx, &email, now).await?;
    Ok(())
}
