//! The company form: the first step of adding a customer, and the customer page's editor.

use super::api::UpdateCustomer;
use super::Customer;
use crate::documents::FileUpload;
use crate::domain::{CompanyInput, FilePurpose};
use crate::error::FieldErrors;
use crate::ui::{error_of, field_errors_of, Field, FormNotice};
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
            <LogoField current=values.logo_file_id errors/>
        </fieldset>
    }
}

/// The optional logo: the current one with "Remove logo", and an upload that replaces it.
#[component]
fn LogoField(current: String, errors: Signal<Option<FieldErrors>>) -> impl IntoView {
    let logo = RwSignal::new(current);
    let on_change = Callback::new(move |file: Option<crate::documents::UploadedFile>| {
        if let Some(file) = file {
            logo.set(file.id);
        }
    });
    view! {
        <div class="logo-field">
            <input type="hidden" name="company[logo_file_id]" prop:value=move || logo.get() value=move || logo.get()/>
            {move || (!logo.get().is_empty()).then(|| view! {
                <div class="logo-preview">
                    <img class="logo" src=format!("/files/{}/inline", logo.get()) alt="Current logo"/>
                    <button type="button" class="link" on:click=move |_| logo.set(String::new())>"Remove logo"</button>
                </div>
            })}
            <FileUpload purpose=FilePurpose::Logo label="Logo" field="logo" errors on_change/>
        </div>
    }
}

/// The company form of a saved customer, filled from `current` and saving over its version with
/// `action` (the caller follows the outcome). The customer page shows the Active checkbox; the
/// wizard keeps the customer as it is.
#[component]
pub fn CompanyEditForm(
    current: RwSignal<Customer>,
    action: ServerAction<UpdateCustomer>,
    label: &'static str,
    submit: &'static str,
    #[prop(optional)] with_active: bool,
) -> impl IntoView {
    let value = Signal::from(action.value());
    move || {
        let customer = current.get();
        let active = if with_active {
            view! {
                <div class="field checkbox">
                    <input id="active" type="checkbox" name="active" value="on" checked=customer.active/>
                    <label for="active">"Active"</label>
                </div>
            }
            .into_any()
        } else {
            view! { <input type="hidden" name="active" value="on" disabled=!customer.active/> }.into_any()
        };
        view! {
            <ActionForm action=action attr:class="card" attr:aria-label=label>
                <FormNotice error=error_of(value)/>
                <input type="hidden" name="id" value=customer.id/>
                <input type="hidden" name="version" value=customer.version/>
                {active}
                <CompanyFields values=customer.to_input() errors=field_errors_of(value)/>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>{submit}</button>
                </div>
            </ActionForm>
        }
    }
}
