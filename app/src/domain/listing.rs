//! The supplier's listings: its Locations (production sites) and Items (products).

use super::company::Address;
use super::money::Money;
use super::text::{optional, required};
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// The location form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationInput {
    pub name: String,
    pub code: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

/// A location that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLocation {
    pub name: String,
    /// The supplier's internal code for the site, unique among locations, compared ignoring case.
    pub code: Option<String>,
    pub address: Address,
}

impl ValidLocation {
    pub fn code_key(&self) -> Option<String> {
        self.code.as_ref().map(|c| c.to_uppercase())
    }
}

/// Codes and SKUs: letters, digits and a few separators, so they survive spreadsheets and URLs.
fn identifier(raw: &str, what: &str, max: usize) -> Result<Option<String>, String> {
    let Some(value) = optional(raw, what, max)? else {
        return Ok(None);
    };
    if !value.chars().all(|c| c.is_alphanumeric() || "-_./ ".contains(c)) {
        return Err(format!(
            "{what} '{value}' may only hold letters, digits, spaces and - _ . /"
        ));
    }
    Ok(Some(value))
}

impl LocationInput {
    pub fn parse(&self) -> Result<ValidLocation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required(&self.name, "Location name", 200));
        let code = errors.check("code", identifier(&self.code, "Internal code", 50));
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
        match (name, code, address) {
            (Some(name), Some(code), Some(address)) => Ok(ValidLocation { name, code, address }),
            _ => Err(errors),
        }
    }

    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = LocationInput::default();
        let slot = match field {
            "name" => &mut input.name,
            "code" => &mut input.code,
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

/// The message a form's parse gave `field`, if any.
pub(crate) fn first_error(errors: Option<FieldErrors>, field: &str) -> Result<(), String> {
    match errors.as_ref().and_then(|e| e.get(field)) {
        Some(message) => Err(message.to_string()),
        None => Ok(()),
    }
}

/// The item form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemInput {
    pub sku: String,
    pub name: String,
    pub description: String,
    pub unit_price: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidItem {
    /// Stock keeping unit: unique among items, compared ignoring case.
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub unit_price: Money,
}

impl ValidItem {
    pub fn sku_key(&self) -> String {
        self.sku.to_uppercase()
    }
}

impl ItemInput {
    pub fn parse(&self) -> Result<ValidItem, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sku = errors.check(
            "sku",
            identifier(&self.sku, "SKU", 50)
                .and_then(|sku| sku.ok_or_else(|| "SKU is required.".to_string())),
        );
        let name = errors.check("name", required(&self.name, "Item name", 200));
        let description = errors.check("description", description(&self.description));
        let unit_price = errors.check("unit_price", Money::parse(&self.unit_price, "Unit price"));
        match (sku, name, description, unit_price) {
            (Some(sku), Some(name), Some(description), Some(unit_price)) => Ok(ValidItem {
                sku,
                name,
                description,
                unit_price,
            }),
            _ => Err(errors),
        }
    }

    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = ItemInput::default();
        let slot = match field {
            "sku" => &mut input.sku,
            "name" => &mut input.name,
            "description" => &mut input.description,
            "unit_price" => &mut input.unit_price,
            _ => return Ok(()),
        };
        *slot = value.into();
        first_error(input.parse().err(), field)
    }
}

/// Free text of several lines (line breaks and tabs allowed, other control characters not).
pub(crate) fn description(raw: &str) -> Result<Option<String>, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > 2000 {
        return Err("Description must be at most 2000 characters.".into());
    }
    if value.chars().any(|c| c.is_control() && !"\n\r\t".contains(c)) {
        return Err("Description must not contain control characters.".into());
    }
    Ok(Some(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location() -> LocationInput {
        LocationInput {
            name: "Portland Roastery".into(),
            code: "PDX-1".into(),
            street: "200 Industrial Way".into(),
            city: "Portland".into(),
            region: "OR".into(),
            postal_code: "97210".into(),
            country: "United States".into(),
        }
    }

    #[test]
    fn a_location_needs_a_name_and_an_address_but_no_code() {
        let valid = LocationInput {
            code: " ".into(),
            ..location()
        }
        .parse()
        .unwrap();
        assert_eq!(valid.code, None);
        assert_eq!(location().parse().unwrap().code_key().as_deref(), Some("PDX-1"));
        let errors = LocationInput {
            name: "".into(),
            city: "".into(),
            ..location()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("name"), Some("Location name is required."));
        assert_eq!(errors.get("city"), Some("City is required."));
        assert!(LocationInput::check_field("code", "a;b")
            .unwrap_err()
            .contains("may only hold"));
    }

    #[test]
    fn an_item_has_a_sku_and_an_exact_price() {
        let input = ItemInput {
            sku: "cb-001".into(),
            name: "Colombia Beans 1kg".into(),
            description: "Whole beans.\nMedium roast.".into(),
            unit_price: "18.90".into(),
        };
        let item = input.parse().unwrap();
        assert_eq!(item.sku_key(), "CB-001");
        assert_eq!(item.unit_price.cents(), 1890);
        assert_eq!(item.description.as_deref(), Some("Whole beans.\nMedium roast."));
        let errors = ItemInput {
            sku: "".into(),
            unit_price: "free".into(),
            ..input
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("sku"), Some("SKU is required."));
        assert!(errors.get("unit_price").unwrap().contains("not an amount"));
    }
}
