//! The company form: the first step of adding a customer, and the customer page's editor.

use crate::documents::FileUpload;
use crate::domain::{CompanyInput, FilePurpose};
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
