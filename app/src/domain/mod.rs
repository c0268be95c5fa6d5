//! Validated values shared by the browser and the server: each type can only hold a valid value,
//! and its `parse` gives the message a person sees next to the field.

mod company;
mod contact;
mod contact_details;
mod date;
mod document;
mod file;
mod group;
mod listing;
mod money;
mod registration;
mod ship_to;
mod text;

pub use company::{AccountNumber, Address, CompanyInput, CompanyName, ValidCompany};
pub use contact::{ContactInput, ValidContact};
pub use contact_details::{Email, Password, Phone, Website};
pub use date::CalendarDate;
pub use document::{
    validity_days, DocumentInput, DocumentStatus, DocumentTypeInput, Level, ValidDocument, ValidDocumentType,
    EXPIRING_WITHIN_DAYS,
};
pub use file::{content_fits, file_id, too_large, FilePurpose};
pub use group::{GroupInput, PriceAdjustment, ValidGroup};
pub use listing::{ItemInput, LocationInput, ValidItem, ValidLocation};
pub use money::Money;
pub use registration::{RegistrationInput, ValidRegistration};
pub use ship_to::{ShipToInput, ValidShipTo};
pub use text::{required_line, required_text, ContactRole, PersonName, Role};
