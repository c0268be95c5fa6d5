//! A Ship-To Location as typed in its form: a name the customer knows it by and an address.

use super::listing::first_error;
use super::text::required;
use super::Address;
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipToInput {
    pub name: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidShipTo {
    pub name: String,
    pub address: Address,
}

impl ShipToInput {
    pub fn parse(&self) -> Result<ValidShipTo, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required(&self.name, "Name", 200));
        let address = Address::parse(
            &mut errors,
            [
                &self.street,
                &self.city,
                &self.region,
                &self.postal_code,
                &self.country,
            ],
        );
        match (name, address) {
            (Some(name), Some(address)) => Ok(ValidShipTo { name, address }),
            _ => Err(errors),
        }
    }

    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = ShipToInput::default();
        let slot = match field {
            "name" => &mut input.name,
            "street" => &mut input.street,
            "city" => &mut input.city,
            "region" => &mut input.region,
            "postal_code" => &mut input.postal_code,
            "country" => &mut input.country,
            _ => return Ok(()),
        };
        *slot = value.into();
        first_error(input.parse().err(), field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ship_to_needs_a_name_and_an_address() {
        let input = ShipToInput {
            name: " Dock 4 ".into(),
            street: "1 Pier Rd".into(),
            city: "Oakland".into(),
            region: "".into(),
            postal_code: "94607".into(),
            country: "US".into(),
        };
        let valid = input.parse().unwrap();
        assert_eq!(valid.name, "Dock 4");
        assert_eq!(valid.address.region, None);
        let errors = ShipToInput::default().parse().unwrap_err();
        assert_eq!(errors.get("name"), Some("Name is required."));
        assert_eq!(errors.get("street"), Some("Street is required."));
        assert_eq!(ShipToInput::check_field("city", "Oakland"), Ok(()));
    }
}
