//! What a save of the company form changed, for the Activity log.

use super::Customer;
use crate::domain::ValidCompany;

/// The fields a save changes, as "Field: value" lines before and after; `None` when it changes
/// nothing.
pub fn company_changes(before: &Customer, after: &ValidCompany, active: bool) -> Option<(String, String)> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let status = |active: bool| if active { "Active" } else { "Inactive" }.to_string();
    let fields: [(&str, String, String); 10] = [
        ("Name", before.name.clone(), after.name.as_str().to_string()),
        (
            "Account number",
            text(&before.account_number),
            after
                .account_number
                .as_ref()
                .map(|n| n.as_str().to_string())
                .unwrap_or_default(),
        ),
        ("Street", before.street.clone(), after.address.street.clone()),
        ("City", before.city.clone(), after.address.city.clone()),
        ("Region", text(&before.region), text(&after.address.region)),
        (
            "Postal code",
            before.postal_code.clone(),
            after.address.postal_code.clone(),
        ),
        ("Country", before.country.clone(), after.address.country.clone()),
        (
            "Phone",
            text(&before.phone),
            after
                .phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
        ),
        (
            "Website",
            text(&before.website),
            after
                .website
                .as_ref()
                .map(|w| w.as_str().to_string())
                .unwrap_or_default(),
        ),
        ("Status", status(before.active), status(active)),
    ];
    // Logos are files: say what happened to it, not its id.
    let (was, is) = match (&before.logo_file_id, &after.logo_file_id) {
        (a, b) if a == b => ("", ""),
        (None, Some(_)) => ("no logo", "a logo"),
        (Some(_), None) => ("a logo", "no logo"),
        _ => ("the previous logo", "a new logo"),
    };
    let logo = ("Logo", was.to_string(), is.to_string());
    crate::activity::field_changes(fields.into_iter().chain([logo]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CompanyInput;

    fn customer() -> Customer {
        Customer {
            id: 1,
            name: "Coffee Uptown".into(),
            account_number: Some("CU-1".into()),
            street: "1 Main St".into(),
            city: "Seattle".into(),
            region: None,
            postal_code: "98101".into(),
            country: "United States".into(),
            phone: None,
            website: None,
            logo_file_id: None,
            active: true,
            wizard_step: None,
            version: 1,
            created_at: 0,
            updated_at: 0,
            deleted_at: None,
        }
    }

    #[test]
    fn only_the_changed_fields_are_listed() {
        let before = customer();
        let same = before.to_input().parse().unwrap();
        assert_eq!(company_changes(&before, &same, true), None);
        let moved = CompanyInput {
            city: "Tacoma".into(),
            postal_code: "98402".into(),
            ..before.to_input()
        }
        .parse()
        .unwrap();
        assert_eq!(
            company_changes(&before, &moved, false),
            Some((
                "City: Seattle\nPostal code: 98101\nStatus: Active".into(),
                "City: Tacoma\nPostal code: 98402\nStatus: Inactive".into()
            ))
        );
    }

    #[test]
    fn a_replaced_logo_is_a_change() {
        let before = Customer {
            logo_file_id: Some("a".repeat(32)),
            ..customer()
        };
        let replaced = CompanyInput {
            logo_file_id: "b".repeat(32),
            ..before.to_input()
        }
        .parse()
        .unwrap();
        assert_eq!(
            company_changes(&before, &replaced, true),
            Some(("Logo: the previous logo".into(), "Logo: a new logo".into()))
        );
    }
}
