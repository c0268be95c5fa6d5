//! The kinds of Activity entries, as the Activity Log's filter offers them.

/// Action keys and what people call them, in the order the filter lists them.
pub const KINDS: &[(&str, &str)] = &[
    ("customer_created", "Customer added"),
    ("customer_edited", "Customer details edited"),
    ("customer_deleted", "Moved to the Trash"),
    ("customer_restored", "Restored from the Trash"),
    ("registered", "Registered at the portal"),
    ("customer_approved", "Registration approved"),
    ("imported", "Created by an import"),
    ("import_updated", "Updated by an import"),
    ("profile_changed", "Account details"),
    ("groups_changed", "Customer groups"),
    ("contact_assigned", "Contact assigned"),
    ("contact_edited", "Contact details edited"),
    ("contact_removed", "Contact taken off"),
    ("contact_role_changed", "Contact role"),
    ("documents_contact_changed", "Documents Contact"),
    ("listings_added", "Locations or items added"),
    ("listing_removed", "Location or item taken off"),
    ("requirement_changed", "Requirement"),
    ("requirements_added", "Requirements added in bulk"),
    ("requirements_removed", "Requirements removed in bulk"),
    ("documents_sent", "Documents sent"),
    ("document_asked", "Document asked for by a contact"),
    ("customer_file_added", "Customer document attached"),
    ("customer_file_removed", "Customer document removed"),
    ("ship_to_changed", "Ship-To Locations"),
    ("portal_toggled", "Portal on or off"),
    ("reminders_toggled", "Sunday reminders"),
    ("portal_invitation", "Portal invitation"),
    ("acting_started", "Staff acting as the customer"),
    ("acting_stopped", "Staff stopped acting"),
    ("order_placed", "Order placed"),
    ("integration_requested", "Integration requested"),
    ("integration_activated", "Integration activated"),
    ("integration_returned", "Integration sent back"),
    ("account_number_changed", "Account number"),
    ("inventory_changed", "Inventory availability"),
    ("price_list_email_copied", "Price-list email copied"),
    ("note_added", "Note added"),
    ("note_edited", "Note edited"),
    ("note_deleted", "Note deleted"),
];

pub fn is_kind(key: &str) -> bool {
    KINDS.iter().any(|(k, _)| *k == key)
}
