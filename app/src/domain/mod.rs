//! Validated values shared by the browser and the server: each type can only hold a valid value,
//! and its `parse` gives the message a person sees next to the field.

mod company;
mod contact_details;
mod text;

pub use company::{AccountNumber, Address, CompanyInput, CompanyName, ValidCompany};
pub use contact_details::{Email, Password, Phone, Website};
pub use text::{PersonName, Role};
