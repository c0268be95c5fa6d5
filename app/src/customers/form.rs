//! The company form: the first step of adding a customer, and the customer page's editor.

use crate::domain::CompanyInput;
use crate::error::FieldErrors;
use crate::ui::Field;
use leptos::prelude::*;

/// The company's fields, named `company[…]` for the server function's `company` argument.
#[component]
pub fn CompanyFields(
    values: CompanyInput,
    #[prop(into)] errors: Signal<Option<FieldErrors>>,
) -> impl IntoView {
    view! {
        <fieldset class="form-grid">
            <legend>"Company"</legend>
            <Field label="Company name" field="name" group="company" value=values.name required=true
                autocomplete="organization" errors check=CompanyInput::check_field/>
            <Field label="Account number" field="account_number" group="company" value=values.account_number
                hint="Optional. Your number for this customer; no two customers share one." errors check=CompanyInput::check_field/>
            <Field label="Street" field="street" group="company" value=values.street required=true
                autocomplete="street-address" errors check=CompanyInput::check_field/>
            <Field label="City" field="city" group="company" value=values.city required=true
                autocomplete="address-level2" errors check=CompanyInput::check_field/>
            <Field label="Region / State" field="region" group="company" value=values.region
                autocomplete="address-level1" errors check=CompanyInput::check_field/>
            <Field label="Postal code" field="postal_code" group="company" value=values.postal_code required=true
                autocomplete="postal-code" errors check=CompanyInput::check_field/>
            <Field label="Country" field="country" group="company" value=values.country required=true
                autocomplete="country-name" errors check=CompanyInput::check_field/>
            <Field label="Phone" field="phone" group="company" kind="tel" value=values.phone
                autocomplete="tel" errors check=CompanyInput::check_field/>
            <Field label="Website" field="website" group="company" value=values.website
                autocomplete="url" errors check=CompanyInput::check_field/>
        </fieldset>
    }
}
