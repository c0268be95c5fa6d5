//! Who may act for a customer in the portal. Every portal server function starts here with the
//! customer the request names; nothing about the customer is read before this says yes.

use super::db;
use crate::auth::session::{hash_token, request_headers, staff_from_headers, token_from_headers};
use crate::auth::CurrentUser;
use crate::customers::api::live_customer;
use crate::domain::ContactRole;
use crate::error::AppError;
use crate::retrieval::db::ContactSession;
use crate::retrieval::session::contact_from_headers;
use crate::state::{app_state, AppState};

pub enum Actor {
    Contact {
        session: ContactSession,
        role: ContactRole,
    },
    /// A staff user who chose "Place order as customer" for this customer.
    Staff(CurrentUser),
}

/// A caller allowed to act for a customer.
pub struct Acting {
    pub customer_id: i64,
    pub customer_name: String,
    pub actor: Actor,
    /// The contact may act for other customers too.
    pub other_customers: bool,
}

impl Acting {
    pub fn may_order(&self) -> bool {
        match &self.actor {
            Actor::Contact { role, .. } => *role == ContactRole::Buyer,
            Actor::Staff(_) => true,
        }
    }

    pub fn actor_name(&self) -> String {
        match &self.actor {
            Actor::Contact { session, .. } => session.name.clone(),
            Actor::Staff(user) => user.name.clone(),
        }
    }

    pub fn contact_id(&self) -> Option<i64> {
        match &self.actor {
            Actor::Contact { session, .. } => Some(session.contact_id),
            Actor::Staff(_) => None,
        }
    }

    pub fn staff_user_id(&self) -> Option<i64> {
        match &self.actor {
            Actor::Contact { .. } => None,
            Actor::Staff(user) => Some(user.id),
        }
    }
}

/// Whether the supplier has the portal open (Settings). Staff acting for a customer are not
/// bound by it: they take orders on the customer's behalf.
pub async fn portal_open(state: &AppState) -> Result<bool, AppError> {
    Ok(crate::settings::db::flag(&state.db, crate::settings::db::PORTAL_ENABLED).await?)
}

/// The caller, if they may act for `customer_id`: a staff user acting for exactly this customer,
/// or a contact assigned to it while its portal (and the supplier's) is on, within the bound of
/// a reminder's session. Anyone else is refused: `Unauthorized` when not signed in at all.
pub async fn act_for(customer_id: i64) -> Result<Acting, AppError> {
    let state = app_state()?;
    let headers = request_headers();
    if let Some(token) = token_from_headers(&headers) {
        let acting = db::staff_acting_for(&state.db, &hash_token(&token)).await?;
        if acting == Some(customer_id) {
            if let Some(user) = staff_from_headers(&state, &headers).await? {
                let customer = live_customer(&state.db, customer_id).await?;
                return Ok(Acting {
                    customer_id,
                    customer_name: customer.name,
                    actor: Actor::Staff(user),
                    other_customers: false,
                });
            }
        }
    }
    let session = contact_from_headers(&state, &headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !portal_open(&state).await? {
        return Err(AppError::Refused(
            "The portal is closed for now. Please contact your supplier.".into(),
        ));
    }
    let customers = db::customers_of_contact(&state.db, session.contact_id, session.only_customer_id).await?;
    let Some(customer) = customers.iter().find(|c| c.id == customer_id) else {
        return Err(AppError::Forbidden);
    };
    Ok(Acting {
        customer_id,
        customer_name: customer.name.clone(),
        other_customers: customers.len() > 1,
        actor: Actor::Contact {
            role: customer.role,
            session,
        },
    })
}

/// As [`act_for`], and the caller may order.
pub async fn act_as_buyer(customer_id: i64) -> Result<Acting, AppError> {
    let acting = act_for(customer_id).await?;
    if acting.may_order() {
        Ok(acting)
    } else {
        Err(AppError::Refused(format!(
            "You can see {}'s orders and documents, but not order for it: ask your supplier to make you a Buyer.",
            acting.customer_name
        )))
    }
}
