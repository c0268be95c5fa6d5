use super::contact_details::{Phone, Website};
use super::text::{optional, required};
use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

/// A customer company's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyName(String);

impl CompanyName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        required(raw, "Company name", 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the name order sorts by: the name in lower case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// The supplier's own number for a customer, unique among customers, compared ignoring case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountNumber(String);

impl AccountNumber {
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, String> {
        let Some(value) = optional(raw, "Account number", 50)? else {
            return Ok(None);
        };
        if !value.chars().all(|c| c.is_alphanumeric() || "-_./ ".contains(c)) {
            return Err(format!(
                "'{value}' is not an account number: use letters, digits, spaces and - _ . /"
            ));
        }
        Ok(Some(Self(value)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness is checked on.
    pub fn key(&self) -> String {
        self.0.to_uppercase()
    }
}

/// A postal address. Region (state, province) is optional: many countries have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// Checks street, city, region, postal code and country (in that order), recording each
    /// field's message under its form name; the address when all are valid.
    pub fn parse(
        errors: &mut FieldErrors,
        [street, city, region, postal_code, country]: [&str; 5],
    ) -> Option<Address> {
        let street = errors.check("street", required(street, "Street", 200));
        let city = errors.check("city", required(city, "City", 100));
        let region = errors.check("region", optional(region, "Region", 100));
        let postal_code = errors.check("postal_code", required(postal_code, "Postal code", 20));
        let country = errors.check("country", required(country, "Country", 100));
        Some(Address {
            street: street?,
            city: city?,
            region: region?,
            postal_code: postal_code?,
            country: country?,
        })
    }
}

/// The company form as typed: every field a string, named as the form's inputs are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyInput {
    pub name: String,
    pub account_number: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    pub website: String,
    /// The id of an uploaded logo; blank for none.
    #[serde(default)]
    pub logo_file_id: String,
}

/// A company that passed every check and may be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCompany {
    pub name: CompanyName,
    pub account_number: Option<AccountNumber>,
    pub address: Address,
    pub phone: Option<Phone>,
    pub website: Option<Website>,
    pub logo_file_id: Option<String>,
}

impl CompanyInput {
    /// Checks every field at once, so the person sees all that needs fixing in one go.
    pub fn parse(&self) -> Result<ValidCompany, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", CompanyName::parse(&self.name));
        let account_number = errors.check(
            "account_number",
            AccountNumber::parse_optional(&self.account_number),
        );
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
        let phone = errors.check("phone", Phone::parse_optional(&self.phone));
        let website = errors.check("website", Website::parse_optional(&self.website));
        let logo_file_id = errors.check(
            "logo",
            match self.logo_file_id.trim() {
                "" => Ok(None),
                id => super::file::file_id(id).map(Some),
            },
        );
        // Each value is absent exactly when its field has an error.
        let company = (|| {
            Some(ValidCompany {
                name: name?,
                account_number: account_number?,
                address: address?,
                phone: phone?,
                website: website?,
                logo_file_id: logo_file_id?,
            })
        })();
        company.ok_or(errors)
    }

    /// Checks one field by its form name; used to show a message as soon as a field is left.
    pub fn check_field(field: &str, value: &str) -> Result<(), String> {
        let mut input = CompanyInput::default();
        match field {
            "name" => input.name = value.into(),
            "account_number" => input.account_number = value.into(),
            "street" => input.street = value.into(),
            "city" => input.city = value.into(),
            "region" => input.region = value.into(),
            "postal_code" => input.postal_code = value.into(),
            "country" => input.country = value.into(),
            "phone" => input.phone = value.into(),
            "website" => input.website = value.into(),
            _ => return Ok(()),
        }
        match input.parse() {
            Ok(_) => Ok(()),
            Err(errors) => errors.get(field).map_or(Ok(()), |m| Err(m.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_input() -> CompanyInput {
        CompanyInput {
            name: "Coffee Uptown".into(),
            account_number: "ACC-1001".into(),
            street: "1 Main St".into(),
            city: "Portland".into(),
            region: "OR".into(),
            postal_code: "97201".into(),
            country: "United States".into(),
            phone: "+1 503 555 0100".into(),
            website: "coffeeuptown.example".into(),
            logo_file_id: String::new(),
        }
    }

    #[test]
    fn a_complete_company_parses() {
        let company = valid_input().parse().unwrap();
        assert_eq!(company.name.as_str(), "Coffee Uptown");
        assert_eq!(company.account_number.unwrap().key(), "ACC-1001");
        assert_eq!(company.website.unwrap().as_str(), "https://coffeeuptown.example");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = CompanyInput {
            name: " ".into(),
            phone: "abc".into(),
            ..valid_input()
        };
        let errors = input.parse().unwrap_err();
        assert_eq!(errors.get("name"), Some("Company name is required."));
        assert!(errors.get("phone").unwrap().contains("not a phone number"));
        assert_eq!(errors.get("city"), None);
    }

    #[test]
    fn address_is_required_but_region_is_optional() {
        let input = CompanyInput {
            street: "".into(),
            region: "".into(),
            ..valid_input()
        };
        let errors = input.parse().unwrap_err();
        assert_eq!(errors.get("street"), Some("Street is required."));
        assert_eq!(errors.get("region"), None);
    }

    #[test]
    fn account_number_is_optional_and_compared_ignoring_case() {
        let input = CompanyInput {
            account_number: "".into(),
            ..valid_input()
        };
        assert_eq!(input.parse().unwrap().account_number, None);
        assert_eq!(
            AccountNumber::parse_optional("acc-7").unwrap().unwrap().key(),
            "ACC-7"
        );
        assert!(AccountNumber::parse_optional("a;b").is_err());
    }

    #[test]
    fn a_single_field_can_be_checked_alone() {
        assert_eq!(
            CompanyInput::check_field("name", ""),
            Err("Company name is required.".into())
        );
        assert_eq!(CompanyInput::check_field("name", "Acme"), Ok(()));
        assert_eq!(CompanyInput::check_field("region", ""), Ok(()));
    }
}
